"""`cleaner report`: one self-contained page about a run; stale rules; sites that lean on heuristics."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.corpus.tally import heuristic_heavy_sites, stale_rules
from cleaner.strip.rules import DEFAULT_RULES, load_rules
from cleaner.tools.report import TOP_PAGES, bar_chart, collect, report_command, write_report

from .conftest import ROOT, SEEDS

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def _record(i: int, site: str | None, path: str, removed: list[tuple[str, str, str]], **extra) -> dict:
    rec = {
        "id": f"r{i:04d}",
        "text": "Body text.",
        "headline": extra.pop("headline", f"Headline {i}"),
        "standfirst": None,
        "dateline": None,
        "language": extra.pop("language", "en"),
        "site": site,
        "source": {"path": path, "sha256": "0" * 64, "format": "text", "segment": 0, "paragraphs": [5, 7, 9]},
        "removed": [
            {"line": n, "text": t, "rule": r, "category": c} for n, (t, r, c) in enumerate(removed, 1)
        ],
    }
    rec.update(extra)
    return rec


def make_run(out: Path, n_pages: int = 40) -> Path:
    """A run's outputs in the shapes `cleaner clean` writes, with numbers the tests know."""
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(n_pages):
        if i % 2:
            site, removed = "tass.com", [("All news", "tass/all-news", "navigation")]
        else:
            site = None
            removed = [
                ("Menu item", "heur/link-list", "related-articles"),
                (HOSTILE, "heur/after-article", "boilerplate"),
            ]
            removed += [("Other menu", "heur/before-article", "navigation")] * (i % 7)
        records.append(
            _record(i, site, f"pages/p{i:03d}.txt", removed, language="de" if i % 5 == 0 else "en")
        )
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)
    dups = [
        {
            **_record(900 + k, None, f"copies/c{k}.txt", []),
            "duplicate_of": "r0001" if k < 3 else "r0002",
            "similarity": 1.0 if k % 2 else 0.8123,
            "reason": "exact" if k % 2 else "near",
        }
        for k in range(4)
    ]
    (out / "duplicates.jsonl").write_text("".join(json.dumps(d) + "\n" for d in dups), encoding="utf-8")
    rejects = [
        {"path": "pages/empty.txt", "sha256": None, "reason": "empty", "detail": ""},
        {"path": "pages/bin.txt", "sha256": None, "reason": "binary", "detail": HOSTILE},
        {"path": "pages/none.txt", "sha256": None, "reason": "no-article", "detail": "no prose"},
    ]
    (out / "rejects.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rejects), encoding="utf-8")
    rules = load_rules(DEFAULT_RULES)
    hits = Counter(r["rule"] for rec in records for r in rec["removed"])
    stats = {
        "pages": n_pages + 3 + 4,
        "documents": n_pages,
        "rejects": 3,
        "duplicates": 4,
        "hits": dict(hits),
        "rules_not_fired": sorted(r.id for r in rules.rules if r.matcher != "css" and not hits.get(r.id)),
        "removed_by_category": dict(Counter(r["category"] for rec in records for r in rec["removed"])),
        "dedup": {"repeated_lines": 0},
    }
    (out / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    manifest = {
        "cleaner": {"version": "0.1.0", "rules": rules.digest, "rules_dir": str(DEFAULT_RULES)},
        "counts": {"pages": stats["pages"], "documents": n_pages, "rejects": 3, "duplicates": 4},
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


# ---------------------------------------------------------------- stale rules and heuristic-heavy sites


def test_stale_rules_names_site_rules_of_seen_sites_then_global_rules():
    rules = load_rules(DEFAULT_RULES)
    stats = {"pages": 10, "hits": {"tass/all-news": 4}}  # no rules_not_fired: derived from hits
    rows = stale_rules(stats, rules, Counter({"tass.com": 4}))  # seen by domain
    site_rows = [r for r in rows if r["scope"] == "site"]
    assert {r["rule"] for r in site_rows} == {
        r.id for r in rules.rules if r.site == "tass" and r.matcher != "css"
    } - {"tass/all-news"}
    assert all(r["site"] == "tass" and r["pages"] == 4 for r in site_rows)
    assert not any(
        r["rule"].startswith(("sputnik/", "newcoldwar/")) for r in rows
    )  # their pages were not seen
    global_rows = [r for r in rows if r["scope"] == "global"]
    assert global_rows and all(r["rule"].startswith("global/") for r in global_rows)
    assert rows.index(site_rows[-1]) < rows.index(global_rows[0])  # site rules first
    # by site name too, and rules_not_fired wins over hits when present
    rows = stale_rules({"rules_not_fired": ["sputnik/listen-live"]}, rules, Counter({"sputnik": 2}))
    assert [(r["rule"], r["pages"]) for r in rows] == [("sputnik/listen-live", 2)]


def test_heuristic_heavy_sites_ranks_sites_by_text_lost_to_heuristics():
    records = [
        _record(
            1,
            "a.example",
            "x/1.txt",
            [("long heuristic chrome line " * 4, "heur/link-list", "related-articles")],
        ),
        _record(2, "a.example", "x/2.txt", [("short", "global/share-buttons", "share-widget")]),
        _record(3, None, "dumps/3.txt", [("menu", "heur/before-article", "navigation")]),
        _record(4, "b.example", "x/4.txt", [("a rule removed this", "b/rule", "navigation")]),
        _record(5, "c.example", "x/5.txt", [("repeated on the site", "corpus/repeated-line", "boilerplate")]),
    ]
    rows = heuristic_heavy_sites(iter(records), rules=load_rules(DEFAULT_RULES))
    assert [r["site"] for r in rows] == ["a.example", "c.example", "dumps/"]  # b lost text to rules only
    a = rows[0]
    assert a["pages"] == 2 and a["lines_removed"] == 2 and a["heuristic_lines"] == 1
    assert 0.9 < a["heuristic_share"] < 1 and a["top_heuristics"] == ["heur/link-list"]
    assert a["rule_file"] is None
    assert heuristic_heavy_sites(records, min_share=1.0)[0]["site"] == "c.example"


# ---------------------------------------------------------------- the page


def test_report_shows_every_section_escaped_and_self_contained(tmp_path):
    out = make_run(tmp_path / "run")
    path = write_report(out)
    page = path.read_text(encoding="utf-8")
    assert path == out / "report.html"
    for heading in [
        "Lines removed",
        "Sites",
        "Languages",
        "Stale rules",
        "Largest duplicate clusters",
        "Pages that lost the most",
        "Rejects",
        "Removed lines by rule",
    ]:
        assert heading in page
    # no network: nothing loaded from elsewhere
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    # all text escaped
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # charts: one rect per bar with a positive width, largest category widest
    widths = [float(w) for w in re.findall(r'<rect x="280" y="\d+" width="([\d.]+)"', page)]
    assert widths and min(widths) > 0
    # the numbers
    assert (
        ">40</b><span>articles" in page and ">3</b><span>rejects" in page and ">4</b><span>duplicates" in page
    )
    assert "tass.com" in page and "pages/" in page  # site table: a site, and a folder for records with none
    assert "tass/updated-at" in page  # a tass rule that did not fire although tass pages were seen
    assert "pages/p006.txt" in page  # among the pages that lost the most (6 heuristic lines + 2)
    assert (
        "copies/c0.txt" in page and "0.8123" in page and "Headline 1" in page
    )  # cluster with its kept record
    assert "<del>All news</del>" in page


def test_report_keeps_bounded_lists_while_streaming(tmp_path):
    out = make_run(tmp_path / "run", n_pages=300)
    run = collect(out)
    assert len(run.losers) == TOP_PAGES
    assert all(len(v) <= 3 for v in run.examples.values())
    assert run.records == 300 and run.tally.sites["tass.com"].pages == 150
    assert run.reject_reasons == Counter({"empty": 1, "binary": 1, "no-article": 1})
    assert [c for c, _ in run.clusters] == ["r0001", "r0002"] and dict(run.clusters)["r0001"] == 3


def test_bar_chart_scales_to_the_largest_value():
    svg = bar_chart([("a", 10), ("b", 5), ("c", 0)], title="t", width=500, label_width=100)
    widths = [int(w) for w in re.findall(r'<rect x="100" y="\d+" width="(\d+)"', svg)]
    assert widths == [330, 165, 0]
    assert bar_chart([], title="t") == '<p class="empty">nothing to show</p>'


def test_report_command_on_a_real_run(tmp_path):
    pages = tmp_path / "seeds"
    shutil.copytree(SEEDS, pages)
    (pages / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "clean", str(pages), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = CliRunner().invoke(report_command, [str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "tass/all-news" in page and "empty.txt" in page
    assert CliRunner().invoke(report_command, [str(tmp_path)]).exit_code == 2  # not a run folder


# ---------------------------------------------------------------- in a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _png_pixels(data: bytes, rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `rows` rows (as RGB bytes) of an 8-bit RGB(A) PNG, without Pillow."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, out, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(min(rows, height)):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(b"".join(bytes(line[k : k + 3]) for k in range(0, stride, bpp)))  # as RGB
        prev = line
    return width, height, out


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_report_renders_charts_in_headless_chromium(tmp_path):
    out = make_run(tmp_path / "run")
    url = write_report(out).resolve().as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    assert CHROMIUM is not None
    dom = subprocess.run(
        [CHROMIUM, *BROWSER_FLAGS, *profile, "--dump-dom", url], capture_output=True, text=True, timeout=60
    ).stdout
    rects = re.findall(r'<rect x="280" y="\d+" width="([\d.]+)"[^>]*fill="#(\w+)"', dom)
    assert len(rects) >= 8 and all(float(w) > 0 for w, _ in rects)
    assert "<svg" in dom and "Lines removed" in dom

    shot = tmp_path / "report.png"
    subprocess.run(
        [CHROMIUM, *BROWSER_FLAGS, *profile, f"--screenshot={shot}", "--window-size=900,700", url],
        capture_output=True,
        timeout=60,
        check=True,
    )
    data = shot.read_bytes()
    assert len(data) > 10_000
    width, height, rows = _png_pixels(data, rows=700)
    assert (width, height) == (900, 700)
    pixels = Counter(row[k : k + 3] for row in rows[::2] for k in range(0, len(row), 3))
    assert len(pixels) > 20  # text, cards and bars, not one colour
    bar = bytes.fromhex("4e79a7")  # the charts' bar colour is on screen
    assert pixels[bar] > 200


def test_site_tallies_of_consecutive_chunks_merge_into_the_tally_of_the_whole():
    """The output pass tallies chunk by chunk on the workers; merged, it must be the serial tally,
    a page whose records straddle the seam counted once."""
    from cleaner.corpus.tally import SiteTally

    def record(site, path, n_removed):
        removed = [
            {"rule": "heur/link-list" if i % 2 else "global/x", "text": "y" * (i + 3)}
            for i in range(n_removed)
        ]
        return {"site": site, "source": {"path": path, "paragraphs": [1, 2]}, "removed": removed}

    records = [
        record("a.example", "p1", 2),
        record("a.example", "p1", 1),  # the same page again
        record("b.example", "p2", 3),
        record("a.example", "p3", 0),
        record("a.example", "p3", 4),
        record("b.example", "p4", 1),
    ]
    whole = SiteTally()
    for rec in records:
        whole.add(rec)
    for cut in range(len(records) + 1):
        first, second = SiteTally(), SiteTally()
        for rec in records[:cut]:
            first.add(rec)
        for rec in records[cut:]:
            second.add(rec)
        first.merge(second)
        assert first.sites == whole.sites, cut
        assert first.heavy(min_share=0.0) == whole.heavy(min_share=0.0)
