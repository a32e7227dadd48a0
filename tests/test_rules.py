"""Rule files: every rule's examples run as their own test, and broken files stop the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.errors import RuleError
from cleaner.model import Line
from cleaner.strip.rules import apply_rules, check_examples, load_rules, run_example

from .conftest import ROOT

RULES = load_rules(ROOT / "rules")


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_examples(rule):
    """Each rule alone changes its `change` examples and leaves its `keep` examples untouched."""
    if rule.matcher == "css":
        assert check_examples([rule]) == []
        return
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

    from cleaner.strip.rules import Rule, compile_regex

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


def test_css_rules_are_checked_at_load_time(tmp_path):
    (tmp_path / "global").mkdir()
    (tmp_path / "sites").mkdir()
    (tmp_path / "datelines.toml").write_text((ROOT / "rules" / "datelines.toml").read_text(encoding="utf-8"))
    site = """[site]
name = "example"
domains = ["example.com"]

[[rule]]
id = "example/promo"
category = "advertisement"
description = "x"
css = "div.promo[[["
[rule.examples]
change = ["<div class=promo>Buy</div>"]
keep = ["<p>Text</p>"]
"""
    (tmp_path / "sites" / "example.toml").write_text(site, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert "example/promo" in str(err.value) and "selector" in str(err.value)
    (tmp_path / "sites" / "example.toml").write_text(
        site.replace("div.promo[[[", "div.promo"), encoding="utf-8"
    )
    loaded = load_rules(tmp_path)
    assert loaded.css_for("example") == ["div.promo"]
    assert check_examples(loaded.rules) == []
    wrong = loaded.rules[0]
    wrong.examples_keep = ["<div class=promo>Buy</div>"]
    assert check_examples([wrong]) == [
        "example/promo: selector should find nothing in '<div class=promo>Buy</div>'"
    ]


def test_site_css_rule_prunes_html_before_extraction(tmp_path):
    """One rule file serves both inputs: a site's css rule removes a block trafilatura would keep."""
    import shutil

    from cleaner.model import Page
    from cleaner.run.page import Cleaner, Settings, clean_page

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "sites" / "example.toml").write_text(
        """[site]
name = "example"
domains = ["example.com"]

[[rule]]
id = "example/promo-box"
category = "advertisement"
description = "The promo box printed inside every article body."
css = "div.promo"
[rule.examples]
change = ["<div class=promo>Buy</div>"]
keep = ["<p>Text</p>"]
""",
        encoding="utf-8",
    )
    body = "".join(
        f"<p>Paragraph {i} of the report says that the council met on Tuesday and agreed a new budget.</p>"
        for i in range(6)
    )
    promo = "<div class='promo'><p>Subscribers get our best journalism every morning at a discount price.</p></div>"
    html = f"<html><body><article><h1>Council agrees budget</h1>{body[:300]}{promo}{body[300:]}</article></body></html>"
    page = Page(path="p.html", data=html.encode(), sha256="x", format="html", url="https://example.com/a")
    with_rule = clean_page(page, Cleaner.load(Settings(rules_dir=rules)))
    page2 = Page(path="p.html", data=html.encode(), sha256="x", format="html", url="https://example.com/a")
    without = clean_page(page2, Cleaner.load(Settings()))
    assert "Subscribers get" in without.records[0]["text"]
    assert "Subscribers get" not in with_rule.records[0]["text"]
    assert "Paragraph 5" in with_rule.records[0]["text"]
