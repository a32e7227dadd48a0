"""Dedup benchmark: quality on make_dupset's corpus, and scale against datasketch.

    python bench/bench_dedup.py --shared ../shared [--n 100000] [--datasketch-n N] [--json OUT]

(a) Quality.  The development set's HTML is rendered to page dumps (render_dump.py),
make_dupset.py plants copies (syndicated, edited ~2% of words, trimmed last paragraph,
respaced quotes) under other sites' chrome, plus 300 distinct pages; the pages are
"cleaned" two ways and deduplicated, and score_dedup.py gives pairwise P/R:
  crude    keep lines of 8+ words ending in punctuation (chrome is left in: a floor);
  planted  the body as make_dupset planted it, between the chrome blocks (a ceiling).
(b) Scale.  n synthetic articles (sentences drawn from the gold bodies, about 10% of
stories with 1-2 planted copies) go through dedup() and through datasketch's
MinHash + MinHashLSH with the same num_perm, bands and rows, each in a fresh subprocess:
wall time of the dedup step and peak RSS of the process (os.wait4's ru_maxrss),
including the records themselves ("before" is the RSS once they are built).  With
--datasketch-n < n, datasketch runs on the first N records only and its time is
extrapolated linearly to n (the output says so); by default it runs on all n (~1.5 min).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cleaner.corpus.dedup import DedupParams, dedup, lsh_curve, normalise_body  # noqa: E402

PARAMS = DedupParams()
CURVE_S = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


# ------------------------------------------------------------------------------------ curve


def curve_table(params: DedupParams = PARAMS) -> str:
    """The LSH S-curve of the chosen bands x rows (and the 14 x 8 brief example)."""
    lines = ["s          " + " ".join(f"{s:6.1f}" for s in CURVE_S)]
    for b, r in ((params.bands, params.rows), (14, 8)):
        lines.append(f"{b:2d} x {r:<2d}    " + " ".join(f"{p:6.3f}" for p in lsh_curve(b, r, CURVE_S)))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- quality

_PUNCT_END = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")", ":", ";")


def crude_clean(page: str) -> str:
    """Lines of 8+ words ending in punctuation: the brief's stand-in for the cleaner."""
    keep = [ln.strip() for ln in page.split("\n") if len(ln.split()) >= 8 and ln.strip().endswith(_PUNCT_END)]
    return "\n\n".join(keep)


def planted_body(page: str) -> str:
    """The body make_dupset put between the chrome blocks (they hold no blank line)."""
    lo, hi = page.find("\n\n"), page.rfind("\n\n")
    return "\n\n".join(p.strip() for p in page[lo:hi].split("\n\n") if p.strip())


def build_dupset(shared: Path, work: Path) -> Path:
    html = work / "html"
    html.mkdir(parents=True, exist_ok=True)
    for gz in sorted((shared / "data" / "aeb").glob("*.html.gz")):
        (html / gz.name[:-3]).write_bytes(gzip.decompress(gz.read_bytes()))
    tools = shared / "tools"
    pages = sorted(str(p) for p in html.glob("*.html"))
    subprocess.run(
        [sys.executable, str(tools / "render_dump.py"), *pages, "--out", str(work / "dumps")],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            sys.executable,
            str(tools / "make_dupset.py"),
            "--gold",
            str(shared / "data" / "aeb"),
            "--dumps",
            str(work / "dumps"),
            "--distinct-extra",
            "300",
            "--out",
            str(work / "set"),
        ],
        check=True,
        capture_output=True,
    )
    return work / "set"


