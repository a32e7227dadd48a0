"""The development set (../shared/data/aeb) as whole-page dumps: the score may only go up.

Floors live in tests/floors.json. The score is measured with the global rules only,
no site file at all (one seed outlet, Sputnik, also has a page in the development set),
so it measures the generic heuristics, not memory of a site.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from cleaner.run.page import Cleaner, Settings
from cleaner.run.runner import run

from .conftest import ROOT, need_shared

FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text())


def score(corpus) -> dict:
    tool = need_shared("tools", "score.py")
    gold = need_shared("data", "aeb")
    proc = subprocess.run(
        [sys.executable, str(tool), "--gold", str(gold), "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def generic_cleaner(tmp_path_factory) -> Cleaner:
    """The bundled rules without any site file."""
    rules = tmp_path_factory.mktemp("generic_rules")
    shutil.copytree(ROOT / "rules" / "global", rules / "global")
    (rules / "sites").mkdir()
    shutil.copy(ROOT / "rules" / "datelines.toml", rules / "datelines.toml")
    return Cleaner.load(Settings(rules_dir=rules))


def test_dumps_score_does_not_drop_below_its_floor(aeb_dumps, tmp_path, generic_cleaner):
    out = tmp_path / "out"
    run([aeb_dumps], out, generic_cleaner)
    got = score(out / "corpus.jsonl")
    floor = FLOORS["dumps"]
    assert got["pages"] == 181
    for key in ("f1", "precision", "recall"):
        assert got[key] >= floor[key], f"{key} {got[key]} fell below its floor {floor[key]}: {got}"


def test_html_score_does_not_drop_below_its_floor(aeb_html, tmp_path, generic_cleaner):
    out = tmp_path / "out"
    run([aeb_html], out, generic_cleaner)
    got = score(out / "corpus.jsonl")
    floor = FLOORS["html"]
    assert got["pages"] == 181 and got["missing"] == 0
    for key in ("f1", "precision", "recall"):
        assert got[key] >= floor[key], f"{key} {got[key]} fell below its floor {floor[key]}: {got}"
