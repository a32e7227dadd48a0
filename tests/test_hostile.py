"""Hostile input (issue 6): one bad page never stops a run or loses the rest, no rule can hang it.

Every case of tests/hostile_pages.py goes through the real `cleaner clean` path: in process
(`cleaner.pipeline.run`) for the battery, and as a real CLI subprocess for the whole mixed
folder beside the seed pages. Each case states its exact outcome: the body text of every
article it gives, the reason (and line or record) of every reject; never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cleaner.errors import RuleError
from cleaner.inputs import read
from cleaner.model import Line
from cleaner.run.engine import IN_FLIGHT, RunOptions
from cleaner.run.page import Cleaner, Settings
from cleaner.run.runner import run
from cleaner.strip.rules import DEFAULT_RULES, CompiledRules, compile_regex, load_rules

from .conftest import ROOT, SEEDS, read_jsonl, seed_crawl
from .hostile_pages import CASES, EXTRA_ARTICLES, Hostile, big_page, build_folder, english, unlock

ROOT_CAN_READ = [c for c in CASES if c.root_can_read]
AS_ROOT = os.geteuid() == 0
# as root, chmod 000 stops nothing: without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv
# drops them from the bounding set before exec) root obeys permission bits like anyone else
NO_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
CAN_DROP_DAC = not AS_ROOT or shutil.which("setpriv") is not None


def outcome_of(out: Path, folder: str, case: Hostile) -> tuple[list[Any], list[Any], list[str]]:
    """(articles as (record, text), rejects as (reason, record), reject details) for one input."""
    path = f"{folder}/{case.name}"
    corpus = read_jsonl(out / "corpus.jsonl") + read_jsonl(out / "duplicates.jsonl")
    rejects = [r for r in read_jsonl(out / "rejects.jsonl") if r["path"] == path]
    articles = sorted((r["source"].get("record"), r["text"]) for r in corpus if r["source"]["path"] == path)
    return articles, sorted((r["reason"], r.get("record")) for r in rejects), [r["detail"] for r in rejects]


def assert_outcome(out: Path, folder: str, case: Hostile) -> None:
    articles, rejects, details = outcome_of(out, folder, case)
    assert rejects == sorted(case.expect.rejects), case.what
    assert all(case.expect.detail in d for d in details), (case.what, details)
    assert articles == sorted(case.expect.articles), case.what


def assert_nothing_else(out: Path, folder: str, cases: list[Hostile], seeds: bool = False) -> None:
    """No record and no reject comes from anything but the cases (and the seeds)."""
    known = {f"{folder}/{c.name}" for c in cases} | {f"{folder}/{p}" for p in EXTRA_ARTICLES}
    if seeds:
        known |= {f"{folder}/{p.name}" for p in SEEDS.glob("*.txt")}
    corpus = read_jsonl(out / "corpus.jsonl") + read_jsonl(out / "duplicates.jsonl")
    assert {r["source"]["path"] for r in corpus} <= known
    assert {r["path"] for r in read_jsonl(out / "rejects.jsonl")} <= known
    assert read_jsonl(out / "duplicates.jsonl") == []  # every article is its own: dedup keeps all
    for name, text in EXTRA_ARTICLES.items():
        assert [r["text"] for r in corpus if r["source"]["path"] == f"{folder}/{name}"] == [text]


class vanishing_after_listing:
    """Delete the `vanish` cases right after the engine lists its inputs and before it reads them:
    the engine lists every input first and opens each lazily, so the file is really gone when its
    turn comes, as when a crawler's clean-up job runs beside the cleaner."""

    def __init__(self, folder: Path, cases: list[Hostile]) -> None:
        self.doomed = [folder / c.name for c in cases if c.vanish]
        self.real = read.list_inputs

    def __enter__(self) -> None:
        def listed_then_deleted(inputs: list[Path]) -> list[tuple[Path, str]]:
            found = self.real(inputs)
            for path in self.doomed:
                path.unlink(missing_ok=True)
            return found

        self.patch = pytest.MonkeyPatch()
        self.patch.setattr(read, "list_inputs", listed_then_deleted)

    def __exit__(self, *exc: object) -> None:
        self.patch.undo()


