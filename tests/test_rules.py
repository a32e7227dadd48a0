"""Rule files: every rule's examples run as their own test, and broken files stop the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.errors import RuleError
from cleaner.model import Line
from cleaner.rules import apply_rules, check_examples, load_rules, run_example

from .conftest import ROOT

RULES = load_rules(ROOT / "rules")


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_examples(rule):
    """Each rule alone changes its `change` examples and leaves its `keep` examples untouched."""
    for text, result in rule.examples_change:
        line = run_example(rule, text)
        if rule.action == "flag":
            assert rule.matches(text) is not None
        elif result is None:
            assert line.removed, f"{rule.id} should remove {text!r}"
        else:
            assert line.text == result and not line.removed
    for text in rule.examples_keep:
        line = run_example(rule, text)
        assert not line.removed and line.text == text, f"{rule.id} should keep {text!r}"


def test_check_examples_reports_nothing_for_bundled_rules():
    assert check_examples(RULES.rules) == []


def test_every_rule_has_a_known_category_and_unique_id():
    ids = [r.id for r in RULES.rules]
    assert len(ids) == len(set(ids))


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "global").mkdir()
    (tmp_path / "sites").mkdir()
    (tmp_path / "global" / "bad.toml").write_text(body, encoding="utf-8")
    (tmp_path / "datelines.toml").write_text((ROOT / "rules" / "datelines.toml").read_text(encoding="utf-8"))
    return tmp_path


GOOD = """
[[rule]]
id = "t/one"
category = "navigation"
description = "x"
line = "Home"
[rule.examples]
change = ["Home"]
keep = ["Home rule"]
"""


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("[[rule]\nid = 'x'", "not valid TOML"),
        (GOOD.replace('description = "x"\n', ""), "missing field 'description'"),
        (GOOD + GOOD, "duplicate id"),
        (GOOD.replace('line = "Home"', "regex = '(a+'"), "does not compile"),
        (GOOD.replace('line = "Home"', "regex = '(?<=a)b'"), "does not compile"),
        (GOOD.replace('category = "navigation"', 'category = "nonsense"'), "unknown category"),
        (GOOD.replace('line = "Home"', 'line = "Home"\nprefix = "H"'), "exactly one matcher"),
        (GOOD.replace('keep = ["Home rule"]', ""), "examples.keep"),
    ],
)
def test_broken_rule_file_names_file_rule_and_problem(tmp_path, body, problem):
    root = _write(tmp_path, body)
    with pytest.raises(RuleError) as err:
        load_rules(root)
    assert problem in str(err.value)
    assert "bad.toml" in str(err.value)
    if "TOML" not in problem:
        assert "t/one" in str(err.value)


def test_broken_rule_file_stops_the_run_with_exit_2_before_any_page(tmp_path):
    (tmp_path / "r").mkdir()
    root = _write(tmp_path / "r", GOOD + GOOD)
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cleaner.cli",
            "clean",
            str(ROOT / "fixtures" / "seeds"),
            "--out",
            str(out),
            "--rules",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "t/one" in proc.stderr and "duplicate id" in proc.stderr
    assert not out.exists()


def test_regex_rule_cannot_backtrack_catastrophically():
    """RE2 runs `(a+)+$` against a long line of a's ending in b in linear time."""
    import time

    from cleaner.rules import Rule, compile_regex

    rule = Rule(
        id="t/evil",
        category="boilerplate",
        description="x",
        matcher="regex",
        action="drop",
        path="t",
        site=None,
        regex=compile_regex("(a+)+$", "t", "t/evil"),
    )
    line = Line(number=1, text="a" * 200_000 + "b")
    start = time.perf_counter()
    apply_rules([rule], [line])
    assert time.perf_counter() - start < 1.0
    assert not line.removed


def test_position_limits_a_rule_to_the_head():
    rule = RULES.by_id("tass/all-news")
    lines = [Line(number=i, text=t) for i, t in enumerate(["x"] * 5 + ["All news"], start=1)]
    apply_rules([rule], lines)
    assert not lines[-1].removed
    lines = [Line(number=1, text="All news"), Line(number=2, text="x")]
    apply_rules([rule], lines)
    assert lines[0].removed and lines[0].rule == "tass/all-news"
