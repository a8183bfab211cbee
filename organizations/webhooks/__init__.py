"""Webhooks: org endpoints, the event outbox, signed deliveries with retries (README "Webhooks")."""