@pytest.fixture(scope="module")
def battery(tmp_path_factory, cleaner):
    """Every case root can run, cleaned in process, in one run (workers=1, small chunks)."""
    tmp = tmp_path_factory.mktemp("battery")
    pages = tmp / "pages"
    build_folder(pages, ROOT_CAN_READ)
    with vanishing_after_listing(pages, ROOT_CAN_READ):
        summary = run([pages], tmp / "out", cleaner, RunOptions(workers=1, chunk_pages=3))
    return tmp / "out", summary


@pytest.mark.parametrize("case", ROOT_CAN_READ, ids=lambda c: c.name)
def test_each_hostile_input_has_its_exact_outcome(battery, case):
    out, _ = battery
    assert_outcome(out, "pages", case)


def test_the_battery_gives_nothing_else_and_counts_add_up(battery):
    out, summary = battery
    assert_nothing_else(out, "pages", ROOT_CAN_READ)
    rejects = sum(len(c.expect.rejects) for c in ROOT_CAN_READ)
    articles = sum(len(c.expect.articles) for c in ROOT_CAN_READ) + len(EXTRA_ARTICLES)
    assert (summary.rejects, summary.documents) == (rejects, articles)
    assert not (out / ".work").exists()


# ---------------------------------------------------------------- the whole folder through the CLI


