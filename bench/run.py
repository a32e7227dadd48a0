"""`make bench`: speed and quality measured against a peer in the same run, printed as ratios.

    python bench/run.py --shared ../shared [--only startup,quality,html,dumps,meta,dedup] [--dedup-n 100000]

startup  whole processes, start to exit: `cleaner clean` of one HTML page (with the user's cache
       folder warm, and with CLEANER_CACHE=off) and `cleaner explain` of a seed page, each
       against `python -c "import trafilatura; trafilatura.extract(...)"` on one page; the
       development set's HTML on one worker against one trafilatura process over the same
       files (every side reads the bytes from disk).
quality both development sets, HTML and text dumps: F1 on aeb (gold texts) and trafeval
       (snippets, URL given), trafilatura default and fast on the same HTML, trafeval's lost
       pages (the cleaner finds none of the "with" snippets where trafilatura default finds 2+;
       bar <= 5), and the whole run on trafeval, one worker, against trafilatura default's
       whole run in the same bench (bar: ratio >= 1.0).

html   the development set's HTML (decompressed, no URL): the whole cleaner (one worker,
       read to written output) and bare trafilatura.extract on the same files, F1 and
       pages per second of each (best of --repeats runs), and the ratio: a warm loop, timed
       in this process after a first run, so start-up is not in it (startup has that).
dumps  whole-page text dumps of the development set (render_dump.py), ten times over with
       each copy's body lines made distinct (so caches of body lines cannot flatter the run;
       chrome repeats, as a site's chrome does across its pages): pages per second on one
       worker, the speed-up with two (best of --repeats runs each), peak memory on the
       corpus and on ten times the corpus. Measured: on the 181 pages once, a second pass
       with every line cache emptied costs 2.3 ms a page against 2.96 for the first (the
       difference is one-time warm-up: regex automata, first calls), and full caches 2.06.
meta   trafeval's pages (with their URLs) through the cleaner (duplicates kept, as in quality) and
       through trafilatura's bare_extraction with metadata: the share of annotated pages whose headline, published
       day and authors are right (score_snippets.py --meta), and HTML records with a standfirst.
dedup  100,000 articles through `cleaner dedup` against datasketch's MinHashLSH with the
       same parameters: wall time, peak memory, ratio (bench/bench_dedup.py builds them).

Timed runs are whole processes (`cleaner` subprocesses, peak RSS from os.wait4) unless
said otherwise; nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CLEANER = [sys.executable, "-m", "cleaner.cli"]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one whole process (`env`: variables added to ours)."""
    wall, rss, _ = timed_cpu(cmd, env)
    return wall, rss


