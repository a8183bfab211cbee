"""Organizations: services over tenancy + accounts, the REST API, assignment routes, commands."""