def _cli(*args: str, prefix: list[str] | None = None, vanish: list[Path] | None = None, **kw: Any):
    """`cleaner` as a subprocess; `vanish` files are deleted right after the inputs are listed
    (a small wrapper around the real entry point: see vanishing_after_listing)."""
    if vanish:
        code = (
            "import sys, pathlib, cleaner.inputs.read as r\n"
            "real, doomed = r.list_inputs, sys.argv.pop(1).splitlines()\n"
            "def listed(inputs):\n"
            "    found = real(inputs)\n"
            "    [pathlib.Path(p).unlink(missing_ok=True) for p in doomed]\n"
            "    return found\n"
            "r.list_inputs = listed\n"
            "from cleaner.cli import main; main(prog_name='cleaner')\n"
        )
        head = [sys.executable, "-c", code, "\n".join(map(str, vanish))]
    else:
        head = [sys.executable, "-m", "cleaner.cli"]
    return subprocess.run([*(prefix or []), *head, *args], capture_output=True, text=True, cwd=ROOT, **kw)


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what depends on the folder it was read from (its path, and the id hashed from it)."""
    record = json.loads(json.dumps(record))
    record.pop("id")
    record["source"]["path"] = record["source"]["path"].split("/")[-1]
    return record


@pytest.fixture(scope="module")
def seeds_alone(tmp_path_factory, cleaner):
    out = tmp_path_factory.mktemp("seeds-alone")
    run([SEEDS], out, cleaner)
    return sorted((comparable(r) for r in read_jsonl(out / "corpus.jsonl")), key=json.dumps)


def test_done_when_mixed_folder_of_bad_pages_and_seeds_through_the_cli(tmp_path, seeds_alone):
    """Issue 6's done-when: the bad pages and the seed pages in one folder, `cleaner clean` with two
    workers: exit 0, no traceback, every seed article exactly as without the bad pages, every bad
    page in rejects.jsonl with its reason (or cleaned to its exact text)."""
    cases = CASES if CAN_DROP_DAC else ROOT_CAN_READ
    pages = tmp_path / "pages"
    build_folder(pages, cases)
    for seed in SEEDS.glob("*.txt"):
        shutil.copyfile(seed, pages / seed.name)
    out = tmp_path / "out"
    vanish = [pages / c.name for c in cases if c.vanish]
    try:
        proc = _cli(
            "clean", str(pages), "--out", str(out), "--workers", "2", "--chunk-pages", "4",
            prefix=NO_DAC if AS_ROOT and cases is CASES else None, vanish=vanish, timeout=120,
        )  # fmt: skip
    finally:
        unlock(pages, cases)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr, proc.stderr
    for case in cases:
        assert_outcome(out, "pages", case)
    assert_nothing_else(out, "pages", cases, seeds=True)
    seeds = [r for r in read_jsonl(out / "corpus.jsonl") if r["source"]["path"].split("/")[-1][:3].isdigit()]
    assert sorted((comparable(r) for r in seeds), key=json.dumps) == seeds_alone
    assert sorted(os.listdir(out)) == sorted(
        ["corpus.jsonl", "rejects.jsonl", "duplicates.jsonl", "manifest.json", "stats.json"]
    )


@pytest.mark.skipif(not CAN_DROP_DAC, reason="root without setpriv: nothing can refuse root a read")
def test_unreadable_file_and_unlistable_folder_are_rejected_not_lost(tmp_path):
    """chmod 000 on a file and on a folder. os.walk skips a folder it cannot list without a word:
    its pages would vanish from the run; it is a reject naming the folder instead."""
    cases = [c for c in CASES if not c.root_can_read]
    pages = tmp_path / "pages"
    build_folder(pages, cases)
    (pages / "fine.txt").write_text(english(501).dump(), encoding="utf-8")
    try:
        proc = _cli("clean", str(pages), "--out", str(tmp_path / "out"), prefix=NO_DAC if AS_ROOT else None)
    finally:
        unlock(pages, cases)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    for case in cases:
        assert_outcome(tmp_path / "out", "pages", case)
    assert [r["text"] for r in read_jsonl(tmp_path / "out" / "corpus.jsonl")] == [english(501).text]


def test_max_page_bytes_is_the_limit_and_the_reason_says_so(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    article = english(601)
    (pages / "small.txt").write_text(article.dump(), encoding="utf-8")
    (pages / "big.txt").write_text(english(602).dump() * 3, encoding="utf-8")
    limit = len(article.dump().encode()) + 10
    proc = _cli("clean", str(pages), "--out", str(tmp_path / "out"), "--max-page-bytes", str(limit))
    assert proc.returncode == 0, proc.stderr
    (reject,) = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert (reject["path"], reject["reason"]) == ("pages/big.txt", "too-large")
    assert f"> --max-page-bytes {limit}" in reject["detail"]
    assert [r["text"] for r in read_jsonl(tmp_path / "out" / "corpus.jsonl")] == [article.text]
    help_text = _cli("clean", "--help").stdout
    assert "--max-page-bytes" in help_text and "20971520" in help_text  # the default is documented


@pytest.mark.slow
def test_a_100_mb_page_is_rejected_too_large(tmp_path, seeds_alone):
    """Built on the fly (never committed); read.py refuses it by its size, without reading it."""
    pages = tmp_path / "pages"
    pages.mkdir()
    big_page(100 << 20)(pages / "huge.txt")
    for seed in SEEDS.glob("*.txt"):
        shutil.copyfile(seed, pages / seed.name)
    proc = _cli("clean", str(pages), "--out", str(tmp_path / "out"), "--workers", "2", timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    (reject,) = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert (reject["path"], reject["reason"]) == ("pages/huge.txt", "too-large")
    corpus = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    assert sorted((comparable(r) for r in corpus), key=json.dumps) == seeds_alone


# ---------------------------------------------------------------- up-front errors: exit 2, nothing done


BROKEN_RULE = """
[[rule]]
id = "x/look-behind"
category = "boilerplate"
description = "RE2 has no look-around."
regex = '(?<=Share )this'
[rule.examples]
change = ["Share this"]
keep = ["this"]
"""


def _nothing_created(path: Path) -> bool:
    return not path.exists() or (path.is_file() and path.read_bytes() == b"a file, not a folder\n")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("out-under-a-file", "output folder is not writable"),
        ("out-is-a-file", "output folder is not writable"),
        ("missing-input", "input does not exist"),
        ("bad-rule-file", "bad rule file"),
    ],
)
def test_up_front_errors_exit_2_with_one_line_and_do_no_work(tmp_path, case, message):
    """As root chmod cannot make a folder unwritable; a path under a regular file cannot be
    created by anyone, root included, so it is the honest unwritable --out."""
    blocker = tmp_path / "somefile"
    blocker.write_text("a file, not a folder\n")
    out, inputs, rules = tmp_path / "out", [str(SEEDS)], str(DEFAULT_RULES)
    if case == "out-under-a-file":
        out = blocker / "out"
    elif case == "out-is-a-file":
        out = blocker
    elif case == "missing-input":
        inputs.append(str(tmp_path / "nope"))
    else:
        rules = str(tmp_path / "rules")
        shutil.copytree(DEFAULT_RULES, rules)
        (Path(rules) / "global" / "broken.toml").write_text(BROKEN_RULE)
    proc = _cli("clean", *inputs, "--out", str(out), "--rules", rules)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert _nothing_created(out) and _nothing_created(blocker)
    if case == "bad-rule-file":  # a look-behind: fine for Python's re, refused by RE2
        assert "broken.toml" in lines[0] and "x/look-behind" in lines[0] and "does not compile" in lines[0]


def test_an_out_folder_not_even_root_can_create_is_an_up_front_error(tmp_path):
    out = Path("/proc/cleaner-hostile-test/out")
    if not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    proc = _cli("clean", str(SEEDS), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: ")


# ---------------------------------------------------------------- runaway rules

EVIL_RULE = """
[[rule]]
id = "test/evil"
category = "boilerplate"
description = "Catastrophic backtracking in a backtracking engine: exponential on aaa...ab."
regex = '(a+)+$'
[rule.examples]
change = ["aaaa"]
keep = ["aaab"]
"""


@pytest.fixture(scope="module")
def evil_rules(tmp_path_factory):
    rules = tmp_path_factory.mktemp("evil") / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    (rules / "global" / "evil.toml").write_text(EVIL_RULE)
    return rules


def test_a_catastrophic_regex_cannot_hang_the_run(tmp_path, evil_rules):
    """`(a+)+$` against a 1 MB line of a's ending in b: Python's re would take longer than the
    universe; RE2 is linear. The whole CLI run (start-up, rules, seeds, the page) ends in
    and the seed articles are exactly as without the bad page."""
    article = english(701)
    with_page, without = tmp_path / "with", tmp_path / "without"
    for folder in (with_page, without):
        folder.mkdir()
        for seed in SEEDS.glob("*.txt"):
            shutil.copyfile(seed, folder / seed.name)
    (with_page / "evil.txt").write_text(article.dump() + "\n" + "a" * 1_000_000 + "b\n", encoding="utf-8")
    # bounded work by construction, not a stopwatch: every rule regex is an RE2 program (linear
    # time, no backtracking), and RE2 refuses what only a backtracking engine can run
    evil = next(r for r in load_rules(evil_rules).rules if r.id == "test/evil")
    assert type(evil.regex).__module__.startswith("re2") and evil.regex.search("aaab") is None
    with pytest.raises(RuleError, match="does not compile"):
        compile_regex(r"(a+)\1", "x.toml", "test/backreference")
    proc = _cli("clean", str(with_page), "--out", str(tmp_path / "out"), "--rules", str(evil_rules))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    baseline = _cli("clean", str(without), "--out", str(tmp_path / "base"), "--rules", str(evil_rules))
    assert baseline.returncode == 0, baseline.stderr
    corpus = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    mine = [comparable(r) for r in corpus if not r["source"]["path"].endswith("evil.txt")]
    theirs = [comparable(r) for r in read_jsonl(tmp_path / "base" / "corpus.jsonl")]
    assert sorted(mine, key=json.dumps) == sorted(theirs, key=json.dumps)
    (page,) = [r for r in corpus if r["source"]["path"].endswith("evil.txt")]
    assert page["text"] == article.text
    assert not any(x["rule"] == "test/evil" for x in page["removed"])  # ends in b: no match


def test_a_10_mb_line_through_the_re2_set_is_matched_and_the_rule_named(tmp_path, evil_rules):
    """A 10 MB line of a's matches `(a+)+$`: the line is removed by that rule, and the rule is
    named in the record's `removed` and in stats.json. RE2's set search (many-match) never gives
    up when its DFA memory budget fills: it flushes the cache and goes on, so a long line cannot
    slip past the rules unmatched (measured: a 64 KiB budget gives the same answer, slower)."""
    article = english(702)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-line.txt").write_text(article.dump() + "\n" + "a" * 10_000_000 + "\n", encoding="utf-8")
    cleaner = Cleaner.load(Settings(rules_dir=evil_rules))
    start = time.process_time()  # CPU seconds of this process: another job's load does not count
    run([pages], tmp_path / "out", cleaner)
    assert time.process_time() - start < 20
    (record,) = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    assert record["text"] == article.text
    assert [(x["rule"], len(x["text"])) for x in record["removed"]] == [("test/evil", 10_000_000)]
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["hits"]["test/evil"] == 1 and "test/evil" not in stats["rules_not_fired"]


@pytest.mark.parametrize(
    "line",
    [
        "a" * 10_000_000,
        "a" * 10_000_000 + "b",
        "x" * 10_000_000 + " [END]",
        "Share this article " + "ab" * 5_000_000,
        "© 2020 " + "word " * 2_000_000,
    ],
    ids=["a", "a+b", "end-marker", "share", "copyright"],
)
def test_the_re2_set_agrees_with_each_rule_alone_on_10_mb_lines(evil_rules, line):
    rules = load_rules(evil_rules)
    compiled = CompiledRules(rules.for_site(None))
    start = time.process_time()
    from_set = compiled.candidates(line)
    assert time.process_time() - start < 5
    alone = [i for i, rule in enumerate(compiled.rules) if rule.matcher != "line" and rule.matches(line)]
    assert from_set == alone
    lines = [Line(number=1, text=line)]
    hits: dict[str, int] = {}
    compiled.apply(lines, hits)
    if alone:  # the first rule that matches acts on the line, and is named in the hits
        assert compiled.rules[alone[0]].id in hits
        assert lines[0].removed == (compiled.rules[alone[0]].action == "drop")
    else:
        assert not hits and not lines[0].removed


# ---------------------------------------------------------------- Ctrl-C


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """2,400 pages (seeds copied into folders, some edited as recrawls are, an empty page each):
    a few seconds of cleaning with two workers and chunks of 4, time enough to interrupt it
    on a loaded machine (1,200 pages once went by between two looks at the spool)."""
    return seed_crawl(tmp_path_factory.mktemp("big"), 400)


OUTPUTS = ("corpus.jsonl", "rejects.jsonl", "duplicates.jsonl", "stats.json")


def _sigint_default() -> None:
    """Ctrl-C at its default in the run, as in a terminal: a test run started in the background
    (`make test &`, a CI job) has SIGINT ignored, a child inherits that and Python keeps ignoring
    it (as nohup intends), so the run went on to the end and exited 0."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_fast_keeps_the_spool_and_resume_gives_the_same_bytes(big_corpus, tmp_path):
    """SIGINT to the whole process group, as a terminal's Ctrl-C does, once chunks are spooled."""
    args = ["--workers", "2", "--chunk-pages", "4", "--quiet"]
    whole = _cli("clean", str(big_corpus), "--out", str(tmp_path / "whole"), *args)
    assert whole.returncode == 0, whole.stderr

    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleaner.cli", "clean", str(big_corpus), "--out", str(out), *args]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_sigint_default,
    )
    work = out / ".work"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(work.glob("chunk-*.jsonl"))) < 5:
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    at_signal = len(list(work.glob("chunk-*.jsonl")))
    try:
        _, stderr = proc.communicate(timeout=300)  # a guard against a hang, not a speed target
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    spooled = len(list(work.glob("chunk-*.jsonl")))
    assert proc.returncode == 130, stderr
    # stopped at once: at most the chunks in flight (2 workers x IN_FLIGHT, and one each being
    # cleaned) finished after the signal, instead of a clock limit that a loaded machine misses
    assert spooled - at_signal <= 2 * (IN_FLIGHT + 1), (at_signal, spooled)
    assert 5 <= spooled < 600, "the run was not interrupted half way"
    assert not (out / "corpus.jsonl").exists() and not list(out.glob("corpus*"))
    assert not [p for p in out.iterdir() if p.name != ".work"]  # no output, not even a temporary one
    assert "--resume" in stderr and "Traceback" not in stderr, stderr

    resumed = _cli("clean", str(big_corpus), "--out", str(out), *args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name


# ---------------------------------------------------------------- what the battery found (fixed)


def _clean_one(cleaner: Cleaner, data: bytes, fmt: str) -> Any:
    from cleaner.model import Page
    from cleaner.run.page import clean_page

    return clean_page(Page(path=f"p.{fmt}", data=data, sha256="0" * 64, format=fmt), cleaner)


PROSE = "\n\n".join(english(800 + k).paragraphs[0] for k in range(3))


@pytest.mark.parametrize(
    ("line", "before"),
    [
        ("posted in " + "|" * 1_000_000, "85 s for 80 KB: `.*\\|.*` in the comment-section regex"),
        ("x" + ", " * 500_000 + " 2019", "quadratic: each separator parsed its whole tail as a date"),
        ("(" * 1_000_000 + " (12)", "quadratic: each ( parsed its whole tail as a date"),
        ("Ab - " * 200_000 + "Reuters - Dec 3, 2016", "quadratic, as above"),
    ],
    ids=["posted-in-pipes", "commas-then-year", "brackets", "dashes"],
)
def test_a_1_mb_line_of_separators_is_linear(cleaner, line, before):
    start = time.process_time()  # CPU seconds of this process: another job's load does not count
    result = _clean_one(cleaner, (PROSE + "\n\n" + line + "\n\n" + PROSE).encode(), "txt")
    assert time.process_time() - start < 5, before
    assert result.reject is None


def test_split_trailing_date_still_reads_dates_after_long_heads():
    from cleaner.dates import split_trailing_date

    head = "Talks " + "go on, " * 100 + "and on"
    split = split_trailing_date(f"{head} - Reuters - Dec 3, 2016")
    assert (split.headline, split.outlet, split.published) == (head, "Reuters", "2016-12-03")
    assert split_trailing_date(f"{head} (3 December 2016)").published == "2016-12-03"
    assert split_trailing_date(head + ", " + "x" * 100 + " Dec 3, 2016").published is None  # no date tail


def test_comment_section_regex_still_matches_its_lines():
    from cleaner.strip.heuristics import is_comment_header

    assert is_comment_header("Posted in World | Europe | 3 Comments")
    assert not is_comment_header("Posted in World | Europe")
    for header in [
        "12 Comments",
        "Leave a Reply",
        "Comments are closed.",
        "3 thoughts on “Talks resume”",
        'One response to "Talks resume"',
        "John Smith says:",
        "Show all 40 comments",
        "Permalink | Comments (3)",
    ]:
        assert is_comment_header(header), header
    for line in ["Comments from the minister followed.", "He said: talks go on", "Thoughts on peace"]:
        assert not is_comment_header(line), line


@pytest.mark.parametrize(
    ("html", "before"),
    [
        ("<p>x</p>" + "<a" * 100_000, "cubic: 1,000 of them took 4.5 s in the depth-capping tokenizer"),
        (
            "<html><body>" + "<ul><li>" * 100_000 + "A last item.",
            "15 s: the fallback walked to the root per block",
        ),
        ("<html><body>" + "<div><p>x " * 100_000, "quadratic fallback, as above"),
    ],
    ids=["unclosed-tag-starts", "nested-lists", "paragraphs-in-divs"],
)
def test_hostile_markup_is_linear(cleaner, html, before):
    start = time.process_time()  # CPU seconds of this process: another job's load does not count
    _clean_one(cleaner, html.encode(), "html")
    assert time.process_time() - start < 5, before


def test_a_stripped_box_leaves_the_words_around_it_apart(cleaner):
    """<nav>, <footer>, <button>... are stripped with their content: the words on both sides
    ran together ("HomeThe")."""
    from cleaner.extract.html import extract

    blocks, _ = extract("<div>Home<nav>Menu</nav>The storm reached the coast on Tuesday night.</div>")
    assert "HomeThe" not in " ".join(b.text for b in blocks)
    blocks, _ = extract("<p>Press<button>Share</button>here to read it.</p>")
    assert " ".join(b.text for b in blocks) == "Press here to read it."


def test_a_space_takes_a_stripped_box_s_place_only_between_words():
    from selectolax.lexbor import LexborHTMLParser

    from cleaner.extract.html import _between_words

    tree = LexborHTMLParser(
        "<div>Home<nav>Menu</nav>The story</div><div> <audio></audio></div>"
        "<div><b>a</b><button>x</button><i>b</i></div><p>Press <button>y</button>here</p>"
    )
    assert [_between_words(n) for n in tree.css("nav, audio, button")] == [True, False, True, False]


def test_a_podcast_page_keeps_its_intro_after_the_player_box():
    """trafeval f79b41b5da6d52e2 (1337kultur.de, a development quarter), checked by hand in the
    page: the episode's intro ("Thema dieser Folge ist die neue Star Trek-Serie Picard. ...") is
    loose text after the player's download <form>, before "Mitwirkende:". A space put before the
    <audio> alone in its <div> made trafilatura drop it (recall 1 -> 3 of 3 snippets)."""
    import gzip
    import json

    from cleaner.extract.html import extract
    from cleaner.inputs.decode import decode_bytes

    from .conftest import need_shared

    data = need_shared("data", "trafeval")
    key = "f79b41b5da6d52e2"
    url = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))[key]["url"]
    html, _ = decode_bytes(gzip.decompress((data / f"{key}.html.gz").read_bytes()), html=True)
    blocks, _ = extract(html, url=url)
    text = " ".join(b.text for b in blocks)
    assert text.startswith("Thema dieser Folge ist die neue Star Trek-Serie Picard. Wir nehmen diese Sendung")
    assert "Mitwirkende:" in text


