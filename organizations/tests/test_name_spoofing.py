"""Names that impersonate another org are refused: invisible characters and dropped letters."""

import pytest

from kernel.errors import InvalidInput
from organizations.orgs.name_rules import clean_name, slugify


@pytest.mark.parametrize(
    "name",
    [
        "Acme\u202eproC",  # RIGHT-TO-LEFT OVERRIDE: shows "AcmeCorp"
        "Ac\u200bme Corp",  # ZERO WIDTH SPACE
        "\u2066Acme Corp\u2069",  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
        "Ac\u00adme Corp",  # SOFT HYPHEN
        "Acme\u200dCorp",  # ZERO WIDTH JOINER
        "Acme\ufeffCorp",  # BYTE ORDER MARK
        "Acme Corp\U000e0041",  # TAG LATIN CAPITAL LETTER A
        "Acme\u3164Corp",  # HANGUL FILLER (renders blank, category Lo)
    ],
)
def test_a_name_with_invisible_or_bidi_characters_is_refused(name):
    with pytest.raises(InvalidInput) as refused:
        clean_name(name)
    assert refused.value.code == "name_invisible_characters"


@pytest.mark.parametrize(
    "name",
    [
        "R\u0422 Zürich",  # Cyrillic TE: would be r-zurich, displayed as "RT Zürich"
        "\u0410cme Corp",  # Cyrillic A
        "Acme C\u03bfrp",  # Greek omicron
        "\u0251cme Corp",  # LATIN SMALL LETTER ALPHA (IPA): dropped by the slug
        "\u1d00cme Corp",  # small capital A
        "Acme Corp \u0663",  # ARABIC-INDIC DIGIT THREE
        "Acme 日本",
    ],
)
def test_a_lookalike_letter_the_slug_would_drop_is_refused(name):
    with pytest.raises(InvalidInput) as refused:
        clean_name(name)
    assert refused.value.code == "name_mixed_script"
    assert "U+" in refused.value.message  # names the code point, since it looks like a Latin one


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("RT Zürich", "rt-zurich"),
        ("Crème Brûlée SA", "creme-brulee-sa"),
        ("ＡＣＭＥ Corp", "acme-corp"),  # full-width: folded, so it collides with "ACME Corp"
        ("Straße AG", "strae-ag"),  # European Latin letters without ASCII form: dropped, as before
        ("Øresund Łódź", "resund-odz"),
    ],
)
def test_latin_names_keep_their_slugs(name, slug):
    assert slugify(clean_name(name)) == slug
