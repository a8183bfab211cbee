"""The ``next`` link of a keyset-paged list: the same request with the next page's cursor."""

from __future__ import annotations


def next_page_url(request, cursor: str | None) -> str | None:
    """The absolute URL of the page after this one (every other query parameter kept), or None
    when this page is the last."""
    if cursor is None:
        return None
    params = request.query_params.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
