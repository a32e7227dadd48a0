"""News corpus cleaner: crawled news pages in, a clean deduplicated corpus with provenance out.

The Python API, for a cleaning step inside another pipeline (the rest of the package is
private and may change):

    clean_html(html, url=None, fetched_at=None)    one HTML page -> its records (articles)
    clean_text(text, url=None, fetched_at=None)    one whole-page text dump -> its records
    clean_records(rows, rejects=None)              dicts with html or text (url, id, fetched_at
                                                   optional) -> records, lazily, one row at a time
    dedup(records, keep_duplicates=False)          exact and near copies -> DedupResult(kept,
                                                   duplicates, counts)
    record_schema()                                the JSON Schema every output record follows
    record_features()                              the same as `datasets.Features`, for
                                                   load_dataset("json", ..., features=...)

Records have the shape of `corpus.jsonl` (schema: `cleaner/outputs/record.schema.json`). A
page that cannot be cleaned raises `PageRejected` (reason, detail) from clean_html and
clean_text; clean_records appends its reject to `rejects` when given, so nothing is
dropped silently. The rules are the bundled ones unless `rules` names a folder; they are
loaded once per process and folder. Per-site repeated lines are a corpus step of
`cleaner clean`, not done here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner.errors import PageRejected
from cleaner.version import __version__

if TYPE_CHECKING:
    from cleaner.corpus.dedup import DedupResult
    from cleaner.inputs.streams import Unreadable
    from cleaner.model import Page
    from cleaner.run.page import Cleaner

__all__ = [
    "PageRejected",
    "__version__",
    "clean_html",
    "clean_records",
    "clean_text",
    "dedup",
    "record_features",
    "record_schema",
]

_LOADED: dict[str, Cleaner] = {}


def clean_html(
    html: str | bytes, url: str | None = None, fetched_at: str | None = None, rules: Path | None = None
) -> list[dict[str, Any]]:
    """The article records of one HTML page (bytes are decoded as `cleaner clean` decodes files)."""
    return _clean_one({"html": html, "url": url, "fetched_at": fetched_at}, rules)


def clean_text(
    text: str, url: str | None = None, fetched_at: str | None = None, rules: Path | None = None
) -> list[dict[str, Any]]:
    """The article records of one whole-page text dump."""
    return _clean_one({"text": text, "url": url, "fetched_at": fetched_at}, rules)


def clean_records(
    rows: Iterable[dict[str, Any]], rejects: list[dict[str, Any]] | None = None, rules: Path | None = None
) -> Iterator[dict[str, Any]]:
    """Records of each row (`html` or `text`, optional `url`, `id`, `fetched_at`), lazily.

    A row that gives no article (or is malformed) yields nothing; its reject (`path`,
    `reason`, `detail`) is appended to `rejects` when a list is given.
    """
    from cleaner.inputs.streams import Unreadable
    from cleaner.run.page import clean_page

    cleaner = _cleaner(rules)
    for row in rows:
        page = _page(row)
        if isinstance(page, Unreadable):  # the row is malformed
            if rejects is not None:
                rejects.append(
                    {"path": page.path, "sha256": None, "reason": page.reason, "detail": page.detail}
                )
            continue
        result = clean_page(page, cleaner)
        if result.reject is not None and rejects is not None:
            rejects.append(result.reject)
        yield from result.records


def dedup(records: Iterable[dict[str, Any]], keep_duplicates: bool = False) -> DedupResult:
    """Exact and near-duplicate records (needs `id` and `text`): `kept` (each with `copies`),
    `duplicates` (each with `duplicate_of`, `similarity`, `reason`), `counts`."""
    from cleaner.corpus.dedup import dedup as _dedup

    return _dedup(records, keep_duplicates=keep_duplicates)


def record_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a corpus or duplicates record: every key, one type each."""
    from cleaner.outputs.schema import record_schema as schema

    return schema()


def record_features() -> Any:
    """`datasets.Features` of a record: outputs of several runs load together with it (JSON
    alone cannot type a column that is null throughout a file)."""
    from cleaner.outputs.schema import features

    return features()


def _clean_one(row: dict[str, Any], rules: Path | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    records = list(clean_records([row], found, rules))
    if found:
        raise PageRejected(found[0]["reason"], found[0]["detail"])
    return records


def _cleaner(rules: Path | None) -> Cleaner:
    from cleaner.run.page import Cleaner, Settings

    key = str(rules or "")
    if key not in _LOADED:
        _LOADED[key] = Cleaner.load(Settings(rules_dir=rules) if rules else Settings())
    return _LOADED[key]


def _page(row: Any) -> Page | Unreadable:
    """A row to a Page (or an Unreadable) named by its id, else its URL, else its content's
    hash: a record's id then depends on the page, not on where the row sat in a batch."""
    from cleaner.inputs.jsonl import page_of_object
    from cleaner.inputs.streams import sha256_hex
    from cleaner.model import Page

    if not isinstance(row, dict):
        return page_of_object(row, "", None)
    body = row.get("html") if row.get("html") is not None else row.get("text")
    data = body if isinstance(body, bytes) else str(body).encode("utf-8", "surrogatepass")
    ident, url = row.get("id"), row.get("url")
    name = str(ident) if ident is not None else url if isinstance(url, str) and url else sha256_hex(data)[:16]
    html = row.get("html")
    if isinstance(html, bytes):  # bytes: decoded as a file's would be
        ident_text = None if ident is None else str(ident)
        return Page(
            name,
            html,
            sha256_hex(html),
            "html",
            url=url,
            input_id=ident_text,
            fetched_at=row.get("fetched_at"),
        )
    return page_of_object(row, name, None)
