"""The seed pages: output agrees with the hand labels and with their reviewed fixtures (fixtures/seeds/*.expected.json)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.run.runner import run
from cleaner.tools.fixtures import SUFFIX, find_fixtures

from .conftest import SEEDS, need_shared, read_jsonl


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory, cleaner):
    out = tmp_path_factory.mktemp("seeds")
    run([SEEDS], out, cleaner)
    return out


def test_seeds_match_the_hand_labels(seed_out):
    """../shared/tools/check_seeds.py holds our corpus against ../shared/gold/seeds: all five pages exact."""
    tool = need_shared("tools", "check_seeds.py")
    gold = need_shared("gold", "seeds")
    proc = subprocess.run(
        [sys.executable, str(tool), str(gold), str(seed_out / "corpus.jsonl")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout
    assert "seeds: 5/5 pages exact" in proc.stdout


def test_seeds_match_their_reviewed_fixtures():
    """The seed snapshot is the users' mechanism: `cleaner fixtures check fixtures/seeds`
    (rewritten only by `make snapshots`, which runs it with --update, and reviewed as a diff)."""
    pages = sorted(p.name.split(".")[0] for p in SEEDS.glob("*.txt"))
    assert sorted(p.name[: -len(SUFFIX)] for p in find_fixtures(SEEDS)) == pages  # every seed has one
    result = CliRunner().invoke(main, ["fixtures", "check", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "5 fixture pages: 0 differ, 0 unreadable" in result.output


def test_stored_seed_fixtures_match_the_hand_labels(tmp_path):
    """The stored expected files themselves, not only today's output, agree with ../shared/gold/seeds:
    a snapshot rewritten by `make snapshots` cannot drift from the gold unnoticed."""
    tool = need_shared("tools", "check_seeds.py")
    gold = need_shared("gold", "seeds")
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for fixture in find_fixtures(SEEDS):
            doc = json.loads(fixture.read_text(encoding="utf-8"))
            for k, rec in enumerate(doc["records"]):
                line = {
                    **{key: rec[key] for key in ("headline", "standfirst", "dateline", "published")},
                    "text": "\n\n".join(rec["body"]),
                    "source": {"path": doc["page"]["file"], "segment": k, "lines": [k]},
                }
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    proc = subprocess.run([sys.executable, str(tool), str(gold), str(corpus)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert "seeds: 5/5 pages exact" in proc.stdout


def test_structure_of_the_seeds(seed_out):
    records = read_jsonl(seed_out / "corpus.jsonl")
    by_page: dict[str, list[dict]] = {}
    for r in records:
        by_page.setdefault(r["source"]["path"].split("/")[-1][:3], []).append(r)
    assert {k: len(v) for k, v in by_page.items()} == {"000": 1, "001": 1, "002": 2, "003": 1, "004": 3}
    tass = by_page["000"][0]
    assert tass["dateline"] == {
        "raw": "HAMBURG/Germany/, December 9. /TASS/.",
        "place": "Hamburg",
        "country": "Germany",
        "date": "--12-09",
        "agency": "TASS",
    }
    assert tass["published"] is None  # the dateline has no year, and no year is guessed
    assert tass["subheads"] == [
        "Terrorists surrounded",
        "Washington’s strange actions",
        "Military activities",
        "Cooperation with Turkey",
    ]
    assert tass["language"] == "en" and tass["outlet"] == "TASS"
    sputnik = by_page["003"][0]
    assert sputnik["headline"] is None
    assert sputnik["dateline"]["agency"] == "Sputnik" and sputnik["dateline"]["date"] is None
    assert {
        "line": 1,
        "text": "02:36 GMT04 March 2021",
        "rule": "heur/crawl-timestamp",
        "category": "crawl-timestamp",
    } in sputnik["removed"]
    ncw = by_page["004"]
    assert [d["published"] for d in ncw] == ["2016-12-03", "2016-12-03", None]
    assert ncw[1]["outlet"] == "Deutsche Welle"
    assert "impossible-date" in ncw[2]["flags"]
    # the related link (a headline with no body) is removed, not an article
    assert any(r["line"] == 43 and r["category"] == "related-articles" for r in ncw[1]["removed"])


def test_every_line_is_kept_or_recorded_as_removed(seed_out):
    records = read_jsonl(seed_out / "corpus.jsonl")
    for page in sorted(SEEDS.glob("*.txt")):
        lines = page.read_text(encoding="utf-8").split("\n")
        mine = [r for r in records if r["source"]["path"].endswith(page.name)]
        accounted = set()
        for r in mine:
            accounted |= {x["line"] for x in r["removed"]}
            accounted |= set(r["source"]["paragraphs"])
            if r["headline"]:
                accounted |= {
                    n
                    for n in range(r["source"]["lines"][0], r["source"]["lines"][1] + 1)
                    if lines[n - 1].strip() and lines[n - 1].strip().startswith(r["headline"][:20])
                }
            if r["standfirst"]:
                accounted |= {n for n in range(1, len(lines) + 1) if lines[n - 1].strip() == r["standfirst"]}
        missing = [n for n, t in enumerate(lines, start=1) if t.strip() and n not in accounted]
        assert missing == [], f"{page.name}: lines {missing} neither kept nor recorded as removed"


def test_two_runs_are_byte_identical(tmp_path, cleaner, seed_out):
    run([SEEDS], tmp_path, cleaner)
    for name in ("corpus.jsonl", "rejects.jsonl", "duplicates.jsonl", "stats.json"):
        assert (tmp_path / name).read_bytes() == (seed_out / name).read_bytes(), name
    mine, theirs = (json.loads((d / "manifest.json").read_text()) for d in (tmp_path, seed_out))
    assert mine.pop("seconds") and theirs.pop("seconds")  # timings are the only part allowed to differ
    assert mine == theirs
