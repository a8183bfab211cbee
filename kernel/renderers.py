"""DRF renderers for streamed exports: ``application/x-ndjson`` (records and audit exports)."""

from __future__ import annotations

import json

from rest_framework.renderers import BaseRenderer


class NDJSONRenderer(BaseRenderer):
    """Lets clients ask for ``application/x-ndjson``; an error body is then one JSON line (a
    streamed export writes its own lines)."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return (json.dumps(data) + "\n").encode() if data is not None else b""
