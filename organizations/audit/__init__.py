"""The audit log API: an org's owners and admins read and export its audit trail (issue 19)."""
