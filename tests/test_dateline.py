"""Dateline parsing: every example of rules/datelines.toml, the seed datelines, and the loader's errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cleaner.errors import RuleError
from cleaner.model import Dateline
from cleaner.structure.dateline import (
    DEFAULT_RULES,
    DatelinePattern,
    check_pattern_examples,
    example_failures,
    load_patterns,
    match_dateline,
    parse_dateline,
    title_place,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seeds"

PATTERNS = load_patterns(DEFAULT_RULES)


def _example_cases() -> list[pytest.ParameterSet]:
    cases = []
    for pattern in PATTERNS:
        for i, example in enumerate(pattern.examples):
            cases.append(pytest.param(pattern, example.line, id=f"{pattern.id}#{i + 1}"))
    return cases


def _keep_cases() -> list[pytest.ParameterSet]:
    return [
        pytest.param(line, id=f"{pattern.id}-keep#{i + 1}")
        for pattern in PATTERNS
        for i, line in enumerate(pattern.keep)
    ]


# --- the rule file's own examples ---------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "line"), _example_cases())
def test_example_parses_with_its_pattern(pattern: DatelinePattern, line: str) -> None:
    example = next(e for e in pattern.examples if e.line == line)
    got = match_dateline(line, PATTERNS)
    assert got is not None, f"{line!r} does not parse"
    assert got.pattern_id == pattern.id
    d = got.dateline
    assert (d.place, d.country, d.date, d.agency) == (
        example.place,
        example.country,
        example.date,
        example.agency,
    )
    assert got.rest == example.rest
    assert got.flags == list(example.flags)
    if example.raw is not None:
        assert d.raw == example.raw
    assert parse_dateline(line, PATTERNS) == (d, example.rest)


@pytest.mark.parametrize("line", _keep_cases())
def test_keep_line_does_not_parse(line: str) -> None:
    assert match_dateline(line, PATTERNS) is None
    assert parse_dateline(line, PATTERNS) is None


def test_every_pattern_has_examples_and_checks_clean() -> None:
    assert all(p.examples for p in PATTERNS)
    assert check_pattern_examples(PATTERNS) == []


def test_required_pattern_ids_are_present() -> None:
    ids = {p.id for p in PATTERNS}
    for required in ("dateline/tass", "dateline/sputnik", "dateline/ap", "dateline/reuters", "dateline/afp"):
        assert required in ids


def test_example_failures_reports_a_wrong_expectation() -> None:
    pattern = next(p for p in PATTERNS if p.id == "dateline/ap")
    broken = DatelinePattern(
        pattern.id,
        pattern.description,
        pattern.regex,
        [type(pattern.examples[0])(line="WASHINGTON (AP) — The Senate voted.", rest="x", place="Paris")],
        keep=["LONDON (AP) — This does parse."],
    )
    failures = example_failures(broken, PATTERNS)
    assert len(failures) == 2
    assert "place='Washington' (want 'Paris')" in failures[0] and "rest=" in failures[0]
    assert "keep" in failures[1]


# --- the seeds ----------------------------------------------------------------------------------


def _seed_datelines() -> list[pytest.ParameterSet]:
    if not GOLD.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{GOLD} is not here"))]
    cases = []
    for gold_path in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for doc in gold["documents"]:
            if doc["dateline"]:
                cases.append(
                    pytest.param(
                        gold["page"], doc["dateline"], id=f"{gold['page'][:3]}-{doc['dateline']['raw'][:12]}"
                    )
                )
    return cases


@pytest.mark.parametrize(("page", "want"), _seed_datelines())
def test_seed_dateline_matches_gold(page: str, want: dict) -> None:
    lines = (SEEDS / page).read_text(encoding="utf-8").splitlines()
    found = [r for r in (match_dateline(line, PATTERNS) for line in lines) if r is not None]
    assert len(found) == 1, [r.dateline.raw for r in found]
    d = found[0].dateline
    assert d.raw == want["raw"]
    assert (d.place, d.country, d.agency) == (want["place"], want["country"], want["agency"])
    month, day = want["month"], want["day"]
    assert d.date == (f"--{month:02d}-{day:02d}" if month else None)
    assert want["year"] is None  # the seeds print no year: none may be guessed


def test_seed_sputnik_line_with_leading_spaces_and_nbsp() -> None:
    line = "    HAMBURG (Sputnik)\u00a0— Over the past\u00a0three weeks, the troops advanced."
    dateline, rest = parse_dateline(line, PATTERNS) or (None, None)
    assert dateline == Dateline(raw="HAMBURG (Sputnik) —", place="Hamburg", agency="Sputnik")
    assert rest == "Over the past three weeks, the troops advanced."


# --- behaviour beyond the examples --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date", "flags"),
    [
        ("MOSCOW, December 9, 2016 /TASS/. Text follows here.", "2016-12-09", []),
        ("MOSCOW, December 9 /TASS/. Text follows here.", "--12-09", []),
        ("MOSCOW, Feb. 29 (Reuters) - Text follows here.", "--02-29", []),  # exists in leap years
        ("MOSCOW, Feb. 29, 2015 (Reuters) - Text follows here.", None, ["impossible-date"]),
        ("MOSCOW, Dec 32 (Reuters) - Text follows here.", None, ["impossible-date"]),
        ("MOSCOW, Dec 9, 3016 (Reuters) - Text follows here.", None, ["impossible-date"]),
        ("MOSCOW, Sept. 9 (Reuters) - Text follows here.", "--09-09", []),
        ("MOSCOW, 9 Sep (Reuters) - Text follows here.", "--09-09", []),
    ],
)
def test_dates_are_never_guessed_or_corrected(line: str, date: str | None, flags: list[str]) -> None:
    got = match_dateline(line, PATTERNS)
    assert got is not None
    assert got.dateline.date == date
    assert got.flags == flags


@pytest.mark.parametrize(
    ("printed", "title"),
    [
        ("HAMBURG", "Hamburg"),
        ("NEW YORK", "New York"),
        ("RIO DE JANEIRO", "Rio de Janeiro"),
        ("DAR ES SALAAM", "Dar es Salaam"),
        ("PORT-AU-PRINCE", "Port-au-Prince"),
        ("ST. LOUIS", "St. Louis"),
        ("McALLEN", "McAllen"),
        ("N'DJAMENA", "N'Djamena"),
        ("COX'S BAZAR", "Cox's Bazar"),
        ("SÃO PAULO", "São Paulo"),
        ("WASHINGTON/NEW YORK", "Washington/New York"),
        ("New Delhi", "New Delhi"),
        ("МОСКВА", "Москва"),
    ],
)
def test_title_place(printed: str, title: str) -> None:
    assert title_place(printed) == title


def test_raw_is_trimmed_and_rest_stripped() -> None:
    got = parse_dateline("  LONDON (Reuters)  -   Oil prices fell.  ", PATTERNS)
    assert got is not None
    assert got[0].raw == "LONDON (Reuters) -"
    assert got[1] == "Oil prices fell."


def test_long_paragraph_after_dateline_is_kept_whole() -> None:
    body = "The talks went on. " * 100
    got = parse_dateline("WASHINGTON (AP) — " + body, PATTERNS)
    assert got is not None and got[1] == body.strip()


def test_whole_page_is_fast() -> None:
    page = (SEEDS / "000_e556c51ad6b3cfb2.txt").read_text(encoding="utf-8").splitlines()
    lines = (page * 40)[:1000] + ["UPDATE - The story: see below, part 2 - continued."] * 1000
    start = time.process_time()  # CPU seconds of this process: another job's load does not count
    hits = sum(match_dateline(line, PATTERNS) is not None for line in lines)
    assert time.process_time() - start < 1.0
    assert hits == sum(line.startswith("HAMBURG/Germany/") for line in lines)


# --- loader errors ------------------------------------------------------------------------------

GOOD = """
[[pattern]]
id = "dateline/x"
description = "test"
regex = '''(?P<place>[A-Z]+) —'''
  [[pattern.examples]]
  line = "PARIS — Text."
  place = "Paris"
  rest = "Text."
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "datelines.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_accepts_a_minimal_file(tmp_path: Path) -> None:
    patterns = load_patterns(_write(tmp_path, GOOD))
    assert [p.id for p in patterns] == ["dateline/x"]
    assert check_pattern_examples(patterns) == []