def timed_cpu(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one whole process.

    CPU time is what the process itself spent: on a machine shared with other jobs, wall
    time also holds the time it waited for a core (and for the disk)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def decompress(shared: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for page in sorted((shared / "data" / "aeb").glob("*.html.gz")):
        (target / page.name[: -len(".gz")]).write_bytes(gzip.decompress(page.read_bytes()))
    return target


# ------------------------------------------------------------------ html


def bench_html(shared: Path, work: Path, repeats: int) -> dict[str, Any]:
    import trafilatura

    from cleaner.inputs.decode import decode_bytes
    from cleaner.inputs.records import read_records
    from cleaner.run.engine import RunOptions
    from cleaner.run.page import Cleaner, Settings
    from cleaner.run.runner import run
    from cleaner.tools.evaluate import evaluate

    html = decompress(shared, work / "html")
    gold = shared / "data" / "aeb"
    files = sorted(html.glob("*.html"))
    cleaner = Cleaner.load(Settings())

    run([html], work / "warm", cleaner, RunOptions(workers=1))  # both sides get a warm process
    for page in files[:20]:
        trafilatura.extract(decode_bytes(page.read_bytes(), html=True)[0])
    ours_runs, bare_runs = [], []
    for _ in range(repeats):  # interleaved, best of each (see bench_dumps)
        start = time.perf_counter()
        run([html], work / "ours", cleaner, RunOptions(workers=1))
        ours_runs.append(time.perf_counter() - start)
        texts = []
        start = time.perf_counter()
        for page in files:
            texts.append(
                {
                    "source": {"path": page.name},
                    "text": trafilatura.extract(decode_bytes(page.read_bytes(), html=True)[0]) or "",
                }
            )
        bare_runs.append(time.perf_counter() - start)
    ours_s, bare_s = min(ours_runs), min(bare_runs)
    ours, _ = evaluate(gold, read_records(work / "ours" / "corpus.jsonl"))
    bare, _ = evaluate(gold, texts)
    return {
        "pages": len(files),
        "cleaner": {**ours, "pages_per_s": round(len(files) / ours_s, 1)},
        "trafilatura": {**bare, "pages_per_s": round(len(files) / bare_s, 1)},
        "speed_ratio": round(bare_s / ours_s, 2),
    }


# ------------------------------------------------------------------ start-up and small runs


def _peer(files: list[Path]) -> list[str]:
    """Bare trafilatura in a process of its own: import it, extract each file's bytes read from disk."""
    script = (
        "import sys, trafilatura\nfor path in sys.argv[1:]:\n    trafilatura.extract(open(path, 'rb').read())"
    )
    return [sys.executable, "-c", script, *map(str, files)]


ONE_PAGE_ROUNDS = 4  # rounds of the one-page processes per round of the development-set ones


def bench_startup(shared: Path, work: Path, repeats: int) -> dict[str, Any]:
    """Whole processes, start to exit, each beside its peer in the same run (interleaved,
    best of `repeats`, of 4 x `repeats` for the one-page ones): `cleaner clean` of one HTML
    page and `cleaner explain` of a seed page against a one-page trafilatura process, and
    the development set's HTML on one worker against one trafilatura process over the same
    files. Every side reads the page bytes from disk."""
    # an installed package has its bytecode compiled (pip does it; trafilatura's is): so has ours
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "cleaner")], check=True)
    html = decompress(shared, work / "html")
    files = sorted(html.glob("*.html"))
    one = work / "one-page"
    one.mkdir(exist_ok=True)
    page = files[len(files) // 2]
    shutil.copy(page, one / page.name)
    seed = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
    out = work / "startup-out"
    cases = {
        "clean_one_html": [*CLEANER, "clean", str(one), "--out", str(out), "--quiet"],
        # the same without the user's cache folder: a first run, or CLEANER_CACHE=off
        "clean_one_html_cache_off": [*CLEANER, "clean", str(one), "--out", str(out), "--quiet"],
        "explain_seed": [*CLEANER, "explain", str(seed)],
        "trafilatura_one_html": _peer([page]),
        "clean_devset_html_1_worker": [
            *CLEANER,
            "clean",
            str(html),
            "--out",
            str(out),
            "--quiet",
            "--workers",
            "1",
        ],
        "trafilatura_devset_html": _peer(files),
    }
    runs: dict[str, list[float]] = {name: [] for name in cases}
    cpu_runs: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(repeats * ONE_PAGE_ROUNDS):
        for name, cmd in cases.items():
            if "devset" in name and round_ % ONE_PAGE_ROUNDS:
                continue  # the one-page processes run more often: a short run varies more with the load
            shutil.rmtree(out, ignore_errors=True)
            env = {"CLEANER_CACHE": "off"} if name.endswith("_cache_off") else None
            wall, _, cpu = timed_cpu(cmd, env)
            runs[name].append(round(wall, 3))
            cpu_runs[name].append(round(cpu, 3))
    best = {name: min(each) for name, each in runs.items()}
    cpu = {name: min(each) for name, each in cpu_runs.items()}
    peer_one, peer_one_cpu = best["trafilatura_one_html"], cpu["trafilatura_one_html"]
    return {
        "page": page.name,
        "seed": seed.name,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pages_devset": len(files),
        "best_s": best,
        "each_run_s": runs,
        "clean_one_html_vs_trafilatura": round(best["clean_one_html"] / peer_one, 2),
        "clean_one_html_cache_off_vs_trafilatura": round(best["clean_one_html_cache_off"] / peer_one, 2),
        "explain_seed_vs_trafilatura": round(best["explain_seed"] / peer_one, 2),
        "devset_speed_ratio": round(best["trafilatura_devset_html"] / best["clean_devset_html_1_worker"], 2),
        "best_cpu_s": cpu,
        "cpu_ratios": {  # the same ratios of CPU seconds: steadier than wall time on a shared machine
            "clean_one_html_vs_trafilatura": round(cpu["clean_one_html"] / peer_one_cpu, 2),
            "clean_one_html_cache_off_vs_trafilatura": round(
                cpu["clean_one_html_cache_off"] / peer_one_cpu, 2
            ),
            "explain_seed_vs_trafilatura": round(cpu["explain_seed"] / peer_one_cpu, 2),
            "devset_speed_ratio": round(
                cpu["trafilatura_devset_html"] / cpu["clean_devset_html_1_worker"], 2
            ),
        },
        "note": "whole processes; the first three ratios are times (lower is better: ours / trafilatura's), "
        "the last a speed ratio (higher is better: trafilatura's time / ours); the cleaner's runs use "
        "the user's cache folder (compiled regexes, checked rule files: README), warm after the first "
        "run, except cache_off (CLEANER_CACHE=off: every run compiles as a first run does)",
    }


# ------------------------------------------------------------------ dumps


MARKS = ["zero", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]


def _mark(line: str, word: str) -> str:
    first, _, rest = line.partition(" ")
    return f"{first} {word} {rest}"


def make_dumps(shared: Path, work: Path, copies: int) -> Path:
    """The development set as page dumps, `copies` times: copy k marks each body line with k."""
    base = work / "dumps1"
    if not base.exists():
        html = decompress(shared, work / "html")
        subprocess.run(
            [
                sys.executable,
                str(shared / "tools" / "render_dump.py"),
                *map(str, sorted(html.glob("*.html"))),
                "--out",
                str(base),
            ],
            check=True,
        )
    target = work / f"dumps{copies}-v2"
    if target.exists():
        return target
    for k in range(copies):
        folder = target / f"copy{k:02d}"
        folder.mkdir(parents=True)
        for page in sorted(base.glob("*.txt")):
            lines = page.read_text(encoding="utf-8").split("\n")
            if k:  # a word after the first makes each copy's body lines its own (no digits or brackets,
                # which would trip the time-stamp and topic-count checks and slow them unfairly)
                lines = [_mark(line, MARKS[k]) if len(line.split()) >= 8 else line for line in lines]
            (folder / page.name).write_text("\n".join(lines), encoding="utf-8")
    return target


def bench_dumps(shared: Path, work: Path, repeats: int) -> dict[str, Any]:
    """Each configuration runs `repeats` times, interleaved, and reports its best run (as
    timeit does: on a shared machine a slower run is one something else slowed; one run
    varies by 10% here). Every run's seconds are printed too."""
    one = make_dumps(shared, work, 1)
    ten = make_dumps(shared, work, 10)
    pages_ten = sum(1 for _ in ten.rglob("*.txt"))
    pages_one = sum(1 for _ in one.rglob("*.txt"))
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for _ in range(repeats):
        for workers in (1, 2):
            out = work / f"out-w{workers}"
            shutil.rmtree(out, ignore_errors=True)
            wall, rss = timed(
                [*CLEANER, "clean", str(ten), "--out", str(out), "--quiet", "--workers", str(workers)]
            )
            seconds = json.loads((out / "manifest.json").read_text())["seconds"]
            runs[workers].append({"wall_s": round(wall, 2), "seconds": seconds, "peak_rss_mib": rss})
    results: dict[str, Any] = {"pages": pages_ten, "runs_each": repeats}
    for workers, done in runs.items():
        cleaning = min(r["seconds"]["pages"] for r in done)
        wall = min(r["wall_s"] for r in done)
        results[f"workers_{workers}"] = {
            "pages_per_s_cleaning": round(pages_ten / cleaning, 1),
            "pages_per_s_whole_process": round(pages_ten / wall, 1),
            "cleaning_s_each_run": [r["seconds"]["pages"] for r in done],
            "wall_s_each_run": [r["wall_s"] for r in done],
            "best_run_seconds_by_stage": min((r["seconds"] for r in done), key=lambda x: x["pages"]),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in done),
        }
    one_w, two_w = results["workers_1"], results["workers_2"]
    results["speedup_2_workers_cleaning"] = round(
        two_w["pages_per_s_cleaning"] / one_w["pages_per_s_cleaning"], 2
    )
    results["speedup_2_workers_whole_process"] = round(
        two_w["pages_per_s_whole_process"] / one_w["pages_per_s_whole_process"], 2
    )
    out = work / "out-one"
    shutil.rmtree(out, ignore_errors=True)
    _, rss_one = timed([*CLEANER, "clean", str(one), "--out", str(out), "--quiet", "--workers", "1"])
    results["memory"] = {
        "pages_1x": pages_one,
        "peak_rss_mib_1x": rss_one,
        "pages_10x": pages_ten,
        "peak_rss_mib_10x": one_w["peak_rss_mib"],
        "ratio": round(one_w["peak_rss_mib"] / rss_one, 2),
    }
    results["note"] = (
        "cleaning: the manifest's 'pages' stage (read, clean, spool every page; rules and language "
        "profiles are compiled before it, in the 'load' stage); whole process: from start to exit, "
        "with start-up, load, the corpus-wide steps (repeated lines, dedup) and writing"
    )
    return results


