"""`cleaner explain PAGE --html OUT.html`: the page as a reviewer reads it.

The text `explain` prints one line per line of the page; for review it is easier to see
the page itself with the chrome struck through and labelled with the rule that removed
it, and the kept lines marked with their fate. One self-contained file (inline CSS, no
scripts) that can be attached to an issue or a rule review.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleaner.run.page import Cleaner, PageResult, clean_page

__all__ = ["explain_html", "explain_html_file", "explain_html_pages"]

FATES = ("headline", "standfirst", "dateline", "subhead", "body")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;
max-width:1000px;padding:0 16px;color:#222;line-height:1.45}
h1{font-size:1.4em;margin-bottom:.2em}.sub{color:#666;font-size:.88em}
.legend span,.chip{display:inline-block;border-radius:3px;padding:0 6px;margin:2px 4px 2px 0;font-size:.82em}
.ln{display:grid;grid-template-columns:3.5em 15em 1fr;gap:8px;padding:2px 0;border-bottom:1px solid #f3f3f3}
.no{color:#999;text-align:right;font-size:.85em}.label{font-size:.78em;color:#555;overflow-wrap:anywhere}
.removed .text del{color:#a33;text-decoration-thickness:1px}.removed{background:#fff5f5}
.headline .text{font-weight:700;font-size:1.15em}.standfirst .text{font-style:italic}
.subhead .text{font-weight:600}.dateline .text{font-variant:small-caps}
.f-headline{background:#d8e8ff}.f-standfirst{background:#e4f4e4}.f-dateline{background:#f0e6ff}
.f-subhead{background:#fff0cc}.f-body{background:#eef2f5}.f-removed{background:#ffd9d9}
.flag{color:#7a5b00;font-size:.8em}.doc{margin:14px 0 4px;font-weight:600;color:#2a5db0}
.reject{background:#fff6d5;border:1px solid #eedc82;padding:6px 10px;border-radius:4px}
section{margin-bottom:40px}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _starts(result: PageResult) -> dict[int, int]:
    """Line number where each record's span begins -> record index (for the "article N" markers)."""
    out: dict[int, int] = {}
    for k, rec in enumerate(result.records):
        span = (rec.get("source") or {}).get("lines")
        if span:
            out.setdefault(int(span[0]), k)
    return out


def _section(result: PageResult) -> str:
    """One page: a header with its counts, then every non-blank line with its fate."""
    page = result.page
    site = next((r.get("site") for r in result.records if r.get("site")), None)
    fates = Counter("removed" if ln.removed else ln.fate for ln in result.lines if ln.text)
    rules = Counter(ln.rule for ln in result.lines if ln.text and ln.removed and ln.rule)
    out = [
        "<section>",
        f"<h1>{_esc(page.path)}</h1>",
        f'<p class="sub">{_esc(page.format)} · sha256 {_esc(page.sha256[:16])}'
        + (f" · site {_esc(site)}" if site else "")
        + (f" · {_esc(page.url)}" if page.url else "")
        + f" · {len(result.records)} article(s)</p>",
        '<p class="legend">'
        + "".join(f'<span class="f-{f}">{_esc(f)} {fates.get(f, 0)}</span>' for f in (*FATES, "removed"))
        + "</p>",
    ]
    if rules:
        out.append(
            '<p class="sub">removed by: '
            + ", ".join(f"{_esc(r)} ({n})" for r, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])))
            + "</p>"
        )
    if result.reject:
        out.append(
            f'<p class="reject">rejected: {_esc(result.reject.get("reason"))} '
            f"{_esc(result.reject.get('detail') or '')}</p>"
        )
    starts = _starts(result)
    for line in result.lines:
        if not line.text:
            continue
        if line.number in starts:
            out.append(f'<div class="doc">article {starts[line.number] + 1}</div>')
        flags = "".join(f'<div class="flag">{_esc(f)}</div>' for f in line.flags)
        if line.removed:
            label = f'<span class="chip f-removed">{_esc(line.category or "removed")}</span>{_esc(line.rule or "")}'
            text = f"<del>{_esc(line.text)}</del>"
            fate = "removed"
        else:
            fate = line.fate
            label = f'<span class="chip f-{_esc(fate)}">{_esc(fate)}</span>{_esc(line.rule or "")}'
            text = _esc(line.text)
        out.append(
            f'<div class="ln {_esc(fate)}" data-fate="{_esc(fate)}" data-rule="{_esc(line.rule or "")}">'
            f'<span class="no">{line.number}</span><span class="label">{label}</span>'
            f'<span class="text">{text}{flags}</span></div>'
        )
    out.append("</section>")
    return "\n".join(out)


def _document(title: str, sections: Iterable[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def explain_html(result: PageResult) -> str:
    """One cleaned page as a self-contained HTML page: removed lines struck and labelled, kept ones marked."""
    return _document(f"explain: {result.page.path}", [_section(result)])


def explain_html_pages(results: Iterable[PageResult], title: str = "explain") -> str:
    """Several pages (a JSONL or WARC input holds many) in one file, one section each."""
    return _document(title, [_section(r) for r in results])


def explain_html_file(path: Path, cleaner: Cleaner) -> str:
    """What `cleaner explain PAGE --html` writes: every page of the input, unreadable ones as a note."""
    from cleaner.inputs.read import read_pages
    from cleaner.inputs.streams import Unreadable

    sections = []
    for item in read_pages([path]):
        if isinstance(item, Unreadable):
            sections.append(
                f'<section><h1>{_esc(item.path)}</h1><p class="reject">rejected: {_esc(item.reason)} '
                f"{_esc(item.detail)}</p></section>"
            )
        else:
            sections.append(_section(clean_page(item, cleaner)))
    return _document(f"explain: {path.name}", sections)