@pytest.mark.parametrize(
    ("text", "rule_id", "problem"),
    [
        ("[[pattern]\nid = 'x'", None, "invalid TOML"),
        (GOOD + GOOD, "dateline/x", "duplicate id"),
        (GOOD.replace('description = "test"\n', ""), "dateline/x", "missing field 'description'"),
        (GOOD.replace("regex = '''(?P<place>[A-Z]+) —'''\n", ""), "dateline/x", "missing field 'regex'"),
        (GOOD.replace('id = "dateline/x"\n', ""), "pattern #1", "missing field 'id'"),
        (GOOD.replace("[A-Z]+) —", "[A-Z]+ —"), "dateline/x", "does not compile"),
        (GOOD.replace("[A-Z]+) —", "(?=[A-Z])[A-Z]+) —"), "dateline/x", "does not compile"),  # lookahead
        (GOOD.replace("(?P<place>", "(?P<town>"), "dateline/x", "unknown group name 'town'"),
        (GOOD.replace("(?P<place>[A-Z]+)", "{NOPE}"), "dateline/x", "unknown macro {NOPE}"),
        (GOOD.replace('  rest = "Text."\n', ""), "dateline/x", "missing field 'rest'"),
        (GOOD.replace('  place = "Paris"', '  palce = "Paris"'), "dateline/x", "unknown field"),
        (
            GOOD.replace('description = "test"', 'description = "test"\nrest = "some"'),
            "dateline/x",
            "rest must be",
        ),
        ("[macros]\nMONTH = 'x'\n" + GOOD, None, "built in"),
    ],
)
def test_loader_errors_name_file_and_rule(
    tmp_path: Path, text: str, rule_id: str | None, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RuleError) as err:
        load_patterns(path)
    assert err.value.path == str(path)
    assert err.value.rule_id == rule_id
    assert problem in err.value.problem
    assert str(path) in str(err.value)


def test_loader_error_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read"):
        load_patterns(tmp_path / "absent.toml")


def test_macros_expand_and_unicode_classes_are_left_alone(tmp_path: Path) -> None:
    text = "[macros]\nCAPS = '''\\p{Lu}+'''\n" + GOOD.replace("[A-Z]+", "{CAPS}")
    patterns = load_patterns(_write(tmp_path, text))
    assert parse_dateline("ZÜRICH — Text.", patterns) == (Dateline(raw="ZÜRICH —", place="Zürich"), "Text.")
