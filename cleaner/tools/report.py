"""`cleaner report OUT_DIR`: one self-contained HTML page about a run, and the stale-rule checks.

People would rather look at a corpus than read counts, and rule authors need to see
when a site's template changed under a rule. The page is built from the run's own
outputs (manifest.json, stats.json, corpus.jsonl, duplicates.jsonl, rejects.jsonl),
streamed line by line with counters and bounded top-k lists, so a corpus of any size
fits in memory. It has no scripts, fonts or styles from elsewhere: inline CSS and
SVG bar charts drawn here, so it opens in any browser with nothing installed.
"""

from __future__ import annotations

import heapq
import html
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from cleaner.corpus.tally import (
    SiteTally,
    heuristic_heavy_sites,
    is_heuristic,
    page_key,
    site_key,
    stale_rules,
)
from cleaner.errors import RuleError
from cleaner.strip.rules import RuleSet, load_rules

__all__ = [
    "SiteTally",
    "bar_chart",
    "heuristic_heavy_sites",
    "report_command",
    "render_report",
    "site_key",
    "stale_rules",
    "write_report",
]

TOP_RULES = 30  # bars in the by-rule chart
TOP_SITES = 50  # rows in the per-site table
TOP_CLUSTERS = 15
TOP_PAGES = 20
REJECT_ROWS = 50
EXAMPLES_PER_RULE = 3
TEXT_CHARS = 180  # removed-line examples are cut to this length
# ---------------------------------------------------------------- reading a run


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records one at a time; a missing file is empty and a broken line is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                yield value


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class _Run:
    """Everything the page shows, gathered in one pass per file."""

    manifest: dict[str, Any]
    stats: dict[str, Any]
    records: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    rule_category: dict[str, str] = field(default_factory=dict)
    tally: SiteTally = field(default_factory=SiteTally)
    losers: list[tuple[float, int, str, int, int, list[str]]] = field(default_factory=list)  # min-heap
    clusters: list[tuple[str, int]] = field(default_factory=list)
    cluster_members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    cluster_heads: dict[str, dict[str, Any]] = field(default_factory=dict)
    duplicates: int = 0
    reject_reasons: Counter[str] = field(default_factory=Counter)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    reject_total: int = 0
    stale: list[dict[str, Any]] | None = None
    heavy: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_duplicates(run: _Run, path: Path) -> None:
    """Two streaming passes: cluster sizes, then the members of the largest clusters."""
    sizes: Counter[str] = Counter()
    for dup in iter_jsonl(path):
        run.duplicates += 1
        if dup.get("duplicate_of"):
            sizes[str(dup["duplicate_of"])] += 1
    run.clusters = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CLUSTERS]
    wanted = {head for head, _ in run.clusters}
    for dup in iter_jsonl(path):
        head = str(dup.get("duplicate_of"))
        members = run.cluster_members.setdefault(head, []) if head in wanted else None
        if members is not None and len(members) < 8:
            members.append(
                {
                    "path": _source_path(dup),
                    "similarity": dup.get("similarity"),
                    "reason": dup.get("reason"),
                    "headline": dup.get("headline"),
                }
            )


def _source_path(record: Mapping[str, Any]) -> str:
    source = record.get("source")
    path = source.get("path") if isinstance(source, dict) else source
    return str(path or record.get("path") or "?")


def _read_corpus(run: _Run, path: Path) -> None:
    wanted = {head for head, _ in run.clusters}
    page: list[Any] = []  # [key, path, removed, total, Counter of rules] of the page being read

    def flush() -> None:
        if page and page[3]:
            item = (
                page[2] / page[3],
                page[2],
                page[1],
                page[2],
                page[3],
                [r for r, _ in page[4].most_common(3)],
            )
            if len(run.losers) < TOP_PAGES:
                heapq.heappush(run.losers, item)
            elif item[:2] > run.losers[0][:2]:
                heapq.heapreplace(run.losers, item)

    for rec in iter_jsonl(path):
        run.records += 1
        run.languages[str(rec.get("language") or "unknown")] += 1
        run.tally.add(rec)
        if rec.get("id") in wanted:
            run.cluster_heads[str(rec["id"])] = {"path": _source_path(rec), "headline": rec.get("headline")}
        key = page_key(rec)
        if not page or page[0] != key:
            flush()
            page = [key, _source_path(rec), 0, 0, Counter()]
        removed = rec.get("removed") or []
        source = rec.get("source")
        if not isinstance(source, dict):
            source = {}
        kept = len(source.get("paragraphs") or []) + sum(
            1 for k in ("headline", "standfirst", "dateline") if rec.get(k)
        )
        page[2] += len(removed)
        page[3] += len(removed) + kept
        for item in removed:
            rule = str(item.get("rule") or "?")
            category = str(item.get("category") or "boilerplate")
            page[4][rule] += 1
            run.rules[rule] += 1
            run.categories[category] += 1
            run.rule_category.setdefault(rule, category)
            examples = run.examples.setdefault(rule, [])
            text = str(item.get("text") or "")
            if len(examples) < EXAMPLES_PER_RULE and all(text != t for t, _ in examples):
                examples.append((text, _source_path(rec)))
    flush()