# ------------------------------------------------------------------ dedup


def bench_dedup(shared: Path, work: Path, n: int) -> dict[str, Any]:
    import bench_dedup

    records, _ = bench_dedup.synthetic(shared, n)
    corpus = work / "dedup-in.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    del records
    out = work / "dedup-out"
    wall, rss = timed([*CLEANER, "dedup", str(corpus), "--out", str(out)])
    peer = bench_dedup.measure("datasketch", shared, n, n)
    step = bench_dedup.measure("ours", shared, n, n)
    keep = ("seconds", "peak_rss_mib", "precision", "recall")
    return {
        "articles": n,
        "cleaner_dedup_command": {"wall_s": round(wall, 1), "peak_rss_mib": rss},
        "cleaner_dedup_step": {k: step.get(k) for k in keep},
        "datasketch_minhashlsh": {k: peer.get(k) for k in keep},
        "speed_ratio_command_vs_datasketch": round(peer["seconds"] / wall, 2),
        "speed_ratio_step_vs_datasketch": round(peer["seconds"] / step["seconds"], 2),
        "note": "command: the whole `cleaner dedup` process (read JSONL, dedup, write JSONL); step and "
        "datasketch: the dedup work alone in a process of its own (128 permutations, 32 bands x 4 rows)",
    }


