"""Idempotency-Key support for the create routes (Stripe semantics)."""