def _read_rejects(run: _Run, path: Path) -> None:
    for rej in iter_jsonl(path):
        run.reject_total += 1
        run.reject_reasons[str(rej.get("reason") or "?")] += 1
        if len(run.rejects) < REJECT_ROWS:
            run.rejects.append(rej)


def _load_rules(run: _Run, rules_dir: Path | None) -> RuleSet | None:
    """The run's rules (manifest's rules_dir) unless another folder is given; None when unreadable."""
    if rules_dir is None:
        given = (run.manifest.get("cleaner") or {}).get("rules_dir")
        rules_dir = Path(given) if given else None
    if rules_dir is None:
        from cleaner.strip.rules import DEFAULT_RULES

        rules_dir = DEFAULT_RULES
    try:
        rules = load_rules(rules_dir)
    except RuleError as exc:
        run.notes.append(f"rules not loaded ({exc}): stale rules are not checked")
        return None
    digest = (run.manifest.get("cleaner") or {}).get("rules")
    if digest and digest != rules.digest:
        run.notes.append(
            f"the rules in {rules_dir} changed since the run (digest {rules.digest}, run {digest})"
        )
    return rules


def collect(out_dir: Path, rules_dir: Path | None = None) -> _Run:
    """Read a run's outputs into the report's counters and bounded lists."""
    run = _Run(manifest=_read_json(out_dir / "manifest.json"), stats=_read_json(out_dir / "stats.json"))
    _read_duplicates(run, out_dir / "duplicates.jsonl")
    _read_corpus(run, out_dir / "corpus.jsonl")
    _read_rejects(run, out_dir / "rejects.jsonl")
    rules = _load_rules(run, rules_dir)
    if "stale_rules" in run.stats:
        run.stale = list(run.stats["stale_rules"])
    elif rules is not None:
        seen = Counter(run.stats.get("sites") or {}) or run.tally.pages_by_site()
        run.stale = stale_rules(run.stats, rules, seen)
    run.heavy = list(run.stats.get("heuristic_heavy_sites") or run.tally.heavy(rules=rules))
    return run


