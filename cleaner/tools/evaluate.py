"""The article-extraction benchmark metric, for `cleaner eval`.

Word 4-gram shingles (\\w+ tokens); per page, true positives are shared shingles
(with multiplicity); precision and recall are averaged over pages, each page weighing
the same; F1 comes from the two means. A page with nothing predicted leaves the
precision mean and a page with an empty gold leaves the recall mean, as the public
benchmarks do. tests/test_evaluate.py holds this against ../shared/tools/score.py.
"""

from __future__ import annotations

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
