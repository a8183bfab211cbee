"""Request parsers: JSON whose nesting exhausts the decoder's stack is a 400, not a 500."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSONParser, plus: ``[[[[...]]]]`` nested past Python's recursion limit raises
    RecursionError inside ``json.load``, which DRF does not catch; it becomes a ParseError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc
