"""manage.py seed_demo: demo orgs with records, with progress suited to where output goes."""

from io import StringIO

from django.core.management import call_command

from conftest import PASSWORD
from kernel.progress import Progress
from organizations.management.commands.seed_demo import _SeedingAs
from tenancy import orgs
from tenancy.record_store import for_principal


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, "--password", PASSWORD, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_numbered_orgs_each_with_its_records(login):
    _seed("--orgs", "3", "--records", "7")
    for slug in ("demo-0001", "demo-0002", "demo-0003"):
        org = orgs.get_by_slug(slug)
        assert org is not None and org.is_active
        assert for_principal(_SeedingAs(org.id)).count() == 7
    assert login("admin@demo-0002.example", PASSWORD)["access_token"]


def test_seed_demo_skips_orgs_that_already_exist(login):
    _seed("--orgs", "2", "--records", "3")
    output = _seed("--orgs", "3", "--records", "3")
    assert "Created 1 demo orgs (2 already existed)" in output
    assert for_principal(_SeedingAs(orgs.get_by_slug("demo-0001").id)).count() == 3


def test_seed_demo_from_a_first_number_creates_only_that_range():
    output = _seed("--first", "4", "--orgs", "5")
    assert "Created 2 demo orgs (0 already existed)" in output
    assert [orgs.get_by_slug(f"demo-000{n}") is not None for n in range(1, 6)] == [
        False,
        False,
        False,
        True,
        True,
    ]


def test_without_a_terminal_progress_is_plain_lines():
    output = _seed("--orgs", "2")
    assert "\r" not in output
    assert "seeding orgs: 1/2 (50%)" in output and "seeding orgs: 2/2 (100%)" in output


def test_plain_progress_writes_about_ten_lines_however_long_the_job():
    out = StringIO()
    progress = Progress(_wrapped(out, tty=False), 1000, "work")
    for _ in range(1000):
        progress.advance()
    progress.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1] == "work: 1000/1000 (100%)"


def test_on_a_terminal_progress_is_a_bar_redrawn_in_place():
    out = StringIO()
    progress = Progress(_wrapped(out, tty=True), 4, "work")
    for _ in range(4):
        progress.advance()
    progress.finish()
    text = out.getvalue()
    assert text.count("\r") == 5 and text.count("\n") == 1
    assert f"\rwork [{'#' * 30}] 4/4" in text


def _wrapped(out: StringIO, *, tty: bool):
    from django.core.management.base import OutputWrapper

    out.isatty = lambda: tty
    return OutputWrapper(out)