def bench_meta(shared: Path, work: Path) -> dict[str, Any]:
    """Headline, published and authors on trafeval, the cleaner (duplicates kept) against
    trafilatura's metadata."""
    import trafilatura

    from cleaner.run.engine import RunOptions
    from cleaner.run.page import Cleaner, Settings
    from cleaner.run.runner import run

    sys.path.insert(0, str(shared / "tools"))
    from score_snippets import first_records, meta_scores

    annotations = json.loads((shared / "data" / "trafeval" / "evaldata.json").read_text(encoding="utf-8"))
    pages = trafeval_jsonl(shared, work)
    theirs: dict[str, dict[str, Any]] = {}
    for page in map(json.loads, pages.read_text(encoding="utf-8").splitlines()):
        doc = trafilatura.bare_extraction(page["html"], url=page["url"], with_metadata=True)
        theirs[page["id"]] = {
            "headline": getattr(doc, "title", None),
            "published": getattr(doc, "date", None),
            "authors": [a.strip() for a in (getattr(doc, "author", None) or "").split(";") if a.strip()],
        }
    # duplicates kept, as for F1 in bench_quality: trafeval holds exact copies under two keys, and
    # which copy dedup keeps (the same text and metadata) must not decide a metadata score
    run([pages], work / "meta", Cleaner.load(Settings(keep_duplicates=True)), RunOptions(workers=2))
    ours = first_records(work / "meta" / "corpus.jsonl")
    records = [json.loads(line) for line in (work / "meta" / "corpus.jsonl").read_text().splitlines() if line]

    def shares(recs: dict[str, Any]) -> dict[str, Any]:
        got = meta_scores(annotations, recs)
        return {name: got[name]["share"] for name in ("headline", "published", "authors")}

    return {
        "pages": len(theirs),
        "cleaner": {
            **shares(ours),
            "html_records_with_standfirst": sum(bool(r.get("standfirst")) for r in records),
        },
        "trafilatura": shares(theirs),
        "html_records": sum(r["source"]["format"] == "html" for r in records),
    }


# ------------------------------------------------------------------ quality on both development sets


