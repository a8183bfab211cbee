"""mongomock is a test backend: a process on litemongo or MongoDB never imports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
import django
django.setup()
import orgservice.urls
from tenancy.stores.client import get_client
get_client().list_database_names()
sys.exit(3 if "mongomock" in sys.modules else 0)
"""


def test_a_litemongo_process_never_imports_mongomock(tmp_path):
    env = {**os.environ, "MONGO_URL": "", "LITEMONGO_PATH": str(tmp_path / "store")}
    env["DJANGO_SETTINGS_MODULE"] = "orgservice.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 3, "a litemongo process imported mongomock"
    assert result.returncode == 0, result.stderr
