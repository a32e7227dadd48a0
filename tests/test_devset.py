"""The development sets (../shared/data/aeb, dumps and HTML; ../shared/data/trafeval, HTML and dumps):
the scores may only go up (trafeval's two floors are slow tests: `make test-slow`, run by CI).

Floors live in tests/floors.json. The score is measured with the global rules only,
no site file at all (one seed outlet, Sputnik, also has a page in the development set),
so it measures the generic heuristics, not memory of a site.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys

import pytest

from cleaner.run.page import Cleaner, Settings
from cleaner.run.runner import run

from .conftest import ROOT, need_shared, rendered_dumps

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


@pytest.fixture(scope="session")
def trafeval_jsonl(tmp_path_factory):
    """trafeval's pages as one JSONL of {"id", "url", "html"} lines: the cleaner gets the URLs."""
    data = need_shared("data", "trafeval")
    annotations = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    target = tmp_path_factory.mktemp("trafeval") / "trafeval.jsonl"
    with target.open("w", encoding="utf-8") as fh:
        for key, item in sorted(annotations.items()):
            page = data / f"{key}.html.gz"
            if page.exists():
                html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
                fh.write(json.dumps({"id": key, "url": item["url"], "html": html}) + "\n")
    return target


def snippet_score(pages, tmp_path, cleaner, floor_name: str) -> None:
    """Clean trafeval's pages (JSONL or dumps), score them with ../shared/tools/score_snippets.py
    and hold every figure against its floor."""
    tool = need_shared("tools", "score_snippets.py")
    data = need_shared("data", "trafeval")
    out = tmp_path / "out"
    run([pages], out, cleaner)
    proc = subprocess.run(
        [sys.executable, str(tool), "--data", str(data), "--corpus", str(out / "corpus.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    floor = FLOORS[floor_name]
    assert got["pages"] == 945
    for key in ("f1", "precision", "recall"):
        assert got[key] >= floor[key], f"{key} {got[key]} fell below its floor {floor[key]}: {got}"


@pytest.mark.slow  # 945 pages, ~1 CPU-minute: make test-slow (CI runs it)
def test_trafeval_html_score_does_not_drop_below_its_floor(trafeval_jsonl, tmp_path, generic_cleaner):
    """The second development set (945 pages of sites no rule file knows), scored with its own
    snippet metric."""
    snippet_score(trafeval_jsonl, tmp_path, generic_cleaner, "trafeval_html")


@pytest.fixture(scope="session")
def trafeval_dumps(tmp_path_factory):
    return rendered_dumps(tmp_path_factory, "trafeval")


@pytest.mark.slow  # 945 pages, ~1 CPU-minute: make test-slow (CI runs it)
def test_trafeval_dumps_score_does_not_drop_below_its_floor(trafeval_dumps, tmp_path, generic_cleaner):
    """The dump path on the second development set: pages are matched to their annotations by
    file name."""
    snippet_score(trafeval_dumps, tmp_path, generic_cleaner, "trafeval_dumps")