def quality(shared: Path, work: Path, params: DedupParams = PARAMS) -> dict[str, Any]:
    dupset = build_dupset(shared, work)
    pages = sorted((dupset / "pages").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    out: dict[str, Any] = {}
    for mode, clean in (("crude", crude_clean), ("planted", planted_body)):
        recs = [
            {"id": f"{i:016x}", "text": clean(t), "source": {"path": p.name}}
            for i, (p, t) in enumerate(zip(pages, texts, strict=True))
        ]
        t0 = time.perf_counter()
        res = dedup(recs, params=params)
        dt = time.perf_counter() - t0
        d = work / f"out-{mode}"
        d.mkdir(exist_ok=True)
        (d / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in res.kept), encoding="utf-8")
        (d / "duplicates.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in res.duplicates), encoding="utf-8"
        )
        score = subprocess.run(
            [
                sys.executable,
                str(shared / "tools" / "score_dedup.py"),
                "--truth",
                str(dupset / "truth.json"),
                "--out",
                str(d),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        out[mode] = {**json.loads(score), "seconds": round(dt, 3), **res.counts}
    return out


# ------------------------------------------------------------------------------------ scale


def sentence_pool(shared: Path) -> list[str]:
    pool = []
    for g in sorted((shared / "data" / "aeb").glob("*.gold.txt")):
        for para in re.split(r"\n\s*\n", g.read_text(encoding="utf-8")):
            pool += [s for s in re.split(r"(?<=[.!?])\s+", para.strip()) if len(s.split()) > 5]
    return pool


def _edit(paras: list[str], rng: random.Random, rate: float = 0.02) -> list[str]:
    out = []
    for p in paras:
        words = p.split(" ")
        for i, w in enumerate(words):
            x = rng.random()
            if x < rate / 2:
                words[i] = ""
            elif x < rate:
                words[i] = w[::-1] if len(w) > 3 else w + "s"
        out.append(" ".join(w for w in words if w))
    return out


def synthetic(shared: Path, n: int, seed: int = 11) -> tuple[list[dict[str, Any]], list[int]]:
    """n news-like records (3-10 paragraphs of 1-4 pool sentences); ~10% of stories copied."""
    pool = sentence_pool(shared)
    rng = random.Random(seed)
    recs: list[dict[str, Any]] = []
    truth: list[int] = []

    def add(paras: list[str], story: int) -> None:
        i = len(recs)
        day = rng.randint(1, 28)
        recs.append(
            {
                "id": f"{rng.getrandbits(64):016x}",
                "text": "\n\n".join(paras),
                "published": f"2019-11-{day:02d}" if rng.random() < 0.9 else None,
                "source": {"path": f"synthetic/{i:07d}.txt"},
            }
        )
        truth.append(story)

    while len(recs) < n:
        story = len(recs)
        paras = [" ".join(rng.choices(pool, k=rng.randint(1, 4))) for _ in range(rng.randint(3, 10))]
        add(paras, story)
        if rng.random() < 0.1:
            for _ in range(rng.randint(1, 2)):
                if len(recs) >= n:
                    break
                kind = rng.choice(("exact", "respaced", "edited", "trimmed"))
                if kind == "respaced":
                    add(
                        [p.replace("\u201c", '"').replace("\u201d", '"').replace(". ", ".  ") for p in paras],
                        story,
                    )
                elif kind == "edited":
                    add(_edit(paras, rng), story)
                elif kind == "trimmed" and len(paras) >= 4:
                    add(paras[:-1], story)
                else:
                    add(list(paras), story)
    return recs, truth


def pairwise(truth: list[int], pred: list[int]) -> dict[str, float]:
    """Pairwise precision/recall from cluster labels, by counting (no pair enumeration)."""

    def pairs(c: Counter[Any]) -> int:
        return sum(v * (v - 1) // 2 for v in c.values())

    both = pairs(Counter(zip(truth, pred, strict=True)))
    t, p = pairs(Counter(truth)), pairs(Counter(pred))
    return {
        "precision": round(both / p, 4) if p else 1.0,
        "recall": round(both / t, 4) if t else 1.0,
        "true_pairs": t,
        "predicted_pairs": p,
    }


def _ours(recs: list[dict[str, Any]]) -> tuple[list[int], dict[str, int]]:
    res = dedup(recs, params=PARAMS)
    index = {r["source"]["path"]: i for i, r in enumerate(recs)}
    by_id = {r["id"]: index[r["source"]["path"]] for r in res.kept}
    pred = list(range(len(recs)))
    for d in res.duplicates:
        pred[index[d["source"]["path"]]] = by_id[d["duplicate_of"]]
    return pred, res.counts


def _datasketch(recs: list[dict[str, Any]]) -> tuple[list[int], dict[str, int]]:
    """The usual datasketch recipe, same normalisation, shingles, bands and rows as ours."""
    from datasketch import MinHash, MinHashLSH

    k, word = PARAMS.shingle, re.compile(r"\w+")
    lsh = MinHashLSH(num_perm=PARAMS.num_perm, params=(PARAMS.bands, PARAMS.rows))
    sigs = []
    for i, r in enumerate(recs):
        toks = word.findall(normalise_body(r.get("text") or ""))
        m = MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed)
        if toks:
            m.update_batch(
                {" ".join(toks[j : j + k]).encode("utf-8") for j in range(max(1, len(toks) - k + 1))}
            )
            lsh.insert(i, m)
        sigs.append(m if toks else None)
    parent = list(range(len(recs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    cand = 0
    for i, m in enumerate(sigs):
        if m is None:
            continue
        for j in lsh.query(m):
            if j > i:
                cand += 1
                if m.jaccard(sigs[j]) >= PARAMS.threshold:
                    a, b = find(i), find(j)
                    parent[max(a, b)] = min(a, b)
    return [find(i) for i in range(len(recs))], {"candidate_pairs": cand}


def worker(kind: str, shared: Path, n: int, subset: int) -> dict[str, Any]:
    import resource

    t0 = time.perf_counter()
    recs, truth = synthetic(shared, n)
    recs, truth = recs[:subset], truth[:subset]
    gen = time.perf_counter() - t0
    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    pred, stats = (_ours if kind == "ours" else _datasketch)(recs)
    dt = time.perf_counter() - t0
    return {
        "kind": kind,
        "records": len(recs),
        "text_mib": round(sum(len(r["text"]) for r in recs) / 2**20, 1),
        "generate_s": round(gen, 2),
        "seconds": round(dt, 2),
        "rss_before_mib": round(base_kib / 1024, 1),
        **pairwise(truth, pred),
        "stats": stats,
    }


def measure(kind: str, shared: Path, n: int, subset: int) -> dict[str, Any]:
    """Run one worker in a fresh process; its own peak RSS comes from os.wait4."""
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--shared",
        str(shared),
        "--n",
        str(n),
        "--subset",
        str(subset),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{kind} worker failed ({proc.returncode})")
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)  # Linux: KiB
    return res


def scale(shared: Path, n: int, ds_n: int) -> dict[str, Any]:
    ours = measure("ours", shared, n, n)
    ours_sub = measure("ours", shared, n, ds_n) if ds_n < n else ours
    ds = measure("datasketch", shared, n, ds_n)
    ds_time_n = ds["seconds"] * n / ds_n
    return {
        "ours": ours,
        "ours_subset": ours_sub,
        "datasketch": ds,
        "datasketch_seconds_at_n": round(ds_time_n, 1),
        "extrapolated": ds_n < n,
        "speedup_at_n": round(ds_time_n / ours["seconds"], 1),
        "speedup_same_records": round(ds["seconds"] / ours_sub["seconds"], 1),
    }


# ---------------------------------------------------------------------------- repeated lines

RL_GRID = (
    (2, 0.05, 10),
    (3, 0.05, 10),
    (5, 0.02, 10),
    (5, 0.05, 5),
    (5, 0.05, 10),
    (5, 0.1, 10),
    (8, 0.05, 10),
)


def repeated_lines_sim(shared: Path, dumps: Path, seed: int = 5) -> list[dict[str, Any]]:
    """A simulated crawl to tune repeated_lines: each aeb page dump is one site's chrome.

    Sites get 5-200 pages; each page is 6-18 head and tail lines of its site's dump (as
    make_dupset cuts them) around a body of random gold sentences; 5% of pages re-use an
    earlier story of the same site (half of them edited), 5% carry another site's story.
    Pages are cleaned crudely (8+ words, ending in punctuation); a paragraph is body when
    it is one of the page's body paragraphs.  Gives chrome removed and body lost per setting.
    """
    from cleaner.corpus.repeated_lines import count_lines, frequent_lines, strip_repeated

    rng = random.Random(seed)
    pool = sentence_pool(shared)
    recs: list[dict[str, Any]] = []
    labels: list[list[bool]] = []
    everything: list[list[str]] = []
    for si, dump in enumerate(sorted(dumps.glob("*.txt"))):
        lines = [ln.strip() for ln in dump.read_text(encoding="utf-8").split("\n") if ln.strip()]
        mine: list[list[str]] = []
        for _ in range(rng.choice((5, 8, 12, 20, 35, 50, 100, 200))):
            x = rng.random()
            if x < 0.05 and mine:
                story = rng.choice(mine)
                story = _edit(story, rng) if rng.random() < 0.5 else list(story)
            elif x < 0.10 and everything:
                story = list(rng.choice(everything))
            else:
                story = [" ".join(rng.choices(pool, k=rng.randint(1, 4))) for _ in range(rng.randint(3, 10))]
            mine.append(story)
            everything.append(story)
            k = rng.randint(6, 18)
            paras = [p for p in lines[:k] + story + lines[-k:] if crude_clean(p)]
            in_story = set(story)
            recs.append(
                {
                    "id": str(len(recs)),
                    "site": f"site{si}.example",
                    "text": "\n\n".join(paras),
                    "source": {"paragraphs": list(range(len(paras)))},
                    "removed": [],
                }
            )
            labels.append([p in in_story for p in paras])
    counts = count_lines(recs)
    rows = []
    n_body = sum(sum(lab) for lab in labels)
    n_chrome = sum(len(lab) for lab in labels) - n_body
    for floor, share, min_pages in RL_GRID:
        frequent = frequent_lines(counts, floor=floor, share=share, min_pages=min_pages)
        chrome = body = 0
        for rec, lab in zip(recs, labels, strict=True):
            gone = {r["line"] for r in strip_repeated(rec, frequent)["removed"]}
            body += sum(1 for i, is_body in enumerate(lab) if is_body and i in gone)
            chrome += sum(1 for i, is_body in enumerate(lab) if not is_body and i in gone)
        rows.append(
            {
                "floor": floor,
                "share": share,
                "min_pages": min_pages,
                "pages": len(recs),
                "chrome_paras": n_chrome,
                "chrome_removed": round(chrome / n_chrome, 4),
                "body_paras": n_body,
                "body_lost": body,
            }
        )
    return rows


# -------------------------------------------------------------------------------------- run


def run(shared: Path, n: int = 100_000, ds_n: int | None = None) -> dict[str, Any]:
    """Quality on the make_dupset corpus and scale on n synthetic records; prints tables."""
    shared = Path(shared).resolve()
    ds_n = min(n, ds_n or n)
    print(f"params: {PARAMS}")
    print("P(candidate) by Jaccard s, 1 - (1 - s^r)^b:")
    print(curve_table())
    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as tmp:
        q = quality(shared, Path(tmp))
        rl = repeated_lines_sim(shared, Path(tmp) / "dumps")
    print("\nquality (make_dupset on aeb, 300 extra; score_dedup.py pairwise)")
    print(
        f"{'cleaning':10} {'pages':>6} {'pairs':>6} {'pred':>6} {'P':>7} {'R':>7} {'exact':>6} {'near':>5} {'s':>6}"
    )
    for mode, r in q.items():
        print(
            f"{mode:10} {r['pages']:6d} {r['true_pairs']:6d} {r['predicted_pairs']:6d} {r['precision']:7.4f}"
            f" {r['recall']:7.4f} {r['exact']:6d} {r['near']:5d} {r['seconds']:6.2f}"
        )
    print("\nrepeated lines (simulated crawl: aeb dumps as 181 sites' chrome, crude cleaning)")
    print(f"{'floor':>5} {'share':>6} {'min':>4} {'pages':>6} {'chrome removed':>15} {'body paras lost':>16}")
    for r in rl:
        print(
            f"{r['floor']:5d} {r['share']:6.2f} {r['min_pages']:4d} {r['pages']:6d} {r['chrome_removed']:15.4f}"
            f" {r['body_lost']:9d} of {r['body_paras']}"
        )
    s = scale(shared, n, ds_n)
    print(
        f"\nscale ({n} synthetic records; peak RSS includes the records: 'before' is after generating them)"
    )
    print(f"{'run':24} {'records':>8} {'dedup s':>8} {'peak MiB':>9} {'before':>7} {'P':>7} {'R':>7}")
    runs = [("ours", s["ours"])]
    if s["extrapolated"]:
        runs += [("ours (subset)", s["ours_subset"]), ("datasketch (subset)", s["datasketch"])]
    else:
        runs += [("datasketch MinHashLSH", s["datasketch"])]
    for name, r in runs:
        print(
            f"{name:24} {r['records']:8d} {r['seconds']:8.2f} {r['peak_rss_mib']:9.1f} {r['rss_before_mib']:7.1f}"
            f" {r['precision']:7.4f} {r['recall']:7.4f}"
        )
    how = f"extrapolated linearly from {ds_n}" if s["extrapolated"] else "measured"
    print(
        f"datasketch at {n}: {s['datasketch_seconds_at_n']} s ({how}); speedup {s['speedup_at_n']}x at {n}, "
        f"{s['speedup_same_records']}x on the same {ds_n} records"
    )
    return {"params": PARAMS.__dict__, "quality": q, "repeated_lines": rl, "scale": s}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument(
        "--datasketch-n", type=int, help="run datasketch on this many records only (default: all)"
    )
    ap.add_argument("--worker", choices=("ours", "datasketch"))
    ap.add_argument("--subset", type=int)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    if a.worker:
        print(json.dumps(worker(a.worker, a.shared.resolve(), a.n, a.subset or a.n)))
        return
    res = run(a.shared, a.n, a.datasketch_n)
    if a.json:
        a.json.write_text(json.dumps(res, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
