"""The snippet metric of `cleaner eval --snippets`, by hand and against ../shared/tools/score_snippets.py."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from cleaner.cli import main
from cleaner.tools.evaluate import evaluate_snippets

from .conftest import need_shared


def _record(page: str, text: str, standfirst: str | None = None, input_id: bool = True) -> dict:
    source = {"path": f"in/{page}.html", **({"input_id": page} if input_id else {})}
    return {"text": text, "standfirst": standfirst, "source": source}


def test_snippets_are_counted_over_pages(tmp_path):
    data = {
        "a": {"url": "u", "with": ["the storm  reached", "the coast"], "without": ["Subscribe now"]},
        "b": {"url": "u", "with": ["rates rose"], "without": ["Related", "Share this"]},
        "c": {"url": "u", "with": ["never seen"], "without": ["Menu"]},
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(data))
    records = [
        _record("a", "The storm\nreached the town.", standfirst="Subscribe now"),  # spaces squashed
        _record("b", "Central bank rates rose. Related", input_id=False),  # matched by the file's stem
    ]
    summary, pages = evaluate_snippets(tmp_path, records)
    by_page = {p.page: p for p in pages}
    assert (by_page["a"].found, by_page["a"].leaked) == (0, 1)  # "the storm reached": case counts
    assert (by_page["b"].found, by_page["b"].leaked) == (1, 1)
    assert (by_page["c"].found, by_page["c"].leaked) == (0, 0)
    # tp 1, fp 2, fn 3, tn 2
    assert summary["missing"] == 1
    assert summary["precision"] == round(1 / 3, 4) and summary["recall"] == 0.25
    assert summary["f1"] == round(2 * (1 / 3) * 0.25 / (1 / 3 + 0.25), 4)
    assert summary["accuracy"] == 0.375


def test_snippet_metric_agrees_with_the_shared_tool(tmp_path):
    """A corpus built from trafeval's own snippets (a share of each page's "with" and "without"
    snippets, some pages left out) gets the same figures from both."""
    data_dir = need_shared("data", "trafeval")
    tool = need_shared("tools", "score_snippets.py")
    data = json.loads((data_dir / "evaldata.json").read_text(encoding="utf-8"))
    records = []
    for n, (key, item) in enumerate(sorted(data.items())):
        if n % 7 == 0:
            continue  # missing pages count as empty texts
        kept = item["with"][: 1 + n % 3] + item["without"][: n % 2]
        records.append(_record(key, "\n\n".join(kept), input_id=n % 5 != 0))
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ours, _ = evaluate_snippets(data_dir, records)
    proc = subprocess.run(
        [sys.executable, str(tool), "--data", str(data_dir), "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(proc.stdout.strip().splitlines()[-1])
    assert 0.3 < ours["recall"] < 0.9 and ours["precision"] < 1.0  # a corpus with both kinds of error
    assert ours == theirs


def test_eval_command_needs_exactly_one_metric(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("A line of text that says something about the weather today.\n")
    result = CliRunner().invoke(main, ["eval", str(page)])
    assert result.exit_code == 2 and "exactly one of --gold and --snippets" in result.output


def test_eval_command_scores_snippets(tmp_path):
    body = " ".join(f"Sentence {i} of the report says the river rose again overnight." for i in range(12))
    html = f"<html><body><nav>Home News Sport</nav><article><p>{body}</p></article></body></html>"
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(json.dumps({"id": "p1", "url": "https://example.org/a", "html": html}) + "\n")
    data = {
        "p1": {"url": "https://example.org/a", "with": ["Sentence 3 of the report"], "without": ["Home News"]}
    }
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "evaldata.json").write_text(json.dumps(data))
    args = ["eval", str(crawl), "--snippets", str(tmp_path / "set"), "--per-page", "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "p1\twith=1/1\twithout=0/1"
    assert json.loads(lines[-1])["f1"] == 1.0
