"""`cleaner fixtures`: pages stored with their expected output, checked again after a rule edit or an upgrade.

A fixture is a page (a copy in the fixtures folder, or a path to it relative to that folder)
and NAME.expected.json beside it: named fields of each record the page gives (FIELDS, not
the whole record, so a record key added in an upgrade does not break every fixture), and
the rule or heuristic id of each removed line. Plain JSON, indented, keys in a fixed order,
so a reviewer reads it and a diff shows what changed.

`check` cleans each stored page again with `clean_page`, one page at a time: the corpus-wide
steps (dedup, per-site repeated lines) depend on the other pages of a run and are not part
of a page's output. It reports, field by field, what differs: a paragraph diff for the body,
the removed lines whose rule changed, old and new values for the rest.
"""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.inputs.read import (
    FIXTURE_SUFFIX,
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    list_inputs,
    page_format,
    read_file,
)
from cleaner.inputs.streams import Unreadable
from cleaner.model import Page
from cleaner.outputs.write import write_atomic
from cleaner.run.page import Cleaner, PageResult, clean_page

SUFFIX = FIXTURE_SUFFIX  # one name, known to the readers too
# the record's fields a fixture holds, in this order; `body` is `text` split into paragraphs
FIELDS = (
    "headline",
    "standfirst",
    "subheads",
    "dateline",
    "published",
    "authors",
    "language",
    "body",
    "removed",
)
SHOW_CHARS = 160  # a paragraph longer than this is cut in the report (the JSON diff has it whole)


class FixtureError(Exception):
    """A stored fixture that cannot be used: bad JSON, a missing page, a page that cannot be read."""


