"""An org's records: validation rules, list queries, services and the REST API."""
