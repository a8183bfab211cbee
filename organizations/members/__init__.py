"""Members of an org, their roles, and invitations to join it (services, API, delivery)."""
