"""The command line behaves the same way everywhere: --quiet where a command talks, options
checked, errors in words, eval on pages only, the Makefile with any folder name."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

from cleaner.cli import main
from cleaner.strip.rules import DEFAULT_RULES

from .conftest import ROOT, SEEDS, read_jsonl


def test_dedup_and_suggest_take_quiet(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "1", "text": "same words here"})
        + "\n"
        + json.dumps({"id": "2", "text": "same words here"})
        + "\n"
    )
    loud = CliRunner().invoke(main, ["dedup", str(corpus), "--out", str(tmp_path / "a")])
    quiet = CliRunner().invoke(main, ["dedup", str(corpus), "--out", str(tmp_path / "b"), "--quiet"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "1 kept, 1 duplicates" in loud.output and quiet.output == ""
    assert read_jsonl(tmp_path / "b" / "duplicates.jsonl")[0]["duplicate_of"] == "1"
    suggest = CliRunner().invoke(main, ["rules", "suggest", str(SEEDS), "--site", "tass.com", "--quiet"])
    assert "--quiet" not in suggest.output and "No such option" not in suggest.output


def test_max_page_bytes_zero_is_refused():
    result = CliRunner().invoke(main, ["clean", str(SEEDS), "--out", "unused", "--max-page-bytes", "0"])
    assert result.exit_code == 2 and "--max-page-bytes" in result.output


def test_a_regex_error_reads_as_text(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    (rules / "global" / "bad.toml").write_text(
        '[[rule]]\nid = "test/bad"\ncategory = "navigation"\ndescription = "x"\nregex = "(a"\n'
        'examples = {change = ["a"], keep = ["b"]}\n'
    )
    result = CliRunner().invoke(main, ["rules", "list", "--rules", str(rules)])
    assert result.exit_code == 2
    assert "missing ): (a" in result.output and "b'" not in result.output


def test_rules_show_prints_the_matcher():
    result = CliRunner().invoke(main, ["rules", "show", "tass/all-news"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["matcher"] == "line" and "All news" in json.dumps(shown["match"])


def test_eval_cleans_the_pages_not_the_gold_beside_them(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copyfile(seed, folder / seed.name)
        (folder / (seed.name.split(".")[0] + ".gold.txt")).write_text(
            "gold words of the page", encoding="utf-8"
        )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["eval", "--gold", str(folder), str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    paths = {r["source"]["path"] for r in read_jsonl(out / "corpus.jsonl")}
    paths |= {r["path"] for r in read_jsonl(out / "rejects.jsonl")}
    assert paths and not any(".gold." in p for p in paths)


def test_make_clean_corpus_takes_a_folder_with_a_space(tmp_path):
    raw = tmp_path / "my pages"
    shutil.copytree(SEEDS, raw)
    out = tmp_path / "out dir"
    proc = subprocess.run(
        ["make", "-s", "clean-corpus", f"RAW={raw}", f"OUT={out}"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert len(read_jsonl(out / "corpus.jsonl")) == 8


def test_python_dash_m_cleaner_is_the_command_line(tmp_path):
    """`python -m cleaner` cleans like the installed script (one seed page, same corpus bytes)."""
    page = sorted(SEEDS.glob("*.txt"))[0]
    via_module = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(page), "--out", str(tmp_path / "m"), "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert via_module.returncode == 0, via_module.stderr
    assert (
        CliRunner().invoke(main, ["clean", str(page), "--out", str(tmp_path / "s"), "--quiet"]).exit_code == 0
    )
    corpus = (tmp_path / "m" / "corpus.jsonl").read_bytes()
    assert corpus and corpus == (tmp_path / "s" / "corpus.jsonl").read_bytes()