def trafeval_jsonl(shared: Path, work: Path) -> Path:
    """trafeval's pages as one JSONL of {"id", "url", "html"} lines, so the cleaner gets the URLs;
    written once a bench run, decoded by each page's charset (23 of the 945 are not UTF-8)."""
    from cleaner.inputs.decode import decode_bytes

    target = work / "trafeval.jsonl"
    if target.exists():
        return target
    data = shared / "data" / "trafeval"
    annotations = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    with target.open("w", encoding="utf-8") as fh:
        for key, item in sorted(annotations.items()):
            page = data / f"{key}.html.gz"
            if page.exists():
                html = decode_bytes(gzip.decompress(page.read_bytes()), html=True)[0]
                fh.write(json.dumps({"id": key, "url": item["url"], "html": html}) + "\n")
    return target


def dumps_of(shared: Path, pages: list[tuple[str, str]], target: Path) -> Path:
    """Whole-page text dumps (render_dump.py) of (key, html) pages, as <key>.txt."""
    if target.exists():
        return target
    html_dir = target.with_name(target.name + "-html")
    html_dir.mkdir(parents=True, exist_ok=True)
    for key, html in pages:
        (html_dir / f"{key}.html").write_text(html, encoding="utf-8")
    render = shared / "tools" / "render_dump.py"
    subprocess.run([sys.executable, str(render), *map(str, sorted(html_dir.glob("*.html"))), "--out", str(target)],
                   check=True)  # fmt: skip
    return target


PEER_MODES = {
    # trafilatura's own evaluation settings: tables in, comments out (trafeval's README)
    "default": {"fast": False, "include_comments": False, "include_tables": True},
    "fast": {"fast": True, "include_comments": False, "include_tables": True},
}


def peer_run(mode: str, jsonl: Path, out: Path) -> None:
    """The peer's whole run (a process of its own, as the cleaner's): read the JSONL, extract
    every page with trafilatura, write one record a page."""
    import trafilatura

    with jsonl.open(encoding="utf-8") as fh, out.open("w", encoding="utf-8") as sink:
        for line in fh:
            page = json.loads(line)
            text = trafilatura.extract(page["html"], url=page.get("url"), **PEER_MODES[mode]) or ""
            sink.write(json.dumps({"text": text, "source": {"input_id": page["id"], "path": "x"}}) + "\n")


def _peer_texts(mode: str, pages: list[tuple[str, str]]) -> list[dict[str, Any]]:
    import trafilatura

    return [
        {"text": trafilatura.extract(html, **PEER_MODES[mode]) or "", "source": {"path": f"{key}.html"}}
        for key, html in pages
    ]


