"""HTML extraction benchmark: bare trafilatura.extract() against cleaner.html_extract.extract().

    python bench/bench_html.py --shared ../shared [--limit N]

Decompresses ../shared/data/aeb/*.html.gz into a temporary folder, then in one process
times both (decode + extract, per page, same order) and scores both with the shared
scorer (../shared/tools/score.py, imported from there, never copied). Bare trafilatura
gets the decoded text and no URL, as in the data README's reference row; ours gets the
page URL from <id>.meta.json, as the pipeline will.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from cleaner.extract.html import extract  # noqa: E402
from cleaner.inputs.decode import decode_bytes  # noqa: E402


def _scorer(shared: Path) -> ModuleType:
    path = shared / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("aeb_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer: ModuleType, golds: dict[str, str], preds: dict[str, str]) -> dict[str, float]:
    """Precision, recall, F1 exactly as score.py computes them (means over pages)."""
    rows = [scorer.overlap(golds[k], preds.get(k, "")) for k in sorted(golds)]
    p = statistics.mean([scorer.prec(*c) for c in rows if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([scorer.rec(*c) for c in rows if c[0] + c[2] > 0] or [0.0])
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _bare(data: bytes, url: str | None) -> str:
    text, _ = decode_bytes(data, html=True)
    return trafilatura.extract(text) or ""


def _ours(data: bytes, url: str | None) -> str:
    text, _ = decode_bytes(data, html=True)
    blocks, _meta = extract(text, url=url)
    return "\n\n".join(b.text for b in blocks)


def _timed(
    fn: Callable[[bytes, str | None], str], pages: list[tuple[str, bytes, str | None]]
) -> tuple[dict[str, str], float]:
    preds: dict[str, str] = {}
    start = time.perf_counter()
    for key, data, url in pages:
        preds[key] = fn(data, url)
    return preds, time.perf_counter() - start


def load_pages(
    shared: Path, limit: int | None, tmp: Path
) -> tuple[list[tuple[str, bytes, str | None]], dict[str, str]]:
    """Decompress the development set into tmp; return (id, bytes, url) and gold texts."""
    data_dir = shared / "data" / "aeb"
    files = sorted(data_dir.glob("*.html.gz"))[: limit or None]
    pages, golds = [], {}
    for gz in files:
        key = gz.name.split(".")[0]
        html_path = tmp / f"{key}.html"
        html_path.write_bytes(gzip.decompress(gz.read_bytes()))
        meta_path = data_dir / f"{key}.meta.json"
        url = json.loads(meta_path.read_text(encoding="utf-8")).get("url") if meta_path.exists() else None
        pages.append((key, html_path.read_bytes(), url))
        golds[key] = (data_dir / f"{key}.gold.txt").read_text(encoding="utf-8")
    return pages, golds


def run(shared: Path, limit: int | None = None) -> dict[str, Any]:
    """Score and time bare trafilatura and our extract on the aeb set; return the figures."""
    scorer = _scorer(shared)
    with tempfile.TemporaryDirectory(prefix="bench_html_") as tmp:
        pages, golds = load_pages(shared, limit, Path(tmp))
    # warm both paths once (imports, lazy tables) so neither pays the other's start-up
    _bare(pages[0][1], None), _ours(pages[0][1], pages[0][2])
    bare_preds, bare_s = _timed(_bare, pages)
    ours_preds, ours_s = _timed(_ours, pages)
    n = len(pages)
    result: dict[str, Any] = {
        "pages": n,
        "bare_trafilatura": {
            **score(scorer, golds, bare_preds),
            "seconds": round(bare_s, 2),
            "pages_per_s": round(n / bare_s, 1),
        },
        "extract": {
            **score(scorer, golds, ours_preds),
            "seconds": round(ours_s, 2),
            "pages_per_s": round(n / ours_s, 1),
        },
    }
    result["speed_ratio"] = round(bare_s / ours_s, 2)  # > 1: ours is faster
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print the result as JSON only")
    args = ap.parse_args(argv)
    res = run(args.shared, args.limit)
    if args.json:
        print(json.dumps(res))
        return 0
    print(f"aeb development set, {res['pages']} pages (decode + extract, one process)")
    print(f"{'':22}{'precision':>10}{'recall':>8}{'F1':>8}{'pages/s':>9}")
    for name, key in (("trafilatura.extract", "bare_trafilatura"), ("our extract()", "extract")):
        r = res[key]
        print(f"{name:22}{r['precision']:>10.4f}{r['recall']:>8.4f}{r['f1']:>8.4f}{r['pages_per_s']:>9.1f}")
    print(f"speed ratio (ours / bare): {res['speed_ratio']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
