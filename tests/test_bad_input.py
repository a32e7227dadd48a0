"""Bad input never crashes a run and never loses a page: it lands in rejects.jsonl with a reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cleaner.run.runner import run

from .conftest import ROOT, SEEDS, read_jsonl


@pytest.fixture()
def mixed(tmp_path):
    """The seed pages plus one page of each kind of bad input."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (pages / seed.name).write_bytes(seed.read_bytes())
    (pages / "empty.txt").write_bytes(b"")
    (pages / "blank.txt").write_bytes(b"  \n\n \t\n")
    (pages / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (pages / "menu-only.txt").write_text("Home\nNews\nSport\nWeather\n\nContact Us\n", encoding="utf-8")
    return pages


def test_bad_pages_are_rejected_with_reasons_and_the_run_goes_on(mixed, tmp_path, cleaner):
    out = tmp_path / "out"
    summary = run([mixed], out, cleaner)
    rejects = {r["path"].split("/")[-1]: r for r in read_jsonl(out / "rejects.jsonl")}
    assert rejects["empty.txt"]["reason"] == "empty"
    assert rejects["blank.txt"]["reason"] == "empty"
    assert rejects["binary.txt"]["reason"] == "binary"
    assert rejects["menu-only.txt"]["reason"] == "no-article"
    assert all(r["sha256"] and r["detail"] is not None for r in rejects.values())
    corpus = read_jsonl(out / "corpus.jsonl")
    assert {r["source"]["path"].split("/")[-1][:3] for r in corpus} == {"000", "001", "002", "003", "004"}
    assert summary.pages == 9 and summary.rejects == 4


def test_seed_articles_are_the_same_with_bad_pages_beside_them(mixed, tmp_path, cleaner):
    run([mixed], tmp_path / "mixed", cleaner)
    run([SEEDS], tmp_path / "clean", cleaner)

    def bodies(path):
        return sorted(
            (r["source"]["path"].split("/")[-1], r["text"], r["headline"]) for r in read_jsonl(path)
        )

    assert bodies(tmp_path / "mixed" / "corpus.jsonl") == bodies(tmp_path / "clean" / "corpus.jsonl")


def test_manifest_counts_add_up(mixed, tmp_path, cleaner):
    out = tmp_path / "out"
    run([mixed], out, cleaner)
    manifest = json.loads((out / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["pages"] == len(manifest["inputs"]) == 9
    assert counts["pages_with_articles"] + counts["pages_rejected"] == counts["pages"]
    assert counts["documents"] == len(read_jsonl(out / "corpus.jsonl"))
    assert counts["pages_rejected"] == len(read_jsonl(out / "rejects.jsonl"))
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])


def test_undecodable_page_is_rejected_not_crashed(tmp_path, cleaner):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "garbage.txt").write_bytes(b"\xff\xfe\xfd" * 5 + b"\x81\x8d\x8f\x90\x9d" * 400)
    run([pages], tmp_path / "out", cleaner)
    (reject,) = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert reject["reason"] in {"undecodable", "binary", "no-article"}


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def test_cli_exits_0_with_bad_pages_and_2_for_a_missing_input(mixed, tmp_path):
    ok = _cli("clean", str(mixed), "--out", str(tmp_path / "out"))
    assert ok.returncode == 0, ok.stderr
    missing = _cli("clean", str(tmp_path / "nope"), "--out", str(tmp_path / "out2"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert not (tmp_path / "out2").exists()


def test_outputs_are_written_atomically_no_temporary_left(mixed, tmp_path, cleaner):
    out = tmp_path / "out"
    run([mixed], out, cleaner)
    assert sorted(os.listdir(out)) == sorted(
        ["corpus.jsonl", "rejects.jsonl", "duplicates.jsonl", "manifest.json", "stats.json"]
    )


def test_explain_shows_every_line_with_its_fate():
    proc = _cli("explain", str(SEEDS / "003_ac5ee5fd671e3ffd.txt"), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "removed crawl-timestamp" in out and "heur/crawl-timestamp" in out
    assert "sputnik/listen-live" in out
    assert "standfirst" in out and "subhead" in out
    numbered = [line.split()[0] for line in out.splitlines() if line.strip()]
    page = (SEEDS / "003_ac5ee5fd671e3ffd.txt").read_text(encoding="utf-8").split("\n")
    assert numbered == [str(i) for i, t in enumerate(page, start=1) if t.strip()]


def test_a_bug_on_one_page_is_a_reject_not_a_dead_run(tmp_path, cleaner, monkeypatch):
    import cleaner.run.page as pipeline

    real = pipeline.segment

    def flaky(lines, *args, **kwargs):
        if any("BELGRADE" in ln.text for ln in lines):
            raise RuntimeError("boom")
        return real(lines, *args, **kwargs)

    monkeypatch.setattr(pipeline, "segment", flaky)
    run([SEEDS], tmp_path / "out", cleaner)
    (reject,) = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert reject["reason"] == "internal-error" and "RuntimeError: boom" in reject["detail"]
    assert len(read_jsonl(tmp_path / "out" / "corpus.jsonl")) == 7
