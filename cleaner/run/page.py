"""The page step: the flow of one page, in one place.

    read (cleaner.inputs) → decode (inputs.decode) → extract, HTML only (cleaner.extract)
         → strip: rules + heuristics (cleaner.strip) → segment, headline, dateline, dates,
           language (cleaner.structure)
    and, over the whole corpus (cleaner.run.runner): dedup and repeated lines
         (cleaner.corpus) → write (cleaner.outputs)

`clean_page` is pure: a page and the loaded rules in, records or a reject out. It knows
no engine; the engines (cleaner.run.engine, cleaner.run.dask_engine) call it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import PageRejected
from cleaner.inputs.decode import decode_bytes
from cleaner.model import Document, Line, Page
from cleaner.strip.heuristics import TABLE_CELL, apply_heuristics
from cleaner.strip.rules import DEFAULT_RULES, RuleSet, Site, load_rules
from cleaner.structure.dateline import load_patterns
from cleaner.structure.language import detect_language
from cleaner.structure.segment import segment
from cleaner.version import __version__

DEFAULT_MAX_PAGE_BYTES = 20 * 1024 * 1024  # news pages are under 5 MB; larger inputs are crawl accidents


@dataclass
class Settings:
    rules_dir: Path = DEFAULT_RULES
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    keep_duplicates: bool = False
    output_format: str = "jsonl"  # jsonl, jsonl.gz, jsonl.zst or parquet
    shard_size: int | None = None  # records per output shard; None writes one file


@dataclass
class Cleaner:
    """The loaded rule set and dateline patterns: built once per run (per worker), used for every page."""

    settings: Settings
    rules: RuleSet
    patterns: list[Any]

    @classmethod
    def load(cls, settings: Settings | None = None) -> Cleaner:
        settings = settings or Settings()
        rules = load_rules(settings.rules_dir)
        patterns = load_patterns(settings.rules_dir / "datelines.toml")
        return cls(settings=settings, rules=rules, patterns=patterns)

    def warm(self) -> Cleaner:
        """Compile what the pages would, one part at a time (the global rule set, the
        fingerprints, every dateline pattern, the language profiles): done in the parent
        before a pool forks, so the workers share it instead of each spending ~1 s on it.
        A run in one process skips this: each part is compiled when a page first needs it."""
        from cleaner.structure import dateline, language

        self.rules.compiled(None)
        self.rules.fingerprint_set()
        dateline.compile_all(self.patterns)
        language.warm()
        return self


@dataclass
class PageResult:
    """What one page gives: its records, or the reason it was rejected, and its counts."""

    page: Page
    records: list[dict[str, Any]] = field(default_factory=list)
    reject: dict[str, Any] | None = None
    hits: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    lines: list[Line] = field(default_factory=list)  # every line with its fate, for `explain`
    site: str | None = None  # the rule-file site detected, for stale-rule reporting


def page_lines(text: str) -> list[Line]:
    """The page's non-blank lines, numbered from 1 as in the file; white space inside a line collapsed.

    A line stands `alone` when blank lines surround it (a paragraph of its own).
    """
    raw = [t if _is_squashed(t) else " ".join(t.split()) for t in text.split("\n")]
    last = len(raw) - 1
    lines, after_blank = [], True
    for i, t in enumerate(raw):
        if t:
            lines.append(Line(i + 1, t, "p", after_blank and (i == last or not raw[i + 1])))
        after_blank = not t
    return lines


def _is_squashed(line: str) -> bool:
    """Already in the collapsed form: a printable line holds no white space but single
    ASCII spaces, so checking is cheaper than rebuilding (most dump lines are clean)."""
    return line.isprintable() and "  " not in line and line == line.strip()


def clean_page(page: Page, cleaner: Cleaner) -> PageResult:
    """Clean one page. Never raises for bad input: a PageRejected becomes the result's reject."""
    result = PageResult(page=page)
    try:
        if len(page.data) > cleaner.settings.max_page_bytes:
            raise PageRejected(
                "too-large", f"{len(page.data)} bytes > --max-page-bytes {cleaner.settings.max_page_bytes}"
            )
        if page.text is None:
            hint = page.encoding  # a WARC response's HTTP charset, when there was one
            page.text, page.encoding = decode_bytes(page.data, html=page.format == "html", http_charset=hint)
        lines, meta = _lines_of(page, cleaner)
        content = [ln for ln in lines if ln.text]  # HTML blocks can be empty; dump lines never are
        site = cleaner.rules.detect_site([ln.text for ln in content[:200]], meta.get("url") or page.url)
        site_name = site.name if site else None
        result.site = site_name
        flags = cleaner.rules.apply(content, site_name, result.hits) + meta.get("flags", [])
        apply_heuristics(content, extracted=page.format == "html")
        docs = segment(
            content,
            cleaner.patterns,
            extracted=page.format == "html",
            title=meta.get("title"),
            standfirst=meta.get("standfirst"),
        )
        result.lines = lines
        for line in content:
            if line.removed and line.rule:
                if line.rule.startswith("heur/"):
                    result.hits[line.rule] += 1
                if line.category != TABLE_CELL:  # joined into its row's line, not removed text
                    result.categories[line.category or "boilerplate"] += 1
        if not docs:
            raise PageRejected("no-article", "no run of prose lines found on the page")
        result.records = _records(page, docs, content, site, flags, meta, cleaner)
    except PageRejected as exc:
        result.records = []
        result.reject = reject_record(page, exc.reason, exc.detail)
    except Exception as exc:  # a bug on one page must not stop the run, nor a resumed one
        result.records = []
        result.reject = reject_record(page, "internal-error", f"{type(exc).__name__}: {exc}")
    return result