def test_an_extracted_article_opening_with_by_is_not_a_byline_and_no_crash(cleaner):
    """A first paragraph starting "By ..." was removed as a byline; when it was the only one the
    document was left empty and _records raised ValueError: the whole run stopped."""
    paragraph = (
        "By the time the polls closed on Sunday evening, turnout had reached a record of seventy percent."
    )
    result = _clean_one(cleaner, f"<html><body><p>{paragraph}</p></body></html>".encode(), "html")
    assert result.reject is None and [r["text"] for r in result.records] == [paragraph]
    result = _clean_one(
        cleaner, b"<html><body><p>By John Smith</p><h2>Only a heading here.</h2></body></html>", "html"
    )
    assert result.reject is not None or result.records  # no exception, whatever the verdict


def test_a_damaged_gzip_keeps_every_line_decoded_before_the_damage(tmp_path):
    """zlib raised on the damage and took with it everything the same call had decoded (up to
    64 KiB of input): this file lost all its 79 good lines (and test_read's corrupt-gzip test
    failed 1 time in 20)."""
    import gzip as gz
    import random

    rnd = random.Random(0)
    texts = [rnd.randbytes(150).hex() for _ in range(120)]  # ~32 KB compressed: one read
    data = bytearray(gz.compress("".join(json.dumps({"text": t}) + "\n" for t in texts).encode(), mtime=0))
    cut = len(data) * 2 // 3
    data[cut : cut + 64] = b"\xff" * 64  # "invalid code lengths set": caught at once, mid-read
    (tmp_path / "bad.jsonl.gz").write_bytes(bytes(data))
    items = list(read.read_pages([tmp_path / "bad.jsonl.gz"]))
    pages = [i for i in items if not isinstance(i, read.Unreadable)]
    assert len(pages) >= 60 and [p.data.decode() for p in pages] == texts[: len(pages)]
    assert isinstance(items[-1], read.Unreadable) and items[-1].reason == "bad-gzip"
    assert items[-1].record == len(pages) + 1


def test_mixed_encodings_only_when_a_line_is_surely_utf8():
    """A page of windows-1251 text with no UTF-8 line is decoded whole, as before."""
    from cleaner.inputs.decode import decode_bytes

    from .hostile_pages import RUSSIAN

    text, encoding = decode_bytes(RUSSIAN[0].dump().encode("cp1251"), html=False)
    assert encoding == "cp1251" and text == RUSSIAN[0].dump()
    mixed = RUSSIAN[1].dump().encode("cp1251") + "Ещё одна строка в UTF-8.\n".encode()
    text, encoding = decode_bytes(mixed, html=False)
    assert encoding == "utf-8+cp1251" and text == RUSSIAN[1].dump() + "Ещё одна строка в UTF-8.\n"
