"""Dedup through the whole cleaner: planted copies found, distinct reports kept, order does not matter."""

from __future__ import annotations

import json
import subprocess
import sys

from cleaner.run.engine import RunOptions
from cleaner.run.runner import run

from .conftest import ROOT, SEEDS, need_shared, read_jsonl


def test_two_outlets_on_one_press_conference_stay_two_articles(tmp_path, cleaner):
    """Seeds 000 (TASS) and 003 (Sputnik) report the same press conference in different words."""
    run([SEEDS], tmp_path, cleaner)
    pages = {r["source"]["path"].split("/")[-1][:3] for r in read_jsonl(tmp_path / "corpus.jsonl")}
    assert {"000", "003"} <= pages
    assert read_jsonl(tmp_path / "duplicates.jsonl") == []


def test_same_page_crawled_twice_is_kept_once_and_the_copy_recorded(tmp_path, cleaner):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    page = (SEEDS / "001_b0a4fdf67cf47b19.txt").read_text(encoding="utf-8")
    (a / "page.txt").write_text(page, encoding="utf-8")
    (b / "page.txt").write_text(
        page.replace("’", "'"), encoding="utf-8"
    )  # respaced quotes: still the same story
    run([a, b], tmp_path / "out", cleaner)
    (kept,) = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    (copy,) = read_jsonl(tmp_path / "out" / "duplicates.jsonl")
    assert copy["duplicate_of"] == kept["id"] and copy["reason"] in ("exact", "near")
    assert kept["copies"][0]["id"] == copy["id"]
    assert copy["text"]  # the whole record, never silently lost


def test_order_of_inputs_on_the_command_line_does_not_matter(tmp_path, cleaner):
    a, b = tmp_path / "x", tmp_path / "y"
    for folder in (a, b):
        folder.mkdir()
        for seed in SEEDS.glob("*.txt"):
            (folder / seed.name).write_bytes(seed.read_bytes())
    run([a, b], tmp_path / "ab", cleaner, RunOptions(workers=1))
    run([b, a], tmp_path / "ba", cleaner, RunOptions(workers=2))

    def links(out):
        return sorted((d["id"], d["duplicate_of"]) for d in read_jsonl(out / "duplicates.jsonl"))

    assert links(tmp_path / "ab") == links(tmp_path / "ba") and len(links(tmp_path / "ab")) == 8
    kept = [sorted(r["id"] for r in read_jsonl(tmp_path / o / "corpus.jsonl")) for o in ("ab", "ba")]
    assert kept[0] == kept[1]


def test_planted_copies_are_found(tmp_path, cleaner):
    """make_dupset.py plants syndicated, edited, trimmed and respaced copies: pairwise P >= 0.99, R >= 0.95."""
    make = need_shared("tools", "make_dupset.py")
    score = need_shared("tools", "score_dedup.py")
    gold = need_shared("data", "aeb")
    dumps = tmp_path / "dumps"
    html = tmp_path / "html"
    html.mkdir()
    import gzip

    for page in sorted(gold.glob("*.html.gz")):
        (html / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
    render = need_shared("tools", "render_dump.py")
    subprocess.run(
        [sys.executable, str(render), *map(str, sorted(html.glob("*.html"))), "--out", str(dumps)], check=True
    )
    subprocess.run(
        [
            sys.executable,
            str(make),
            "--gold",
            str(gold),
            "--dumps",
            str(dumps),
            "--distinct-extra",
            "300",
            "--out",
            str(tmp_path / "set"),
        ],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "out"
    run([tmp_path / "set" / "pages"], out, cleaner, RunOptions(workers=2))
    proc = subprocess.run(
        [sys.executable, str(score), "--truth", str(tmp_path / "set" / "truth.json"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["lost"] == 0
    assert got["precision"] >= 0.99 and got["recall"] >= 0.95, got


def test_dedup_command_on_a_corpus_cleaned_elsewhere(tmp_path):
    corpus = tmp_path / "in.jsonl"
    text = "Officials said on Monday that the bridge would reopen next week after repairs to its deck."
    lines = [
        {"id": "1", "text": text},
        {"id": "2", "text": text.upper()},
        {"id": "3", "text": "Other news entirely."},
    ]
    corpus.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "dedup", str(corpus), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in read_jsonl(tmp_path / "o" / "corpus.jsonl")] == ["1", "3"]
    assert [(r["id"], r["duplicate_of"]) for r in read_jsonl(tmp_path / "o" / "duplicates.jsonl")] == [
        ("2", "1")
    ]


def test_eval_command_agrees_with_the_shared_scorer(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (pages / seed.name).write_bytes(seed.read_bytes())
        g = json.loads((need_shared("gold", "seeds") / (seed.stem + ".gold.json")).read_text())
        (gold / (seed.name.split(".")[0] + ".gold.txt")).write_text(g["text"], encoding="utf-8")
    ours = subprocess.run(
        [
            sys.executable,
            "-m",
            "cleaner.cli",
            "eval",
            "--gold",
            str(gold),
            str(pages),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    theirs = subprocess.run(
        [
            sys.executable,
            str(need_shared("tools", "score.py")),
            "--gold",
            str(gold),
            "--corpus",
            str(tmp_path / "o" / "corpus.jsonl"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(ours.stdout.strip().splitlines()[-1]) == json.loads(
        theirs.stdout.strip().splitlines()[-1]
    )
    assert json.loads(ours.stdout)["f1"] == 1.0


def test_keep_duplicates_keeps_copies_in_the_corpus_marked(tmp_path):
    from cleaner.run.page import Cleaner, Settings

    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        (folder / "page.txt").write_bytes((SEEDS / "000_e556c51ad6b3cfb2.txt").read_bytes())
    keeping = Cleaner.load(Settings(keep_duplicates=True))
    run([a, b], tmp_path / "out", keeping)
    corpus = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    (copy,) = read_jsonl(tmp_path / "out" / "duplicates.jsonl")
    assert len(corpus) == 2
    assert corpus[1]["duplicate_of"] == corpus[0]["id"] == copy["duplicate_of"]
    assert corpus[1]["reason"] == "exact" and corpus[1]["similarity"] == 1.0