# ---------------------------------------------------------------- drawing


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _cut(text: str, n: int = TEXT_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(
    items: Iterable[tuple[str, float]],
    *,
    title: str,
    width: int = 980,
    label_width: int = 280,
    row: int = 20,
    colors: Mapping[str, str] | None = None,
) -> str:
    """A horizontal bar chart as inline SVG: one <rect> a bar, scaled to the largest value."""
    rows = [(str(label), float(value)) for label, value in items]
    if not rows:
        return '<p class="empty">nothing to show</p>'
    top = max(v for _, v in rows) or 1.0
    span = width - label_width - 70
    height = row * len(rows) + 4
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}"><title>{esc(title)}</title>'
    ]
    for i, (label, value) in enumerate(rows):
        y = i * row + 2
        bar = max(1, round(span * value / top)) if value > 0 else 0
        color = (colors or {}).get(label, "#4e79a7")
        shown = f"{value:g}" if value != int(value) else f"{int(value):,}"
        out.append(
            f'<text x="{label_width - 6}" y="{y + row - 6}" text-anchor="end">{esc(_cut(label, 42))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar}" height="{row - 6}" fill="{color}">'
            f"<title>{esc(label)}: {esc(shown)}</title></rect>"
            f'<text x="{label_width + bar + 5}" y="{y + row - 6}" class="num">{esc(shown)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _table(headers: list[str], rows: Iterable[Iterable[Any]], raw: frozenset[int] = frozenset()) -> str:
    """An HTML table; every cell escaped except columns in `raw` (HTML built here from escaped parts)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for r in rows:
        cells = "".join(f"<td>{c if i in raw else esc(c)}</td>" for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return '<p class="empty">none</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _meter(share: float) -> str:
    """A small inline SVG bar for a share in a table cell."""
    w = round(80 * max(0.0, min(1.0, share)))
    return (
        f'<span class="m"><svg class="meter" width="84" height="12" viewBox="0 0 84 12"><rect x="0" y="1" width="80" '
        f'height="10" fill="#e6e6e6"/><rect x="0" y="1" width="{w}" height="10" fill="#e15759"/></svg> '
        f"{share:.0%}</span>"
    )


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;
max-width:1100px;color:#222;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#666;font-size:.9em}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:1.6em}.card span{color:#666;font-size:.85em}
table{border-collapse:collapse;font-size:.88em;margin:8px 0}
th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}.m{white-space:nowrap}
th{background:#f6f6f6}td.n,th.n{text-align:right}
svg.chart text{font-size:12px;fill:#333}svg.chart text.num{fill:#555}
.empty{color:#888;font-style:italic}nav a{margin-right:12px}code{font-size:.95em}
del{color:#a33}.note{background:#fff6d5;border:1px solid #eedc82;padding:6px 10px;border-radius:4px}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
"""

HEUR_COLOR = "#f28e2b"
RULE_COLOR = "#4e79a7"


def render_report(run: _Run, title: str = "Cleaning report") -> str:
    """The whole page as a string (every text from the run escaped)."""
    stats, manifest = run.stats, run.manifest
    counts = manifest.get("counts") or {}
    pages = stats.get("pages", counts.get("pages", 0))
    articles = stats.get("documents", counts.get("documents", run.records))
    rejects = stats.get("rejects", counts.get("rejects", run.reject_total))
    duplicates = stats.get("duplicates", counts.get("duplicates", run.duplicates))
    categories = Counter(stats.get("removed_by_category") or {}) or run.categories
    hits = Counter(stats.get("hits") or {}) or run.rules
    cleaner = manifest.get("cleaner") or {}
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">cleaner {esc(cleaner.get("version", "?"))} · rules {esc(cleaner.get("rules", "?"))}'
        f" · {esc(cleaner.get('rules_dir', ''))}</p>",
    ]
    out += [f'<p class="note">{esc(n)}</p>' for n in run.notes]
    out.append(
        "<nav>"
        + "".join(
            f'<a href="#{a}">{esc(t)}</a>'
            for a, t in [
                ("removed", "Removed"),
                ("sites", "Sites"),
                ("languages", "Languages"),
                ("stale", "Stale rules"),
                ("duplicates", "Duplicates"),
                ("losers", "Pages that lost most"),
                ("rejects", "Rejects"),
                ("examples", "Rule examples"),
            ]
        )
        + "</nav>"
    )
    cards = [
        ("pages", pages),
        ("articles", articles),
        ("rejects", rejects),
        ("duplicates", duplicates),
        ("lines removed", sum(categories.values())),
        (
            "repeated lines",
            (stats.get("dedup") or {}).get("repeated_lines", hits.get("corpus/repeated-line", 0)),
        ),
    ]
    out.append(
        '<div class="cards">'
        + "".join(f"<div class='card'><b>{esc(f'{v:,}')}</b><span>{esc(k)}</span></div>" for k, v in cards)
        + "</div>"
    )
    # removed lines
    out.append('<h2 id="removed">Lines removed</h2><h3>By category</h3>')
    out.append(bar_chart(categories.most_common(), title="lines removed by category"))
    out.append(
        f"<h3>By rule (top {TOP_RULES})</h3>"
        f'<p class="legend"><span style="background:{RULE_COLOR}"></span>rule'
        f'<span style="background:{HEUR_COLOR}"></span>heuristic</p>'
    )
    top_rules = [(r, n) for r, n in hits.most_common() if n][:TOP_RULES]
    colors = {r: HEUR_COLOR if is_heuristic(r) else RULE_COLOR for r, _ in top_rules}
    out.append(bar_chart(top_rules, title="hits by rule", colors=colors))
    # sites
    out.append(
        f'<h2 id="sites">Sites</h2><p class="sub">{len(run.tally.sites):,} sites (a record\'s site, '
        "else its source folder); the largest by pages</p>"
    )
    site_rows = sorted(run.tally.sites.items(), key=lambda kv: (-kv[1].pages, kv[0]))[:TOP_SITES]
    out.append(
        _table(
            ["site", "pages", "articles", "lines removed", "removed per page", "removed by heuristics"],
            (
                [
                    name,
                    f"{s.pages:,}",
                    f"{s.articles:,}",
                    f"{s.removed_lines:,}",
                    f"{s.removed_lines / max(1, s.pages):.1f}",
                    _meter(s.heuristic_lines / s.removed_lines) if s.removed_lines else "-",
                ]
                for name, s in site_rows
            ),
            raw=frozenset({5}),
        )
    )
    # languages
    out.append('<h2 id="languages">Languages</h2>')
    out.append(bar_chart(run.languages.most_common(20), title="articles by language"))
    # stale rules
    out.append('<h2 id="stale">Stale rules</h2>')
    if run.stale is None:
        out.append('<p class="empty">not checked (no rules)</p>')
    else:
        site_stale = [r for r in run.stale if r.get("scope") == "site"]
        global_stale = [r for r in run.stale if r.get("scope") == "global"]
        out.append("<h3>Site rules that did not fire although their site's pages were seen</h3>")
        out.append(
            _table(
                ["rule", "site", "pages of the site", "category", "description"],
                (
                    [r["rule"], r.get("site"), r.get("pages"), r.get("category"), r.get("description")]
                    for r in site_stale
                ),
            )
        )
        out.append("<h3>Global rules that never fired</h3>")
        out.append(
            _table(
                ["rule", "category", "description"],
                ([r["rule"], r.get("category"), r.get("description")] for r in global_stale),
            )
        )
    out.append(
        "<h3>Sites that lost most text to heuristics (a rule file may be missing)</h3>"
        '<p class="sub"><code>cleaner rules suggest</code> drafts rules from a site\'s pages.</p>'
    )
    out.append(
        _table(
            [
                "site",
                "pages",
                "lines removed",
                "heuristic share of removed text",
                "rule file",
                "top heuristics",
            ],
            (
                [
                    r["site"],
                    r["pages"],
                    r["lines_removed"],
                    _meter(float(r["heuristic_share"])),
                    r.get("rule_file") or "none",
                    ", ".join(r.get("top_heuristics") or []),
                ]
                for r in run.heavy[:TOP_SITES]
            ),
            raw=frozenset({3}),
        )
    )
    # duplicates
    out.append(
        f'<h2 id="duplicates">Largest duplicate clusters</h2><p class="sub">{run.duplicates:,} copies dropped</p>'
    )
    cluster_rows = []
    for head, n in run.clusters:
        kept = run.cluster_heads.get(head, {})
        members = "<br>".join(
            f"{esc(m['path'])} <span class='sub'>({esc(m.get('reason'))}, {esc(m.get('similarity'))})</span>"
            for m in run.cluster_members.get(head, [])
        )
        if n > len(run.cluster_members.get(head, [])):
            members += f"<br><span class='sub'>… {n - len(run.cluster_members.get(head, []))} more</span>"
        cluster_rows.append(
            [
                f"{esc(kept.get('path', head))}<br><span class='sub'>{esc(kept.get('headline') or '')}</span>",
                esc(n),
                members,
            ]
        )
    out.append(_table(["kept record", "copies", "copies' sources"], cluster_rows, raw=frozenset({0, 1, 2})))
    # pages that lost most
    out.append('<h2 id="losers">Pages that lost the most</h2><p class="sub">share of lines removed</p>')
    losers = sorted(run.losers, key=lambda t: (-t[0], -t[1], t[2]))
    out.append(
        _table(
            ["page", "removed", "lines removed / lines", "top rules"],
            ([p, _meter(share), f"{rem} / {tot}", ", ".join(rs)] for share, _, p, rem, tot, rs in losers),
            raw=frozenset({1}),
        )
    )
    # rejects
    out.append(f'<h2 id="rejects">Rejects</h2><p class="sub">{run.reject_total:,} pages rejected</p>')
    out.append(bar_chart(run.reject_reasons.most_common(), title="rejects by reason", colors=None))
    out.append(
        _table(
            ["page", "reason", "detail"],
            ([r.get("path"), r.get("reason"), _cut(str(r.get("detail") or ""))] for r in run.rejects),
        )
    )
    # examples
    out.append('<h2 id="examples">Removed lines by rule</h2><p class="sub">a few lines each rule removed</p>')
    ex_rows = []
    for rule, n in run.rules.most_common():
        lines = "<br>".join(
            f"<del>{esc(_cut(t))}</del> <span class='sub'>{esc(p)}</span>"
            for t, p in run.examples.get(rule, [])
        )
        ex_rows.append([esc(rule), esc(run.rule_category.get(rule, "")), esc(f"{n:,}"), lines])
    out.append(_table(["rule", "category", "lines", "examples"], ex_rows, raw=frozenset({0, 1, 2, 3})))
    out.append("</body></html>\n")
    return "\n".join(out)


def write_report(out_dir: Path, rules_dir: Path | None = None) -> Path:
    """Write OUT_DIR/report.html from the run's outputs (atomically) and return its path."""
    out_dir = Path(out_dir)
    run = collect(out_dir, rules_dir)
    page = render_report(run, title=f"Cleaning report: {out_dir.name}")
    target = out_dir / "report.html"
    tmp = target.with_name(".report.html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return target


@click.command("report")
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Rules folder for the stale-rule check (default: the run's, from manifest.json).",
)
def report_command(out_dir: Path, rules_dir: Path | None) -> None:
    """Write OUT_DIR/report.html: one self-contained page about a `cleaner clean` run."""
    if not (out_dir / "manifest.json").exists() and not (out_dir / "corpus.jsonl").exists():
        click.echo(f"error: {out_dir} holds no cleaner outputs (manifest.json, corpus.jsonl)", err=True)
        sys.exit(2)
    path = write_report(out_dir, rules_dir)
    click.echo(str(path), err=True)
