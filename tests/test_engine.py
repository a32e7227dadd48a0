"""The local engine: output independent of the worker count, and resumable after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from cleaner.run.engine import RunOptions
from cleaner.run.runner import run

from .conftest import ROOT, SEEDS, seed_crawl

OUTPUTS = ("corpus.jsonl", "rejects.jsonl", "duplicates.jsonl", "stats.json")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """240 pages: the seeds in 40 crawl folders, plus an empty page in each."""
    return seed_crawl(tmp_path_factory.mktemp("corpus"), 40)


def test_output_does_not_depend_on_the_number_of_workers(corpus, tmp_path, cleaner):
    run([corpus], tmp_path / "one", cleaner, RunOptions(workers=1, chunk_pages=16))
    run([corpus], tmp_path / "two", cleaner, RunOptions(workers=2, chunk_pages=7))
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert not (tmp_path / "one" / ".work").exists()


def _clean(corpus, out, *extra):
    return [sys.executable, "-m", "cleaner.cli", "clean", str(corpus), "--out", str(out), "--quiet", *extra]


def test_kill_9_then_resume_gives_the_same_bytes(corpus, tmp_path):
    whole = tmp_path / "whole"
    subprocess.run(_clean(corpus, whole, "--workers", "1"), check=True, cwd=ROOT)

    out = tmp_path / "killed"
    proc = subprocess.Popen(_clean(corpus, out, "--workers", "1", "--chunk-pages", "4"), cwd=ROOT)
    work = out / ".work"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(work.glob("chunk-*.jsonl"))) < 10:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    spooled = len(list(work.glob("chunk-*.jsonl")))
    assert 10 <= spooled < 60, "the run was not killed half way"
    assert not (out / "corpus.jsonl").exists()  # nothing half-written under a final name

    subprocess.run(
        _clean(corpus, out, "--workers", "1", "--chunk-pages", "4", "--resume"), check=True, cwd=ROOT
    )
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name


def test_resume_with_other_inputs_starts_over(corpus, tmp_path, cleaner):
    out = tmp_path / "out"
    run([SEEDS], out, cleaner, RunOptions(chunk_pages=2))
    (out / ".work").mkdir()
    (out / ".work" / "chunk-000000.jsonl").write_text("garbage\n")
    run(
        [SEEDS], out, cleaner, RunOptions(chunk_pages=2, resume=True)
    )  # no run.json: the spool is not trusted
    assert (out / "corpus.jsonl").read_text().count("\n") == 8


def test_parquet_output_holds_the_same_records_as_jsonl(corpus, tmp_path, cleaner):
    from cleaner.outputs.write import read_parquet_records
    from cleaner.run.page import Cleaner, Settings

    from .conftest import read_jsonl

    run([corpus], tmp_path / "j", cleaner, RunOptions(workers=1))
    parquet = Cleaner.load(Settings(output_format="parquet", shard_size=3))
    run([corpus], tmp_path / "p", parquet, RunOptions(workers=2))
    shards = sorted((tmp_path / "p").glob("corpus-*.parquet"))
    assert len(shards) > 1
    records = [r for shard in shards for r in read_parquet_records(shard)]
    assert records == read_jsonl(tmp_path / "j" / "corpus.jsonl")
    manifest = __import__("json").loads((tmp_path / "p" / "manifest.json").read_text())
    assert sum(f["records"] for f in manifest["outputs"] if f["path"].startswith("corpus")) == len(records)
    assert all(len(f["sha256"]) == 64 for f in manifest["outputs"])


def test_a_spool_is_resumed_only_by_the_run_that_made_it(tmp_path, cleaner):
    from cleaner.errors import ResumeMismatch
    from cleaner.inputs.read import list_inputs
    from cleaner.run.engine import fingerprint as of_files
    from cleaner.run.engine import prepare_work

    def fingerprint(inputs, *rest):
        return of_files(list_inputs(inputs), *rest)

    settings, out, extra = cleaner.settings, tmp_path / "out", tmp_path / "extra.txt"
    extra.write_text("one more page\n")
    local = fingerprint([SEEDS], settings, "pages", 64, "d1")
    work = prepare_work(out, local, resume=False)
    (work / "chunk-000000.jsonl").write_text("{}\n")
    assert (prepare_work(out, local, resume=True) / "chunk-000000.jsonl").exists()
    for other, named in [
        (fingerprint([SEEDS], settings, "files", 64, "d1"), "chunking"),  # the Dask engine's file groups
        (fingerprint([SEEDS], settings, "pages", 32, "d1"), "chunk-size"),  # other chunks
        (fingerprint([SEEDS], settings, "pages", 64, "d2"), "rules"),  # a rule file edited
        (fingerprint([SEEDS, extra], settings, "pages", 64, "d1"), "inputs (1 added since: extra.txt)"),
    ]:
        with pytest.raises(ResumeMismatch) as caught:
            prepare_work(out, other, resume=True)
        assert named in str(caught.value) and "without --resume" in str(caught.value)
        assert (work / "chunk-000000.jsonl").exists()  # refused: the spool is left as it was
    assert not (prepare_work(out, local, resume=False) / "chunk-000000.jsonl").exists()  # no --resume: anew


def test_resume_after_a_rule_edit_and_inputs_added_and_deleted_exits_2_naming_them(tmp_path):
    """Done-when 2 of issue 13: never a corpus half under the old rules, half under the new."""
    import shutil

    from click.testing import CliRunner

    from cleaner.cli import main
    from cleaner.run.engine import spool_pages
    from cleaner.run.page import Cleaner, Settings
    from cleaner.strip.rules import DEFAULT_RULES

    rules, pages, out = tmp_path / "rules", tmp_path / "pages", tmp_path / "out"
    shutil.copytree(DEFAULT_RULES, rules)
    shutil.copytree(SEEDS, pages)
    loaded = Cleaner.load(Settings(rules_dir=rules))
    spool_pages([pages], out, loaded.settings, RunOptions(chunk_pages=2), loaded.rules.digest)  # killed here
    args = ["clean", str(pages), "--out", str(out), "--rules", str(rules), "--quiet", "--chunk-pages", "2"]
    same = CliRunner().invoke(main, [*args, "--resume", "--workers", "1"])
    assert same.exit_code == 0, same.output  # an unchanged run resumes
    before = (out / "corpus.jsonl").read_bytes()
    spool_pages([pages], out, loaded.settings, RunOptions(chunk_pages=2), loaded.rules.digest)
    nav = rules / "global" / "navigation.toml"
    nav.write_text(nav.read_text(encoding="utf-8") + "\n# edited in place\n", encoding="utf-8")
    (pages / "new.txt").write_text("A new page.\n")
    first = sorted(pages.glob("0*.txt"))[0]
    first.unlink()
    result = CliRunner().invoke(main, [*args, "--resume"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "rules (rule files changed" in message
    assert "inputs (1 added since: pages/new.txt)" in message
    assert f"inputs (1 deleted since: pages/{first.name})" in message
    assert "Run again without --resume to start over" in message
    assert "Traceback" not in result.output
    assert (out / "corpus.jsonl").read_bytes() == before  # nothing written


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("small", [True, False])
def test_the_chunked_plan_decides_what_dedup_decides_on_all_records_at_once(
    corpus, tmp_path, cleaner, workers, small, monkeypatch
):
    """The corpus passes run chunk by chunk (in workers); the reference holds every record and
    is hashed with numpy; the plan in plain Python (a small corpus) or with numpy."""
    import json

    from cleaner.corpus import dedup as dedup_module
    from cleaner.corpus import plan as corpus_steps
    from cleaner.corpus.dedup import DedupParams, dedup
    from cleaner.corpus.repeated_lines import count_lines, frequent_lines, strip_repeated
    from cleaner.run import engine

    # a site of 30 stories sharing a prose footer (a repeated line), each crawled up to three times
    pages = tmp_path / "site.jsonl"
    with pages.open("w", encoding="utf-8") as fh:
        for k in range(30):
            body = "\n\n".join(
                f"Story {k} paragraph {p}: the council met on Monday and {k * 7 + p} residents spoke "
                f"about plan number {k} for the river bank, which the mayor said would go ahead."
                for p in range(4)
            )
            footer = "The Planet is an independent paper serving readers since 1901, and it welcomes letters."
            text = f"Council story number {k} makes news\n\n{body}\n\n{footer}\n"
            for copy in range(1 + k % 3):
                fh.write(json.dumps({"url": f"https://planet.example/{k}/{copy}", "text": text}) + "\n")
    engine.set_cleaner(cleaner)
    work = engine.spool_pages(
        [corpus, pages], tmp_path / "out", cleaner.settings, RunOptions(workers=2, chunk_pages=9)
    )
    entries = [e for chunk in engine.spool_chunk_paths(work) for e in corpus_steps.read_spool_file(chunk)]
    records = [r for entry in entries for r in entry["records"]]
    frequent = frequent_lines(count_lines(records))
    monkeypatch.setattr(dedup_module, "SMALL_CORPUS_CHARS", -1)
    expected = dedup([corpus_steps.slim(strip_repeated(r, frequent)) for r in records])
    assert frequent and expected.counts["near"] and expected.counts["exact"]  # both steps have work here

    monkeypatch.setattr(dedup_module, "SMALL_CORPUS_CHARS", 10**9 if small else -1)
    corpus_steps.set_plan_state(set(), DedupParams())  # nothing left from an earlier run for forks to inherit
    got = corpus_steps.plan(engine.spool_slims(work), engine.chunk_map(workers))
    assert got.frequent == frequent
    assert got.counts == expected.counts
    assert got.duplicates == {str(r["id"]) for r in expected.duplicates}
    for rec in [*expected.kept, *expected.duplicates]:
        marks = {k: v for k, v in rec.items() if k not in corpus_steps.SLIM_FIELDS and k != "source"}
        assert got.marks[str(rec["id"])] == marks


def test_the_command_line_writes_the_format_and_shards_it_is_asked_for(tmp_path):
    """--format and --shard-size reach the writers (they once stopped at the option parser)."""
    import gzip

    from click.testing import CliRunner

    from cleaner.cli import main
    from cleaner.outputs.write import read_parquet_records

    from .conftest import read_jsonl

    def clean(out, *extra):
        result = CliRunner().invoke(main, ["clean", str(SEEDS), "--out", str(out), "--quiet", *extra])
        assert result.exit_code == 0, result.output

    clean(tmp_path / "plain")
    expected = read_jsonl(tmp_path / "plain" / "corpus.jsonl")
    assert len(expected) > 3

    clean(tmp_path / "gz", "--format", "jsonl.gz", "--shard-size", "3")
    shards = sorted((tmp_path / "gz").glob("corpus-*.jsonl.gz"))
    assert len(shards) == -(-len(expected) // 3)
    lines = b"".join(gzip.decompress(s.read_bytes()) for s in shards)
    assert lines == (tmp_path / "plain" / "corpus.jsonl").read_bytes()

    clean(tmp_path / "pq", "--format", "parquet")
    assert list(read_parquet_records(tmp_path / "pq" / "corpus.parquet")) == expected
    assert not list((tmp_path / "pq").glob("corpus*.jsonl"))


def test_progress_line_counts_rate_and_eta_and_is_silent_when_off(capsys):
    from cleaner.run.engine import Progress

    shown = Progress(True, 10)
    shown.add(4)  # the first add draws at once
    shown.add(1)  # within 0.2 s: not redrawn
    shown.finish()  # the final state, then a newline
    err = capsys.readouterr().err
    assert err.startswith("\r4/10 pages  ") and "pages/s  ETA " in err
    assert "\r5/10 pages  " in err and err.endswith(" s\n") and err.count("\r") == 2

    quiet = Progress(False, 10)
    quiet.add(4)
    quiet.finish()
    assert capsys.readouterr().err == ""


def test_corpus_passes_show_their_progress(capsys):
    from cleaner.run.engine import chunk_map

    def chunk_square(x):
        return x * x

    assert list(chunk_map(1, progress=True)(chunk_square, [1, 2, 3])) == [1, 4, 9]
    err = capsys.readouterr().err
    assert err.startswith("\rsquare: 1/3 chunks") and "\rsquare: 3/3 chunks" in err and err.endswith("\n")
    assert list(chunk_map(1)(chunk_square, [1, 2])) == [1, 4]
    assert capsys.readouterr().err == ""


class _CountedItems:
    """A list that counts how many of its items have been handed out."""

    def __init__(self, n: int) -> None:
        self.n, self.handed = n, 0

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        for i in range(self.n):
            self.handed += 1
            yield i


def _echo(x):
    return x


def test_a_pool_pass_hands_out_only_a_few_tasks_ahead_of_a_slow_consumer():
    """Results wait in memory until taken: the feed keeps their number bounded."""
    from cleaner.run.engine import IN_FLIGHT, chunk_map

    items = _CountedItems(200)
    taken = 0
    for result in chunk_map(2)(_echo, items):
        assert result == taken
        taken += 1
        if taken <= 5:
            time.sleep(0.2)  # a consumer slower than the workers
            assert items.handed <= taken + 2 * IN_FLIGHT + 1, (items.handed, taken)
    assert taken == 200


def test_a_reused_out_holds_only_this_runs_outputs(tmp_path):
    """Issue 13, item 7: no corpus.jsonl beside a new corpus.parquet, no stale shard, no old report."""
    import json

    from click.testing import CliRunner

    from cleaner.cli import main

    out = tmp_path / "out"
    base = ["clean", str(SEEDS), "--out", str(out), "--workers", "1"]
    assert CliRunner().invoke(main, [*base, "--quiet", "--shard-size", "2"]).exit_code == 0
    assert len(list(out.glob("corpus-*.jsonl"))) == 4  # 8 articles
    (out / "report.html").write_text("<html>an old report</html>")
    (out / "notes.txt").write_text("mine")  # not a run's output: left alone
    result = CliRunner().invoke(main, [*base, "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "corpus.parquet",
        "duplicates.parquet",
        "manifest.json",
        "notes.txt",
        "rejects.jsonl",
        "stats.json",
    ]
    removed = json.loads((out / "manifest.json").read_text())["removed"]
    assert removed == [
        "corpus-00000.jsonl",
        "corpus-00001.jsonl",
        "corpus-00002.jsonl",
        "corpus-00003.jsonl",
        "duplicates-00000.jsonl",
        "report.html",
    ]
    assert "removed      corpus-00000.jsonl, corpus-00001.jsonl" in result.output


def test_a_run_of_one_chunk_keeps_no_resumable_spool_and_waits_for_no_scratch_file(
    tmp_path, cleaner, monkeypatch
):
    """Its spool is not fsynced and not fingerprinted, so a --resume after a crash starts over
    (it redoes one chunk at most); a longer run's spool is both."""
    from cleaner.run import engine

    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    run([SEEDS], tmp_path / "one", cleaner, RunOptions(workers=1))
    assert synced and not [p for p in synced if "/.work/" in p]  # the outputs only
    work = engine.prepare_work(tmp_path / "one", {}, resume=False, stamp_now=False)
    assert not (work / "run.json").exists()

    synced.clear()
    run([SEEDS], tmp_path / "two", cleaner, RunOptions(workers=1, chunk_pages=2))
    spool = [p for p in synced if "/.work/" in p]
    assert any("/.run.json." in p for p in spool) and any("/.chunk-" in p for p in spool)
