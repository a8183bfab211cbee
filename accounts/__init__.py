"""Admin credentials, login, JWT tokens with org claims, DRF authentication."""
