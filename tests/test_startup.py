"""Start-up: a run loads only what it needs, when it needs it, and gives the same bytes.

The dateline patterns compile when a line needs them, behind a loose prefilter set; a
checked rule file is remembered in the user's cache folder; small runs stay in-process;
a run imports nothing it does not use; valid UTF-8 skips detection.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
import re2

from cleaner import cache
from cleaner.errors import RuleError
from cleaner.inputs import decode
from cleaner.run import engine
from cleaner.run.engine import RunOptions
from cleaner.run.runner import run
from cleaner.strip.rules import DEFAULT_RULES
from cleaner.structure import dateline
from cleaner.structure.dateline import LazyRegex, load_patterns, match_dateline, relaxed_regex

from .conftest import ROOT, SEEDS
from .test_dateline import GOOD as DATELINE_GOOD

OUTPUTS = ("corpus.jsonl", "rejects.jsonl", "duplicates.jsonl", "stats.json")
PATTERNS = load_patterns(DEFAULT_RULES / "datelines.toml")


# ---------------------------------------------------------------- the loose prefilter


@pytest.mark.parametrize(
    ("regex", "loose"),
    [
        (r"\p{Lu}+", r"[A-Z\x{80}-\x{10FFFF}]+"),
        (r"[\p{L}\p{M}'.]*", r"[A-Za-z\x{80}-\x{10FFFF}\x{80}-\x{10FFFF}'.]*"),
        (r"\pN\d", r"[\x00-\x{10FFFF}]\d"),  # a class with ASCII members other than letters: any character
        (r"\\p{Lu}", r"\\p{Lu}"),  # an escaped backslash, then text
        (r"[]\p{Ll}]", r"[]a-z\x{80}-\x{10FFFF}]"),  # a first "]" is a member
        (r"[[:alpha:]\p{Lu}]", r"[[:alpha:]A-Z\x{80}-\x{10FFFF}]"),
        (r"\[\p{Lu}", r"\[[A-Z\x{80}-\x{10FFFF}]"),  # "\[" opens no class
    ],
)
def test_relaxed_regex_widens_unicode_classes(regex: str, loose: str) -> None:
    assert relaxed_regex(regex) == loose


@pytest.mark.parametrize("regex", [r"[^\p{L}]x", r"\P{Lu}", r"\Q\p{Lu}\E"])
def test_relaxed_regex_leaves_what_it_cannot_widen(regex: str) -> None:
    assert relaxed_regex(regex) == regex


def _lines() -> list[str]:
    """Lines that parse and lines that must not: every example and keep line, the seeds' lines."""
    lines = [e.line for p in PATTERNS for e in p.examples] + [k for p in PATTERNS for k in p.keep]
    for seed in sorted(SEEDS.glob("*.txt")):
        lines += seed.read_text(encoding="utf-8").splitlines()
    return lines


def test_the_loose_set_misses_no_line_a_pattern_matches() -> None:
    """Every (pattern, line) the real patterns match, the loose copies match too; and
    match_dateline answers as trying the real patterns in file order does."""
    loose = dateline.pattern_set(PATTERNS)
    found = 0
    for line in _lines():
        text = line.translate(dateline._SPACES).strip()
        head = text[: dateline._HEAD]
        real = {i for i, p in enumerate(PATTERNS) if re2.compile(p.regex.pattern).match(head)}
        assert real <= set(loose.Match(head) or ()), line
        expected = None
        if dateline._candidate(text):
            for i in sorted(real):
                expected = dateline._build(PATTERNS[i], text, PATTERNS[i].regex.match(head))
                if expected is not None:
                    break
        assert match_dateline(line, PATTERNS) == expected, line
        found += expected is not None
    assert found > 30  # the examples parse


def test_a_lazy_regex_compiles_once_when_used_and_pickles_as_its_source() -> None:
    regex = LazyRegex(r"(?P<place>[A-Z]+) —")
    assert regex._compiled is None and regex.pattern == r"(?P<place>[A-Z]+) —"
    assert regex.match("PARIS — Text.").group("place") == "PARIS"
    assert regex.groupindex == {"place": 1}
    compiled = regex.compiled
    assert regex.compiled is compiled
    copy = pickle.loads(pickle.dumps(regex))
    assert copy.pattern == regex.pattern and copy.match("ROME — x") is not None


# ---------------------------------------------------------------- the cache of checked files