@dataclass
class Outcome:
    """One fixture checked: `changes` are report lines (empty when the page still gives the same)."""

    path: Path
    changes: list[str] = field(default_factory=list)
    error: str | None = None
    fresh: dict[str, Any] | None = None  # what the page gives now, for --update

    @property
    def name(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.changes

    def report(self, label: str | None = None) -> str:
        """What a person reads: the fixture, then each changed field indented."""
        head = label or str(self.path)
        if self.error is not None:
            return f"{head}: unreadable: {self.error}"
        if not self.changes:
            return f"{head}: ok"
        return "\n".join([f"{head}: differs", *(f"  {line}" for line in self.changes)])


def find_fixtures(folder: Path) -> list[Path]:
    """Every NAME.expected.json under folder (or the file itself), in a stable order."""
    if folder.is_file():
        return [folder]
    return sorted(folder.rglob("*" + SUFFIX)) if folder.is_dir() else []


def dumps(doc: dict[str, Any]) -> str:
    """Indented, non-ASCII kept, keys in the order built: the same doc gives the same bytes."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def record_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The fields a fixture holds, from one output record."""
    text = record.get("text") or ""
    return {
        "headline": record.get("headline"),
        "standfirst": record.get("standfirst"),
        "subheads": record.get("subheads") or [],
        "dateline": record.get("dateline"),
        "published": record.get("published"),
        "authors": record.get("authors") or [],
        "language": record.get("language"),
        "body": text.split("\n\n") if text else [],
        "removed": [
            {"line": r["line"], "rule": r["rule"], "text": r["text"]} for r in record.get("removed", [])
        ],
    }


def expected_doc(ref: dict[str, Any], result: PageResult) -> dict[str, Any]:
    reject = result.reject
    return {
        "page": ref,
        "reject": {"reason": reject["reason"], "detail": reject.get("detail", "")} if reject else None,
        "records": [record_fields(r) for r in result.records],
    }


def load_doc(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise FixtureError(f"cannot read {path.name}: {exc}") from None
    ok = (
        isinstance(doc, dict)
        and isinstance(doc.get("page"), dict)
        and isinstance(doc["page"].get("file"), str)
        and isinstance(doc.get("records"), list)
        and all(isinstance(r, dict) for r in doc["records"])
    )
    if not ok:
        raise FixtureError(f"{path.name} is not a fixture (needs page.file and a records list)")
    return doc


def load_page(fixture: Path, ref: dict[str, Any]) -> Page:
    """The stored page as `record` read it: same bytes, the recorded URL and HTTP charset."""
    path = fixture.parent / ref["file"]
    if not path.is_file():
        raise FixtureError(f"page {ref['file']} is missing")
    want = ref.get("record")
    for item in read_file(path, path.name, Counter()):
        if isinstance(item, Unreadable):
            if want is None or item.record == want:
                raise FixtureError(f"page {ref['file']} cannot be read: {item.reason} {item.detail}".strip())
            continue
        if want is None or item.record == want:
            item.url = ref.get("url")
            item.encoding = ref.get("charset") or item.encoding
            return item
    raise FixtureError(f"page {ref['file']} has no record {want}")


def clean_fixture_page(fixture: Path, ref: dict[str, Any], cleaner: Cleaner) -> tuple[Page, PageResult]:
    page = load_page(fixture, ref)
    return page, clean_page(page, cleaner)


# --- record -------------------------------------------------------------------------------


@dataclass
class Recorded:
    path: Path
    status: str  # new, updated, unchanged


def _split_name(path: Path) -> tuple[str, str]:
    """A page file's name without and with its page extension: ('x', '.html.gz')."""
    lower = path.name.lower()
    for suffix in sorted(TEXT_SUFFIXES + HTML_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return path.name[: -len(suffix)], path.name[-len(suffix) :]
    return path.name, ""  # a file named on the command line is read as a text dump whatever its name


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def record_pages(
    inputs: list[Path], into: Path, cleaner: Cleaner, reference: bool = False
) -> tuple[list[Recorded], list[str]]:
    """Store each page of the inputs (page files, folders, JSONL or WARC) with its expected output.

    A page file is copied into `into` (left where it is when it is there already), or with
    `reference` its path relative to `into` is stored instead. A page inside a JSONL or WARC
    file is written out as NAME-RECORD.html (or .txt), with its URL and HTTP charset in the
    fixture; with `reference`, the container and the record number are stored. Returns the
    fixtures written and one message per input that could not be read.
    """
    into.mkdir(parents=True, exist_ok=True)
    written: list[Recorded] = []
    problems: list[str] = []
    taken: set[str] = set()
    for path, rel in list_inputs(inputs):
        container = page_format(path) in ("jsonl", "warc")
        for item in read_file(path, rel, Counter()):
            if isinstance(item, Unreadable):
                where = f"{item.path}:{item.record}" if item.record is not None else item.path
                problems.append(f"{where}: {item.reason} {item.detail}".strip())
                continue
            stem, suffix = _split_name(path)
            if container:
                stem = f"{path.name.split('.')[0]}-{item.record}"
            name = _unique(stem, taken)
            ref: dict[str, Any] = {}
            if reference:
                ref["file"] = Path(os.path.relpath(path.absolute(), into.absolute())).as_posix()
                if container:
                    ref["record"] = item.record
            elif container:
                target = into / f"{name}.{'html' if item.format == 'html' else 'txt'}"
                write_atomic(target, [item.data])
                ref["file"] = target.name
            else:
                target = into / f"{name}{suffix}"
                if not target.exists() or not target.samefile(path):
                    write_atomic(target, [path.read_bytes()])
                ref["file"] = target.name
            ref["url"] = item.url
            if item.encoding:
                ref["charset"] = item.encoding
            ref["sha256"] = item.sha256
            fixture = into / f"{name}{SUFFIX}"
            _, result = clean_fixture_page(fixture, ref, cleaner)
            text = dumps(expected_doc(ref, result))
            old = fixture.read_text(encoding="utf-8") if fixture.exists() else None
            status = "new" if old is None else "unchanged" if old == text else "updated"
            if status != "unchanged":
                write_atomic(fixture, [text])
            written.append(Recorded(fixture, status))
    return written, problems


# --- check --------------------------------------------------------------------------------


def check_fixture(path: Path, cleaner: Cleaner) -> Outcome:
    """Clean the stored page again and compare field by field with what was recorded."""
    outcome = Outcome(path)
    try:
        stored = load_doc(path)
        page, result = clean_fixture_page(path, stored["page"], cleaner)
    except FixtureError as exc:
        outcome.error = str(exc)
        return outcome
    ref = dict(stored["page"])
    if ref.get("sha256") != page.sha256:
        outcome.changes.append(f"page: {ref['file']} changed since it was recorded (sha256 differs)")
        ref["sha256"] = page.sha256
    fresh = expected_doc(ref, result)
    outcome.fresh = fresh
    outcome.changes += compare(stored, fresh, [r.get("source", {}).get("paragraphs") for r in result.records])
    return outcome


def check_folders(folders: list[Path], cleaner: Cleaner) -> list[Outcome]:
    return [check_fixture(path, cleaner) for folder in folders for path in find_fixtures(folder)]


def update(outcome: Outcome) -> bool:
    """Rewrite the expected file with what the page gives now; False when there is nothing to write."""
    if outcome.fresh is None or not outcome.changes:
        return False
    write_atomic(outcome.path, [dumps(outcome.fresh)])
    return True


def compare(stored: dict[str, Any], fresh: dict[str, Any], body_lines: list[list[int] | None]) -> list[str]:
    """Report lines for every difference between two expected docs (empty when they agree)."""
    out: list[str] = []
    if stored.get("reject") != fresh["reject"]:
        out.append(f"reject: {_show(stored.get('reject'))} -> {_show(fresh['reject'])}")
    old_records, new_records = stored["records"], fresh["records"]
    if len(old_records) != len(new_records):
        out.append(f"records: {len(old_records)} -> {len(new_records)}")
    several = max(len(old_records), len(new_records)) > 1
    for k in range(max(len(old_records), len(new_records))):
        prefix = f"record {k + 1} " if several else ""
        if k >= len(old_records):
            out.append(f"{prefix}is new: {_summary(new_records[k])}")
            continue
        if k >= len(new_records):
            out.append(f"{prefix}is gone: {_summary(old_records[k])}")
            continue
        old, new = old_records[k], new_records[k]
        lines = body_lines[k] if k < len(body_lines) else None
        for name in FIELDS:
            if name not in old:
                out.append(f"{prefix}{name}: not recorded -> {_show(new[name])}")
            elif old[name] == new[name]:
                continue
            elif name == "body":
                out.append(f"{prefix}body:")
                out += [f"  {x}" for x in _body_diff(old["body"], new["body"], new["removed"], lines)]
            elif name == "removed":
                out.append(f"{prefix}removed:")
                out += [f"  {x}" for x in _removed_diff(old["removed"], new["removed"])]
            else:
                out.append(f"{prefix}{name}: {_show(old[name])} -> {_show(new[name])}")
    return out


def _body_diff(
    old: list[str], new: list[str], removed: list[dict[str, Any]], lines: list[int] | None
) -> list[str]:
    """Paragraph-level: each paragraph gone (with the rule that now removes it) or added (with its line)."""
    now_removed = {r["text"]: r for r in removed}
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, i2):
            why = now_removed.get(old[i])
            note = f" (now removed by {why['rule']}, line {why['line']})" if why else ""
            out.append(f"- ¶{i + 1} {_cut(old[i])}{note}")
        for j in range(j1, j2):
            where = f" (line {lines[j]})" if lines and j < len(lines) else ""
            out.append(f"+ ¶{j + 1}{where} {_cut(new[j])}")
    return out


def _removed_diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """By line: newly removed, no longer removed, removed by another rule, or with other text."""
    before = {r["line"]: r for r in old if isinstance(r, dict) and "line" in r}
    after = {r["line"]: r for r in new}
    out = []
    for line in sorted(before.keys() | after.keys()):
        a, b = before.get(line), after.get(line)
        if a is None:
            assert b is not None
            out.append(f"+ line {line} {b['rule']}: {_cut(b['text'])}")
        elif b is None:
            out.append(f"- line {line} {a.get('rule')}: {_cut(str(a.get('text')))} (kept now)")
        elif a.get("rule") != b["rule"]:
            out.append(f"~ line {line} {a.get('rule')} -> {b['rule']}: {_cut(b['text'])}")
        elif a.get("text") != b["text"]:
            out.append(f"~ line {line} {b['rule']}: {_cut(str(a.get('text')))} -> {_cut(b['text'])}")
    return out


def _summary(record: dict[str, Any]) -> str:
    return f"headline {_show(record.get('headline'))}, {len(record.get('body') or [])} paragraphs"


def _show(value: Any) -> str:
    return _cut(json.dumps(value, ensure_ascii=False))


def _cut(text: str) -> str:
    return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 1] + "…"
