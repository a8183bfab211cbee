"""Characters that render as nothing or steer rendering: refused in names and email addresses."""

from __future__ import annotations

import unicodedata

# Invisible code points that are not in category Cf (which holds the bidi controls, zero-width
# spaces and joiners, the soft hyphen, word joiners and tag characters): fillers that render
# blank, the combining grapheme joiner, and variation selectors.
_INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` is a format character (Unicode category Cf) or another invisible one."""
    return unicodedata.category(ch) == "Cf" or ord(ch) in _INVISIBLE


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds any character for which ``is_invisible`` is true."""
    return any(is_invisible(ch) for ch in text)