def _lines_of(page: Page, cleaner: Cleaner) -> tuple[list[Line], dict[str, Any]]:
    """A text dump's lines as they are; an HTML page's extracted blocks as lines."""
    assert page.text is not None
    if page.format != "html":
        return page_lines(page.text), {}
    from cleaner.extract.lines import html_lines  # HTML support is optional at import time

    site = cleaner.rules.detect_site([], page.url)
    return html_lines(page, cleaner.rules.css_for(site.name if site else None))


def reject_record(page: Page, reason: str, detail: str = "") -> dict[str, Any]:
    rec: dict[str, Any] = {"path": page.path, "sha256": page.sha256, "reason": reason, "detail": detail}
    if page.record is not None:
        rec["record"] = page.record
    if page.input_id is not None:
        rec["input_id"] = page.input_id
    return rec


def url_host(url: str | None) -> str | None:
    """The site a URL belongs to, for per-site steps: its host without a leading www."""
    if not url or "//" not in url:
        return None
    host = url.split("//", 1)[1].split("/", 1)[0].split("@")[-1].split(":", 1)[0].lower()
    return host.removeprefix("www.") or None


def record_id(page: Page, segment_index: int) -> str:
    key = f"{page.path}\0{page.record}\0{segment_index}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _records(
    page: Page,
    docs: list[Document],
    content: list[Line],
    site: Site | None,
    flags: list[str],
    meta: dict[str, Any],
    cleaner: Cleaner,
) -> list[dict[str, Any]]:
    """One flat record per document; every removed line of the page lands in one record's `removed`."""
    bounds = [min(ln.number for ln in d.lines) for d in docs]
    records = []
    for k, doc in enumerate(docs):
        low = 1 if k == 0 else bounds[k]
        high = bounds[k + 1] - 1 if k + 1 < len(docs) else 10**12
        kept = [ln for ln in doc.lines if ln.fate in ("body", "subhead")]
        removed = [
            ln for ln in content if ln.removed and low <= ln.number <= high and ln.category != TABLE_CELL
        ]
        text = "\n\n".join(ln.text for ln in kept)
        outlet = doc.outlet or (doc.dateline.agency if doc.dateline else None) or meta.get("outlet")
        if outlet is None and site is not None:
            outlet = site.outlet
        published, published_source, published_precision = doc.published, doc.published_source, None
        if published:
            published_precision = "day"
        elif k == 0 and meta.get("published"):
            published = meta["published"]
            published_source, published_precision = (
                meta.get("published_source"),
                meta.get("published_precision"),
            )
        source: dict[str, Any] = {
            "path": page.path,
            "sha256": page.sha256,
            "format": page.format,
            "segment": k,
            "lines": [min(ln.number for ln in doc.lines), max(ln.number for ln in doc.lines)],
            "paragraphs": [ln.number for ln in kept],
            "record": page.record,
            "input_id": page.input_id,
        }
        canonical = meta.get("url")
        # every key in every record, null where unknown (cleaner/outputs/record.schema.json)
        record: dict[str, Any] = {
            "id": record_id(page, k),
            "text": text,
            "headline": doc.headline or (meta.get("title") if k == 0 else None),
            "standfirst": doc.standfirst,
            "subheads": [ln.text for ln in kept if ln.fate == "subhead"],
            "dateline": doc.dateline.as_dict() if doc.dateline else None,
            "published": published,
            "published_source": published_source,
            "published_precision": published_precision,
            "authors": (meta.get("authors") or []) if k == 0 else [],
            "outlet": outlet,
            "url": page.url,
            "canonical_url": canonical,
            "fetched_at": page.fetched_at,
            "site": site.domains[0] if site and site.domains else url_host(canonical or page.url),
            "language": detect_language(text),
            "source": source,
            "removed": [
                {"line": ln.number, "text": ln.text, "rule": ln.rule, "category": ln.category}
                for ln in removed
            ],
            "flags": sorted(set(doc.flags + flags)),
            "cleaner": {"version": __version__, "rules": cleaner.rules.digest},
            "copies": [],  # dedup fills these in (cleaner.corpus.dedup)
            "duplicate_of": None,
            "similarity": None,
            "reason": None,
        }
        records.append(record)
    return records
