"""The whole flow in one place.

    read → decode → extract (HTML only) → strip (rules + heuristics) → segment
         → normalize (headline, dateline, dates) → language → dedup → write

`clean_page` is the per-page part (pure: a page and the loaded rules in, records or
a reject out); `run` drives it over inputs and then does the corpus-wide steps.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner import __version__
from cleaner.dateline import load_patterns
from cleaner.decode import decode_bytes
from cleaner.errors import PageRejected
from cleaner.heuristics import apply_heuristics
from cleaner.language import detect_language
from cleaner.model import Document, Line, Page
from cleaner.rules import RuleSet, Site, load_rules
from cleaner.segment import segment

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules"
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
        """Compile what the first page would (the global rule set, the dateline set, the
        language profiles): done in the parent, forked workers share it instead of each
        spending ~0.7 s on it."""
        from cleaner import dateline, language

        self.rules.compiled(None)
        self.rules.fingerprint_set()
        dateline.pattern_set(self.patterns)
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
        flags = cleaner.rules.apply(content, site_name, result.hits)
        apply_heuristics(content, extracted=page.format == "html")
        docs = segment(content, cleaner.patterns, extracted=page.format == "html", title=meta.get("title"))
        result.lines = lines
        for line in content:
            if line.removed and line.rule:
                if line.rule.startswith("heur/"):
                    result.hits[line.rule] += 1
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
    from cleaner.html_page import html_lines  # HTML support is optional at import time

    return html_lines(page, cleaner)


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
        removed = [ln for ln in content if ln.removed and low <= ln.number <= high]
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
        }
        if page.record is not None:
            source["record"] = page.record
        if page.input_id is not None:
            source["input_id"] = page.input_id
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
            "url": meta.get("url") or page.url,
            "site": site.domains[0] if site and site.domains else url_host(meta.get("url") or page.url),
            "language": detect_language(text),
            "source": source,
            "removed": [
                {"line": ln.number, "text": ln.text, "rule": ln.rule, "category": ln.category}
                for ln in removed
            ],
            "flags": sorted(set(doc.flags + flags)),
            "cleaner": {"version": __version__, "rules": cleaner.rules.digest},
        }
        if page.fetched_at:
            record["fetched_at"] = page.fetched_at
        records.append(record)
    return records


@dataclass
class RunSummary:
    pages: int = 0
    documents: int = 0
    rejects: int = 0
    duplicates: int = 0
    repeated_lines: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: list[dict[str, Any]] = field(default_factory=list)  # files written, with records and sha256
    skipped: dict[str, int] = field(default_factory=dict)  # container records that are not pages


def run(inputs: list[Path], out_dir: Path, cleaner: Cleaner, options: Any = None) -> RunSummary:
    """The whole run: clean every page (cleaner.engine spools them, in parallel and resumable),
    then the corpus-wide steps, then the outputs, each written atomically."""
    import time

    from cleaner import corpus, engine
    from cleaner.report import SiteTally, stale_rules
    from cleaner.write import ShardedWriter, write_json, write_jsonl

    options = options or engine.RunOptions()
    clock = time.monotonic()
    summary = RunSummary()
    if options.engine == "dask":
        from cleaner import dask_engine

        with dask_engine.dask_client(options.scheduler, options.workers) as client:
            work = dask_engine.spool_pages(client, inputs, out_dir, cleaner.settings, options)
            summary.seconds["pages"] = round(time.monotonic() - clock, 3)
            clock = time.monotonic()
            decided = dask_engine.plan(client, work, cleaner.settings.keep_duplicates)
    else:
        engine.set_cleaner(cleaner.warm())
        summary.seconds["load"] = round(time.monotonic() - clock, 3)
        clock = time.monotonic()
        work = engine.spool_pages(inputs, out_dir, cleaner.settings, options)
        summary.seconds["pages"] = round(time.monotonic() - clock, 3)
        clock = time.monotonic()
        decided = corpus.plan(
            engine.spool_slims(work),
            engine.chunk_map(options.workers, options.progress),
            keep_duplicates=cleaner.settings.keep_duplicates,
        )
    summary.skipped = engine.read_skipped(work)
    summary.seconds["corpus"] = round(time.monotonic() - clock, 3)

    clock = time.monotonic()
    pages, tally = corpus.PageTally(), SiteTally()
    fmt = "parquet" if cleaner.settings.output_format == "parquet" else "jsonl"
    ext = cleaner.settings.output_format
    for stale in [*out_dir.glob(f"corpus*.{ext}"), *out_dir.glob(f"duplicates*.{ext}")]:
        stale.unlink()  # shards of an earlier run that wrote more of them
    kept = ShardedWriter(out_dir, "corpus", fmt, cleaner.settings.shard_size, ext)
    copies = ShardedWriter(out_dir, "duplicates", fmt, cleaner.settings.shard_size, ext)
    jobs = decided.apply_jobs(engine.spool_chunk_paths(work))
    setup = (corpus.set_apply_state, (decided.frequent, decided.keep_duplicates))
    with kept, copies:  # the workers strip, mark and serialise; here the bytes go out in order
        for done in engine.chunk_map(options.workers, options.progress)(corpus.chunk_apply, jobs, setup):
            pages.merge(done.pages)
            tally.merge(done.sites)
            summary.repeated_lines += done.repeated_lines
            kept.write_lines(done.kept, done.kept_count)
            copies.write_lines(done.copies, done.copies_count)
            summary.documents += done.kept_count
            summary.duplicates += done.copies_count
    summary.outputs = [*kept.files, *copies.files]
    write_jsonl(out_dir / "rejects.jsonl", pages.rejects)
    summary.pages, summary.rejects = pages.count, len(pages.rejects)
    pages.hits["corpus/repeated-line"] += summary.repeated_lines
    dup_stats = {**decided.counts, "repeated_lines": summary.repeated_lines}
    stats = _stats(summary, pages.hits, pages.categories, cleaner, dup_stats)
    stats["sites"] = dict(sorted(pages.sites.items()))
    stats["skipped"] = dict(sorted(summary.skipped.items()))
    stats["stale_rules"] = stale_rules(stats, cleaner.rules, pages.sites)
    stats["heuristic_heavy_sites"] = tally.heavy(rules=cleaner.rules)
    write_json(out_dir / "stats.json", stats)
    summary.seconds["write"] = round(time.monotonic() - clock, 3)
    write_json(out_dir / "manifest.json", _manifest(summary, pages.inputs, cleaner, options))
    engine.finish_work(work)
    return summary


def _stats(
    summary: RunSummary, hits: Counter[str], categories: Counter[str], cleaner: Cleaner, dup: dict[str, int]
) -> dict[str, Any]:
    rule_ids = [r.id for r in cleaner.rules.rules if r.matcher != "css"]
    return {
        "pages": summary.pages,
        "documents": summary.documents,
        "rejects": summary.rejects,
        "duplicates": summary.duplicates,
        "hits": dict(sorted(hits.items())),
        "rules_not_fired": sorted(r for r in rule_ids if not hits.get(r)),
        "removed_by_category": dict(sorted(categories.items())),
        "dedup": dict(sorted(dup.items())),
    }


def _manifest(
    summary: RunSummary, inputs: list[dict[str, Any]], cleaner: Cleaner, options: Any
) -> dict[str, Any]:
    """Configuration, versions, inputs and outputs with hashes, counts and timings."""
    import dataclasses
    import platform
    from importlib import metadata

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    settings = {
        k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(cleaner.settings).items()
    }
    return {
        "cleaner": {
            "version": __version__,
            "rules": cleaner.rules.digest,
            "rules_dir": str(cleaner.rules.root),
        },
        "configuration": {**settings, **dataclasses.asdict(options)},
        "versions": {
            "python": platform.python_version(),
            **{p: version(p) for p in ("trafilatura", "selectolax", "langdetect", "google-re2", "numpy")},
        },
        "inputs": inputs,
        "outputs": summary.outputs,
        "seconds": summary.seconds,
        "counts": {
            "pages": summary.pages,
            "pages_with_articles": summary.pages - summary.rejects,
            "pages_rejected": summary.rejects,
            "documents": summary.documents,
            "rejects": summary.rejects,
            "duplicates": summary.duplicates,
            "skipped_records": sum(summary.skipped.values()),
        },
    }
