"""Organizations: one Django app split by bounded context (orgs, records, members, staff)."""
