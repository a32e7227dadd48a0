"""Paragraphs repeated across many pages of one site are chrome (cc_net's idea, per site).

cc_net drops every paragraph whose hash repeats in a shard.  For news that is wrong:
two outlets carrying one agency sentence, or quoting one statement, is news.  So lines
are counted per ``site`` (records with no site are left alone) and a page counts a line
once.  Pages of one site that are one story (the same headline, or with no headline the
same normalised body: a story at two URLs, or its updated versions) count as one page,
or a story the site carries several times would lose its body.  A paragraph is chrome
when it is on at least ``max(FLOOR, SHARE * pages)`` pages of a site that has at least
``MIN_PAGES`` pages.  Paragraphs are compared as dedup normalises them, with each run of
digits made 0 (timestamps, counters and years do not hide a repeated line).

The steps work on shards: ``count_lines`` gives a Counter that can be summed across
workers (``a + b``), ``frequent_lines`` turns the total into the set of chrome keys, and
``strip_repeated`` applies it to one record.

Constants, tuned on a simulated crawl (bench/bench_dedup.py, ``repeated_lines_sim``): the
181 aeb pages' whole-page dumps as the chrome of 181 sites with 5 to 200 pages each
(8,887 pages), chrome cut as make_dupset.py does (6-18 head and tail lines, so lines near
the body are on only some pages, like related-link lists), bodies of random gold
sentences, 5% of pages re-using a story of the same site (half of them edited), 5% a
story of another site, crude cleaning (lines of 8+ words ending in punctuation):

    FLOOR SHARE MIN_PAGES   chrome paragraphs removed   body paragraphs lost (of 54,212)
      2   0.05     10              96.3%                     332
      3   0.05     10              96.2%                      16
      5   0.05     10              95.6%                       1  <- chosen
      5   0.05      5              98.3%                       1
      5   0.10     10              95.0%                       1
      8   0.05     10              94.1%                       1

The one body paragraph lost is a gold sentence that is also in that site's chrome.
FLOOR 5 is what protects a story a site repeats; SHARE 0.05 only matters for sites of
100+ pages; MIN_PAGES 10 rather than 5 gives up 2.7 points of chrome to leave alone small
sites whose few pages may all be versions of one story.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import xxhash

from cleaner.cache import regex
from cleaner.corpus.bodies import body_key, normalise_body

__all__ = [
    "CATEGORY",
    "FLOOR",
    "MIN_PAGES",
    "PAGES",
    "RULE",
    "SHARE",
    "count_lines",
    "count_story_lines",
    "story_lines",
    "frequent_lines",
    "paragraph_key",
    "remove_repeated_lines",
    "strip_repeated",
]

RULE = "corpus/repeated-line"
CATEGORY = "boilerplate"
MIN_PAGES = 10  # sites with fewer pages are not judged
FLOOR = 5  # a line must be on at least this many pages of the site ...
SHARE = 0.05  # ... and on at least this share of them
PAGES = -1  # Counter key (site, PAGES) holds the site's page count; line hashes are >= 0

_DIGITS = regex(r"\d+")


def paragraph_key(paragraph: str) -> int:
    """Hash of a paragraph as chrome repeats it: normalised as dedup does, each run of digits made 0.

    So "Updated 9:05" and "Updated 10:35", or a copyright year, count as one line.
    """
    return xxhash.xxh3_64_intdigest(_DIGITS.sub("0", normalise_body(paragraph)).encode("utf-8"))


def _paragraphs(record: dict[str, Any]) -> list[str]:
    text = record.get("text") or ""
    return text.split("\n\n") if text.strip() else []


def _story_key(record: dict[str, Any]) -> bytes:
    """One key for the pages of one story on a site: its headline, else its body."""
    headline = normalise_body(str(record.get("headline") or ""))
    if headline:
        return b"h" + xxhash.xxh3_128_digest(headline.encode("utf-8"))
    return b"b" + body_key(record.get("text") or "")


def story_lines(record: dict[str, Any]) -> tuple[str, bytes, list[int]] | None:
    """(site, story key, its paragraph hashes) of a record with a site and a body, else None.

    The part of the count that reads text: engines run it where the records are.
    """
    site = record.get("site")
    paras = _paragraphs(record)
    if not site or not paras:
        return None
    return str(site), _story_key(record), sorted({paragraph_key(p) for p in paras if p.strip()})


def count_story_lines(stories: Iterable[tuple[str, bytes, list[int]] | None]) -> Counter[tuple[str, int]]:
    """Pages per (site, paragraph hash), and per (site, PAGES), from story_lines in input order:
    the first page of each story counts, so a story crawled twice is not chrome."""
    counts: Counter[tuple[str, int]] = Counter()
    seen: set[tuple[str, bytes]] = set()
    for story in stories:
        if story is None or (story[0], story[1]) in seen:
            continue
        site, key, hashes = story
        seen.add((site, key))
        counts[(site, PAGES)] += 1
        counts.update((site, h) for h in hashes)
    return counts


def count_lines(records: Iterable[dict[str, Any]]) -> Counter[tuple[str, int]]:
    """Pages per (site, paragraph hash), and per (site, PAGES), over records in input order."""
    return count_story_lines(story_lines(r) for r in records)


def frequent_lines(
    counts: Counter[tuple[str, int]],
    *,
    floor: int = FLOOR,
    share: float = SHARE,
    min_pages: int = MIN_PAGES,
) -> set[tuple[str, int]]:
    """The (site, hash) keys of chrome paragraphs under the thresholds."""
    pages = {site: n for (site, h), n in counts.items() if h == PAGES}
    need = {site: max(floor, share * n) for site, n in pages.items() if n >= min_pages}
    return {(site, h) for (site, h), n in counts.items() if h != PAGES and site in need and n >= need[site]}


def strip_repeated(record: dict[str, Any], frequent: set[tuple[str, int]]) -> dict[str, Any]:
    """The record without its chrome paragraphs, each recorded in `removed`; a new dict if changed."""
    site = record.get("site")
    if not site or not frequent:
        return record
    paras = _paragraphs(record)
    drop = [i for i, p in enumerate(paras) if (site, paragraph_key(p)) in frequent]
    if not drop:
        return record
    source = dict(record.get("source") or {})
    lines = list(source.get("paragraphs") or [])
    gone = set(drop)
    removed = list(record.get("removed") or [])
    for i in drop:
        removed.append(
            {
                "line": lines[i] if i < len(lines) else None,
                "text": paras[i],
                "rule": RULE,
                "category": CATEGORY,
            }
        )
    removed.sort(key=lambda r: (r.get("line") is None, r.get("line") or 0))
    if lines:
        source["paragraphs"] = [ln for i, ln in enumerate(lines) if i not in gone]
    out = dict(record)
    out["text"] = "\n\n".join(p for i, p in enumerate(paras) if i not in gone)
    out["source"] = source
    out["removed"] = removed
    return out


def remove_repeated_lines(
    records: Iterable[dict[str, Any]],
    *,
    floor: int = FLOOR,
    share: float = SHARE,
    min_pages: int = MIN_PAGES,
) -> tuple[list[dict[str, Any]], int]:
    """Count, then strip, in one process: (records in input order, paragraphs removed)."""
    recs = list(records)
    frequent = frequent_lines(count_lines(recs), floor=floor, share=share, min_pages=min_pages)
    out = [strip_repeated(r, frequent) for r in recs]
    n_removed = sum(len(_paragraphs(a)) - len(_paragraphs(b)) for a, b in zip(recs, out, strict=True))
    return out, n_removed
