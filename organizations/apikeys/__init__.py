"""Org API keys: owners and admins create, list and revoke them (issue 19)."""
