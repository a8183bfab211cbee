"""The names of the request-rate settings (values like "10/min"), in a module that needs no
configured Django: accounts.checks validates them, orgservice.testing lifts them for tests."""

RATE_SETTINGS = (
    "LOGIN_RATE_PER_EMAIL",
    "LOGIN_RATE_PER_IP",
    "SIGNUP_RATE_PER_IP",
    "INVITATION_RATE_PER_MEMBER",
    "INVITATION_RATE_PER_IP",
    "EMAIL_CHANGE_RATE_PER_MEMBER",
    "EMAIL_CHANGE_RATE_PER_IP",
)
