"""The article-extraction benchmark metrics, for `cleaner eval`: gold texts, or snippets.

Word 4-gram shingles (\\w+ tokens); per page, true positives are shared shingles
(with multiplicity); precision and recall are averaged over pages, each page weighing
the same; F1 comes from the two means. A page with nothing predicted leaves the
precision mean and a page with an empty gold leaves the recall mean, as the public
benchmarks do. tests/test_evaluate.py holds this against ../shared/tools/score.py.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass
class PageScore:
    page: str
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        return (
            1.0 if self.fp == self.fn == 0 else (self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0)
        )

    @property
    def recall(self) -> float:
        return (
            1.0 if self.fp == self.fn == 0 else (self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0)
        )


def score_page(page: str, gold: str, predicted: str) -> PageScore:
    g, p = shingles(gold), shingles(predicted)
    tp, fp, fn = sum((g & p).values()), sum((p - g).values()), sum((g - p).values())
    total = tp + fp + fn
    if not total:
        return PageScore(page, 0.0, 0.0, 0.0)
    return PageScore(page, tp / total, fp / total, fn / total)


def page_id(record: dict[str, Any]) -> str:
    """A record's page: its source file's name up to the first dot (the benchmark's ids)."""
    source = record.get("source")
    path = source.get("path") if isinstance(source, dict) else source
    return Path(str(path)).name.split(".")[0]


def evaluate(gold_dir: Path, records: Iterable[dict[str, Any]]) -> tuple[dict[str, float], list[PageScore]]:
    """Scores of records (grouped by page, joined in order) against gold_dir/<id>.gold.txt."""
    golds = {p.name.split(".")[0]: p.read_text(encoding="utf-8") for p in sorted(gold_dir.glob("*.gold.txt"))}
    predicted: dict[str, list[str]] = defaultdict(list)
    for record in records:
        predicted[page_id(record)].append(record.get("text") or "")
    pages = [score_page(k, golds[k], "\n\n".join(predicted.get(k, []))) for k in sorted(golds)]
    precisions = [s.precision for s in pages if s.tp + s.fp > 0]
    recalls = [s.recall for s in pages if s.tp + s.fn > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    summary = {
        "pages": len(pages),
        "missing": sum(1 for k in golds if k not in predicted),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
    }
    return summary, pages


# ------------------------------------------------------------------ snippet-annotated sets

SPACE = re.compile(r"\s+")


def _squash(text: str | None) -> str:
    return SPACE.sub(" ", text or "").strip()


@dataclass
class SnippetScore:
    """One page of a snippet-annotated set: how many "with" snippets the text holds (of how
    many), and how many "without" snippets it wrongly holds."""

    page: str
    found: int
    wanted: int
    leaked: int
    unwanted: int


def snippet_page_id(record: dict[str, Any]) -> str:
    """A record's page in a snippet set: the id of its JSONL input line, else its file's stem."""
    source = record.get("source")
    if isinstance(source, dict) and source.get("input_id"):
        return str(source["input_id"])
    return page_id(record)


def evaluate_snippets(
    data_dir: Path, records: Iterable[dict[str, Any]]
) -> tuple[dict[str, float], list[SnippetScore]]:
    """Scores of records against data_dir/evaldata.json ({key: {"with": [...], "without": [...]}}),
    the metric of trafilatura's own evaluation: a snippet is found when its white-space-squashed
    form is a substring of the page's squashed text (standfirst and body of all its records);
    counts are summed over pages. tests/test_evaluate.py holds it against
    ../shared/tools/score_snippets.py."""
    data = json.loads((data_dir / "evaldata.json").read_text(encoding="utf-8"))
    texts: dict[str, list[str]] = defaultdict(list)
    for record in records:
        texts[snippet_page_id(record)] += [record.get("standfirst") or "", record.get("text") or ""]
    pages = []
    for key, item in sorted(data.items()):
        text = _squash("\n".join(texts.get(key, [])))
        found = sum(_squash(s) in text for s in item["with"]) if text else 0
        leaked = sum(_squash(s) in text for s in item["without"]) if text else 0
        pages.append(SnippetScore(key, found, len(item["with"]), leaked, len(item["without"])))
    tp = sum(p.found for p in pages)
    fp = sum(p.leaked for p in pages)
    fn = sum(p.wanted - p.found for p in pages)
    tn = sum(p.unwanted - p.leaked for p in pages)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = tp + fp + fn + tn
    summary = {
        "pages": len(pages),
        "missing": sum(1 for key in data if key not in texts),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round((tp + tn) / total, 4) if total else 0.0,
    }
    return summary, pages
