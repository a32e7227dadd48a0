"""The development set (../shared/data/aeb) as whole-page dumps: the score may only go up.

Floors live in tests/floors.json. There is no site rule for any development-set
site, so this measures the generic heuristics, not memory.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from cleaner.pipeline import run

from .conftest import ROOT, need_shared

FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text())


@pytest.fixture(scope="session")
def aeb_dumps(tmp_path_factory):
    data = need_shared("data", "aeb")
    render = need_shared("tools", "render_dump.py")
    html_dir = tmp_path_factory.mktemp("aeb_html")
    for page in sorted(data.glob("*.html.gz")):
        (html_dir / page.name[: -len(".gz")]).write_bytes(gzip.decompress(page.read_bytes()))
    dumps = tmp_path_factory.mktemp("aeb_dumps")
    subprocess.run([sys.executable, str(render), *map(str, sorted(html_dir.glob("*.html"))), "--out", str(dumps)],
                   check=True)
    return dumps


def score(corpus) -> dict:
    tool = need_shared("tools", "score.py")
    gold = need_shared("data", "aeb")
    proc = subprocess.run([sys.executable, str(tool), "--gold", str(gold), "--corpus", str(corpus)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_dumps_score_does_not_drop_below_its_floor(aeb_dumps, tmp_path, cleaner):
    out = tmp_path / "out"
    run([aeb_dumps], out, cleaner)
    got = score(out / "corpus.jsonl")
    floor = FLOORS["dumps"]
    assert got["pages"] == 181
    for key in ("f1", "precision", "recall"):
        assert got[key] >= floor[key], f"{key} {got[key]} fell below its floor {floor[key]}: {got}"


def test_no_site_rule_names_a_development_set_site():
    """A rule for a development-set site would measure memory, not cleaning."""
    import tomllib

    data = need_shared("data", "aeb")
    domains = {json.loads(p.read_text())["domain"].removeprefix("www.") for p in data.glob("*.meta.json")}
    for site_file in (ROOT / "rules" / "sites").glob("*.toml"):
        site = tomllib.loads(site_file.read_text())["site"]
        assert not set(site.get("domains", [])) & domains, site_file.name