def bench_quality(shared: Path, work: Path, repeats: int) -> dict[str, Any]:
    """F1 on aeb (gold texts) and trafeval (snippets), HTML and text dumps, beside trafilatura
    default and fast on the same HTML; trafeval's lost pages; and the whole-run speed on
    trafeval, one worker, against trafilatura default's whole run (best of `repeats`, interleaved)."""
    from cleaner.inputs.records import read_records
    from cleaner.tools.evaluate import evaluate, evaluate_snippets

    gold = shared / "data" / "aeb"
    snippets = shared / "data" / "trafeval"
    aeb_html = decompress(shared, work / "html")
    aeb_pages = [
        (p.name.split(".")[0], p.read_text(encoding="utf-8")) for p in sorted(aeb_html.glob("*.html"))
    ]
    jsonl = trafeval_jsonl(shared, work)
    traf_pages = [
        (d["id"], d["html"]) for d in map(json.loads, jsonl.read_text(encoding="utf-8").splitlines())
    ]
    aeb_dumps = dumps_of(shared, aeb_pages, work / "dumps-aeb")
    traf_dumps = dumps_of(shared, traf_pages, work / "dumps-traf")

    def clean(inp: Path, name: str, workers: int = 2) -> tuple[Path, float]:
        """Duplicates stay in the corpus (marked): trafeval holds the same page under two keys
        more than once, and a dropped copy would score as a page the extraction lost."""
        out = work / f"q-{name}"
        shutil.rmtree(out, ignore_errors=True)
        command = [*CLEANER, "clean", str(inp), "--out", str(out), "--quiet", "--keep-duplicates"]
        wall, _ = timed([*command, "--workers", str(workers)])
        return out / "corpus.jsonl", wall

    result: dict[str, Any] = {}
    aeb: dict[str, Any] = {}
    aeb["cleaner_html"], _ = evaluate(gold, read_records(clean(aeb_html, "aeb-html")[0]))
    aeb["cleaner_dumps"], _ = evaluate(gold, read_records(clean(aeb_dumps, "aeb-dumps")[0]))
    for mode in PEER_MODES:
        aeb[f"trafilatura_{mode}_html"], _ = evaluate(gold, _peer_texts(mode, aeb_pages))
    result["aeb"] = {k: {m: v[m] for m in ("precision", "recall", "f1")} for k, v in aeb.items()}

    traf: dict[str, Any] = {}
    ours_runs, peer_runs = [], []
    corpus = work / "q-traf-html" / "corpus.jsonl"
    for _ in range(repeats):  # interleaved, best of each
        corpus, wall = clean(jsonl, "traf-html", workers=1)
        ours_runs.append(round(wall, 2))
        wall, _ = timed(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--peer",
                "default",
                str(jsonl),
                str(work / "peer-default.jsonl"),
            ]
        )
        peer_runs.append(round(wall, 2))
    traf["cleaner_html"], ours_pages = evaluate_snippets(snippets, read_records(corpus))
    traf["cleaner_dumps"], _ = evaluate_snippets(snippets, read_records(clean(traf_dumps, "traf-dumps")[0]))
    traf["trafilatura_default_html"], peer_pages = evaluate_snippets(
        snippets, read_records(work / "peer-default.jsonl")
    )
    timed(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--peer",
            "fast",
            str(jsonl),
            str(work / "peer-fast.jsonl"),
        ]
    )
    traf["trafilatura_fast_html"], _ = evaluate_snippets(snippets, read_records(work / "peer-fast.jsonl"))
    peer_found = {p.page: p.found for p in peer_pages}
    lost = [p.page for p in ours_pages if p.found == 0 and peer_found.get(p.page, 0) >= 2]
    result["trafeval"] = {k: {m: v[m] for m in ("precision", "recall", "f1")} for k, v in traf.items()}
    result["trafeval"]["lost_pages"] = {"count": len(lost), "bar": 5, "pages": lost}
    ours_s, peer_s = min(ours_runs), min(peer_runs)
    result["trafeval"]["whole_run_one_worker"] = {
        "pages": len(traf_pages),
        "cleaner_s": ours_s,
        "trafilatura_default_s": peer_s,
        "cleaner_s_each_run": ours_runs,
        "trafilatura_default_s_each_run": peer_runs,
        "speed_ratio": round(peer_s / ours_s, 2),
        "bar": 1.0,
    }
    result["note"] = (
        "aeb: no URL, gold-text metric (score.py); trafeval: URL given, snippet metric; the "
        "cleaner runs with --keep-duplicates (trafeval holds exact copies under two keys) "
        "(score_snippets.py); lost pages: the cleaner finds none of a page's 'with' snippets where "
        "trafilatura default finds 2+; whole run: process start to exit (the cleaner reads, cleans, "
        "dedups and writes; trafilatura reads the same JSONL and writes one record a page)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", default="startup,quality,html,dumps,meta,dedup")
    ap.add_argument("--quality-repeats", type=int, default=3, help="timed trafeval runs of each side")
    ap.add_argument("--peer", nargs=3, metavar=("MODE", "JSONL", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--dedup-n", type=int, default=100_000)
    ap.add_argument(
        "--repeats", type=int, default=5, help="runs of each timed configuration (the best counts)"
    )
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.peer:  # one timed trafilatura run, in a process of its own
        peer_run(args.peer[0], Path(args.peer[1]), Path(args.peer[2]))
        return 0
    wanted = set(args.only.split(","))
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        work = Path(tmp)
        sections: dict[str, Callable[[], dict[str, Any]]] = {
            "startup": lambda: bench_startup(args.shared, work, args.repeats),
            "quality": lambda: bench_quality(args.shared, work, args.quality_repeats),
            "html": lambda: bench_html(args.shared, work, args.repeats),
            "dumps": lambda: bench_dumps(args.shared, work, args.repeats),
            "meta": lambda: bench_meta(args.shared, work),
            "dedup": lambda: bench_dedup(args.shared, work, args.dedup_n),
        }
        for name, section in sections.items():  # in this order, each printed as soon as it is done
            if name in wanted:
                report[name] = section()
                print(json.dumps({name: report[name]}, indent=2), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
