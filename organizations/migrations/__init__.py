"""Migrations of the organizations app (only the unmanaged admin placeholder)."""
