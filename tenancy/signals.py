"""Storage-level refusals that the services turn into the errors clients see."""


class OrgNotActive(Exception):
    """The org is being renamed, moved or deleted: its records take no writes now."""


class OrgGone(Exception):
    """The org was deleted while a write ran; the written documents were removed again."""