# the loader tests' small valid dateline file
GOOD = DATELINE_GOOD


def _compiled(patterns: list[dateline.DatelinePattern]) -> list[bool]:
    return [p.regex._compiled is not None for p in patterns]


def test_a_checked_file_is_remembered_and_not_compiled_again(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "datelines.toml"
    rules.write_text(GOOD, encoding="utf-8")
    assert _compiled(load_patterns(rules)) == [True]  # checked at load: compiled
    entries = list((tmp_path / "cache" / cache.APP / "checked").iterdir())
    assert len(entries) == 1 and entries[0].read_text() == entries[0].name
    again = load_patterns(rules)
    assert _compiled(again) == [False]  # remembered: compiled when a line needs it
    assert match_dateline("PARIS — Text.", again) is not None

    entries[0].write_text("garbage")  # an unreadable or wrong entry counts as absent
    assert _compiled(load_patterns(rules)) == [True]

    rules.write_text(GOOD.replace("[A-Z]+) —", "[A-Z]+ —"), encoding="utf-8")  # edited: checked again
    with pytest.raises(RuleError, match="does not compile"):
        load_patterns(rules)


def test_the_cache_is_skipped_when_off_or_not_writable(tmp_path: Path, monkeypatch) -> None:
    rules = tmp_path / "datelines.toml"
    rules.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("CLEANER_CACHE", "off")
    load_patterns(rules)
    assert _compiled(load_patterns(rules)) == [True]
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv("CLEANER_CACHE")
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # a file where the folder would be
    assert _compiled(load_patterns(rules)) == [True]
    assert _compiled(load_patterns(rules)) == [True]
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec ignores relative paths
    assert cache.cache_dir() is None


def test_a_parsed_toml_file_is_remembered_as_json(tmp_path: Path, monkeypatch) -> None:
    import tomllib

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    raw = (DEFAULT_RULES / "datelines.toml").read_bytes()
    expected = tomllib.loads(raw.decode("utf-8"))
    assert cache.load_toml(raw) == expected
    (entry,) = (tmp_path / "cache" / cache.APP / "toml").iterdir()

    def refuse(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", refuse)
    assert cache.load_toml(raw) == expected  # read back, not parsed
    entry.write_bytes(entry.name.encode() + b"\n{not json")  # a broken entry: parsed again
    with pytest.raises(AssertionError, match="parsed again"):
        cache.load_toml(raw)
    monkeypatch.undo()

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    dated = b"[a]\nwhen = 2016-12-03\n"  # a TOML date has no JSON form: parsed every time
    assert cache.load_toml(dated) == tomllib.loads(dated.decode())
    assert len(list((tmp_path / "cache" / cache.APP / "toml").iterdir())) == 1
    with pytest.raises(tomllib.TOMLDecodeError):
        cache.load_toml(b"x = = 1")
    with pytest.raises(UnicodeDecodeError):
        cache.load_toml(b"x = '\xff'")


REGEXES = [
    (r"(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})", 0),
    (r"(?P<a>x+)\s(?P=a)", 0),
    (r"(?i:jan|feb)\b\.? # a comment", re.VERBOSE),
    ("[\u3040-\u30ff\u3400-\u4dbf]", 0),
    ("ab", re.ASCII | re.IGNORECASE),
    (rb"<(?:html|head)[\s>/]", re.IGNORECASE),
]


def test_a_remembered_regex_is_the_one_re_compiles(tmp_path: Path) -> None:
    """Compiled in one process, read back in another: the same re.Pattern (== compares the
    pattern, flags and code) that behaves the same, without re's compiler."""
    script = (
        "import re, sys\nfrom cleaner import cache\n"
        f"pats = {REGEXES!r}\n"
        "if sys.argv[1] == 'again':\n"
        "    re._compiler.compile = re._parser.parse = None  # a compile would fail now\n"
        "got = [cache.regex(p, f) for p, f in pats]\n"
        "assert got == [re.compile(p, f) for p, f in pats] if sys.argv[1] == 'first' else True\n"
        "print([(g.pattern, g.flags, g.groupindex, g.groups) for g in got])\n"
        "print(got[1].match('xx xx yy').group('a'), got[5].search(b'x <HTML>').start())\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script, "first"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-c", script, "again"], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout and "xx 2" in again.stdout
    (entry,) = (tmp_path / cache.APP / "regex").iterdir()
    entry.write_bytes(entry.name.encode() + b"\nnot marshal")  # unreadable: compiled by re again
    broken = subprocess.run([sys.executable, "-c", script, "first"], env=env, capture_output=True, text=True)
    assert broken.returncode == 0 and broken.stdout == first.stdout


def test_checked_rule_files_compile_their_regexes_when_used(tmp_path: Path, monkeypatch) -> None:
    from cleaner.strip.rules import LazyRE2, load_rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    eager = load_rules(DEFAULT_RULES)
    lazy = load_rules(DEFAULT_RULES)
    regexes = [
        (a.regex, b.regex) for a, b in zip(eager.rules, lazy.rules, strict=True) if a.regex is not None
    ]
    assert regexes and all(isinstance(b, LazyRE2) and not isinstance(a, LazyRE2) for a, b in regexes)
    assert all(a.pattern == b.pattern for a, b in regexes)
    line = "Share this article on Facebook"
    assert [bool(a.search(line)) for a, _ in regexes] == [bool(b.search(line)) for _, b in regexes]
    monkeypatch.setenv("CLEANER_CACHE", "off")
    assert not isinstance(load_rules(DEFAULT_RULES).rules[0].regex, LazyRE2)


def test_a_checked_dateline_file_is_read_back_as_it_was_made(tmp_path: Path, monkeypatch) -> None:
    import dataclasses

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made = load_patterns(DEFAULT_RULES / "datelines.toml")
    assert (tmp_path / "cache" / cache.APP / "dateline-patterns").is_dir()
    monkeypatch.setattr(dateline, "_expand", None)  # read back: nothing is expanded again
    again = load_patterns(DEFAULT_RULES / "datelines.toml")
    assert [p.regex.pattern for p in again] == [p.regex.pattern for p in made]
    assert [dataclasses.replace(p, regex=None) for p in again] == [
        dataclasses.replace(p, regex=None) for p in made
    ]
    line = "MOSCOW, December 9. /TASS/. Russian Foreign Minister spoke."
    assert match_dateline(line, again) == match_dateline(line, made)


def test_an_entry_depends_on_the_file_and_the_engine_build() -> None:
    one = cache.digest("datelines", cache.module_build(re2._re2), b"a")
    assert one == cache.digest("datelines", cache.module_build(re2._re2), b"a")
    assert one != cache.digest("datelines", cache.module_build(re2._re2), b"b")
    assert one != cache.digest("datelines", "another build", b"a")


# ---------------------------------------------------------------- small runs in-process


def test_a_run_of_one_chunk_forks_no_pool_and_gives_the_same_bytes(
    tmp_path: Path, cleaner, monkeypatch
) -> None:
    run([SEEDS], tmp_path / "one", cleaner, RunOptions(workers=1))

    def no_pool() -> None:
        raise AssertionError("a pool was started for a run of one chunk")

    monkeypatch.setattr(engine, "_process_context", no_pool)
    run([SEEDS], tmp_path / "two", cleaner, RunOptions(workers=2))
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    with pytest.raises(AssertionError, match="a pool was started"):  # two chunks: a pool
        run([SEEDS], tmp_path / "three", cleaner, RunOptions(workers=2, chunk_pages=2))


# ---------------------------------------------------------------- imports


def _modules_after(*argv: str) -> set[str]:
    """The modules a `cleaner` command leaves imported, run in a process of its own."""
    script = (
        "import json, sys\n"
        "from cleaner.cli import main\n"
        f"sys.argv = ['cleaner', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


NEVER = {"dask", "distributed", "pyarrow", "cleaner.tools.report", "cleaner.run.dask_engine"}


def test_explain_imports_neither_the_corpus_steps_nor_the_peers(tmp_path: Path) -> None:
    loaded = _modules_after("explain", str(sorted(SEEDS.glob("*.txt"))[0]))
    unwanted = NEVER | {"numpy", "trafilatura", "charset_normalizer", "cleaner.corpus.dedup", "langdetect"}
    assert "cleaner.structure.segment" in loaded
    assert not loaded & unwanted


def test_a_clean_run_imports_no_engine_or_report_it_does_not_use(tmp_path: Path) -> None:
    loaded = _modules_after("clean", str(SEEDS), "--out", str(tmp_path / "out"), "--quiet")
    assert (tmp_path / "out" / "corpus.jsonl").exists()
    assert not loaded & (NEVER | {"charset_normalizer", "multiprocessing"})


def test_a_one_page_run_imports_no_numpy(tmp_path: Path) -> None:
    """Dedup of a small corpus is hashed in plain Python (cleaner.corpus.minhash_small)."""
    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir()
    page.write_bytes(sorted(SEEDS.glob("*.txt"))[0].read_bytes())
    loaded = _modules_after("clean", str(page.parent), "--out", str(tmp_path / "out"), "--quiet")
    assert (tmp_path / "out" / "corpus.jsonl").read_bytes()
    assert "numpy" not in loaded and "cleaner.corpus.minhash_small" in loaded


def test_rules_suggest_help_shows_the_default_it_uses() -> None:
    from click.testing import CliRunner

    from cleaner.cli import main
    from cleaner.tools.suggest import MIN_PAGES

    shown = CliRunner().invoke(main, ["rules", "suggest", "--help"]).output
    assert f"[default: {MIN_PAGES}]" in " ".join(shown.split())


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "head",
    [b"", b'<meta charset="utf-8">', b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'],
)
def test_valid_utf8_declared_utf8_or_nothing_needs_no_detection(head: bytes, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)  # importing it now fails
    data = (
        b"<html><head>"
        + head
        + "</head><body><p>Caf\u00e9 \u201cq\u201d \u00a0x\u200by</p></body></html>".encode()
    )
    text, encoding = decode.decode_bytes(data, html=True)
    assert encoding == "utf-8" and "Café “q”  xy" in text


@pytest.mark.parametrize(
    "text",
    [
        "a\u00a0b\n\tc\u200b\td\n\x85x\u2028y",
        "\t\t\n\u00ad",
        "plain",
        "\n\n\x00\n",
        "x\u2009y\u00a0",
        "\x01\u00a0\x02\u200b\t\x7f",
        "\x9f",
        "é\x80",
        "\ud800x\x01",
    ],
)
def test_odd_characters_are_replaced_as_the_regex_does(text: str) -> None:
    assert decode._replace_odd(text) == decode._ODD.sub(decode._fix, text)


# ---------------------------------------------------------------- language profiles


def test_language_rows_made_on_demand_are_langdetects_own() -> None:
    import langdetect.detector_factory as factory

    from cleaner.structure import language

    eager = factory.DetectorFactory()
    eager.load_profile(factory.PROFILES_DIRECTORY)
    lazy = language._load_factory()
    assert lazy.langlist == eager.langlist
    rows = lazy.word_lang_prob_map
    assert len(rows) == len(eager.word_lang_prob_map)
    assert "the" in rows and "\x00not-an-ngram" not in rows
    for word, row in eager.word_lang_prob_map.items():
        assert rows[word] == row, word
    with pytest.raises(KeyError):
        rows["\x00not-an-ngram"]


def test_a_loose_copy_that_does_not_compile_falls_back_to_the_pattern(monkeypatch) -> None:
    patterns = load_patterns(DEFAULT_RULES / "datelines.toml")  # a list of its own: a set of its own
    monkeypatch.setattr(dateline, "relaxed_regex", lambda regex: "(")
    monkeypatch.setattr(dateline, "_SETS", {})
    found = match_dateline("MOSCOW, December 9. /TASS/. Russian Foreign Minister spoke.", patterns)
    assert found is not None and found.pattern_id == "dateline/tass"


# ---------------------------------------------------------------- the quick exit


@pytest.mark.parametrize(
    ("argv", "code", "out", "err"),
    [
        (["--version"], 0, "version", ""),
        (["clean", "/nonexistent/x14", "--out", "OUT"], 2, "", "input does not exist"),
        (["explain", str(sorted(SEEDS.glob("*.txt"))[0])], 0, "tass/all-news", ""),
    ],
)
def test_the_command_ends_with_its_code_its_output_and_its_exit_handlers(
    tmp_path: Path, argv: list[str], code: int, out: str, err: str
) -> None:
    """cli.run ends the process without tearing the interpreter down: what main() printed,
    the exit code and every atexit handler (the regex cache's) must still be there."""
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
        "from cleaner.cli import run\n"
        f"sys.argv = ['cleaner', *{argv!r}]\n"
        "run()\n"
        "print('not reached')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == code
    assert out in done.stdout and "not reached" not in done.stdout
    assert err in done.stderr and done.stderr.rstrip().endswith("handler ran")
