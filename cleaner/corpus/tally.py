"""Per-site tallies of a corpus: what each site lost and to whom, and which rules never fired.

Counted by the output pass as it writes each chunk (cleaner.corpus.plan), and read back by
the report (cleaner.tools.report), so it lives with the step that counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cleaner.strip.rules import RuleSet

HEAVY_SHARE = 0.5  # a site losing at least this share of removed text to heuristics lacks rules


def is_heuristic(rule: str | None) -> bool:
    """Heuristic removals: `heur/` ids, and `corpus/repeated-line` (per-site chrome a rule should name)."""
    return bool(rule) and str(rule).startswith(("heur/", "corpus/"))


def site_key(record: Mapping[str, Any]) -> str:
    """The site a record counts under: its `site`, else its source's folder ("pages/"), else "(none)"."""
    if record.get("site"):
        return str(record["site"])
    source = record.get("source")
    path = source.get("path") if isinstance(source, dict) else source
    if path and "/" in str(path):
        return str(path).rsplit("/", 1)[0] + "/"
    return "(none)"


def page_key(record: Mapping[str, Any]) -> tuple[str, Any]:
    source = record.get("source")
    if not isinstance(source, dict):
        return (str(source), None)
    return (str(source.get("path")), source.get("record"))


# ---------------------------------------------------------------- stale rules and weak sites


def stale_rules(
    stats: Mapping[str, Any], rules: RuleSet, sites_seen: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Rules that did not fire: a site's rules when pages of that site were seen, then global rules.

    A site rule that matched nothing on its own site's pages most likely lost to a template
    change. `sites_seen` counts pages by site name or by domain (a record's `site`); both are
    accepted. CSS rules act before extraction and are never counted, so they are left out.
    """
    hits = stats.get("hits") or {}
    if "rules_not_fired" in stats:
        not_fired = set(stats["rules_not_fired"])
    else:
        not_fired = {r.id for r in rules.rules if not hits.get(r.id)}
    site_rows: list[dict[str, Any]] = []
    global_rows: list[dict[str, Any]] = []
    for rule in rules.rules:
        if rule.matcher == "css" or rule.id not in not_fired:
            continue
        row: dict[str, Any] = {
            "rule": rule.id,
            "scope": "global" if rule.site is None else "site",
            "site": rule.site,
            "category": rule.category,
            "description": rule.description,
            "file": rule.path,
        }
        if rule.site is None:
            row["pages"] = int(stats.get("pages") or 0)
            global_rows.append(row)
            continue
        site = rules.sites.get(rule.site)
        names = {rule.site, *(site.domains if site else [])}
        row["pages"] = sum(int(sites_seen.get(name, 0)) for name in names)
        if row["pages"]:
            site_rows.append(row)
    site_rows.sort(key=lambda r: (-r["pages"], r["rule"]))
    global_rows.sort(key=lambda r: r["rule"])
    return site_rows + global_rows


@dataclass
class _Site:
    pages: int = 0
    articles: int = 0
    kept_lines: int = 0
    removed_lines: int = 0
    heuristic_lines: int = 0
    removed_chars: int = 0
    heuristic_chars: int = 0
    heuristics: Counter[str] = field(default_factory=Counter)


class SiteTally:
    """Per-site counters over a stream of records (pages, articles, what was removed and by whom)."""

    def __init__(self) -> None:
        self.sites: dict[str, _Site] = {}
        self._last_page: tuple[str, Any] | None = None
        self._first: tuple[str, tuple[str, Any]] | None = None  # site and page of the first record

    def add(self, record: Mapping[str, Any]) -> None:
        name = site_key(record)
        site = self.sites.setdefault(name, _Site())
        page = page_key(record)
        if self._first is None:
            self._first = (name, page)
        if page != self._last_page:  # a page's records are adjacent in corpus.jsonl
            site.pages += 1
            self._last_page = page
        site.articles += 1
        source = record.get("source")
        paragraphs = source.get("paragraphs") if isinstance(source, dict) else None
        site.kept_lines += len(paragraphs or [])
        for item in record.get("removed") or []:
            rule, chars = item.get("rule"), len(item.get("text") or "")
            site.removed_lines += 1
            site.removed_chars += chars
            if is_heuristic(rule):
                site.heuristic_lines += 1
                site.heuristic_chars += chars
                site.heuristics[str(rule)] += 1

    def merge(self, later: SiteTally) -> None:
        """Add the tally of the records that follow these (a later chunk's), as if added one by one."""
        if later._first is None:
            return
        if self._first is None:
            self._first = later._first
        for name, other in later.sites.items():
            site = self.sites.setdefault(name, _Site())
            for counter in ("pages", "articles", "kept_lines", "removed_lines", "heuristic_lines"):
                setattr(site, counter, getattr(site, counter) + getattr(other, counter))
            site.removed_chars += other.removed_chars
            site.heuristic_chars += other.heuristic_chars
            site.heuristics.update(other.heuristics)
        name, page = later._first
        if page == self._last_page:  # one page across the seam was counted twice
            self.sites[name].pages -= 1
        self._last_page = later._last_page

    def pages_by_site(self) -> Counter[str]:
        return Counter({name: s.pages for name, s in self.sites.items()})

    def heavy(
        self, min_share: float = HEAVY_SHARE, limit: int = 50, rules: RuleSet | None = None
    ) -> list[dict[str, Any]]:
        """The sites that lost most text to heuristics, biggest first (see heuristic_heavy_sites)."""
        rows = []
        for name, s in self.sites.items():
            if not s.heuristic_chars:
                continue
            share = s.heuristic_chars / s.removed_chars
            if share < min_share:
                continue
            row: dict[str, Any] = {
                "site": name,
                "pages": s.pages,
                "lines_removed": s.removed_lines,
                "heuristic_lines": s.heuristic_lines,
                "chars_removed": s.removed_chars,
                "heuristic_chars": s.heuristic_chars,
                "heuristic_share": round(share, 3),
                "top_heuristics": [h for h, _ in s.heuristics.most_common(3)],
            }
            if rules is not None:
                row["rule_file"] = _rule_file(rules, name)
            rows.append(row)
        rows.sort(key=lambda r: (-r["heuristic_chars"], r["site"]))
        return rows[:limit]


def _rule_file(rules: RuleSet, name: str) -> str | None:
    for site in rules.sites.values():
        if name == site.name or name in site.domains:
            return site.path
    return None


def heuristic_heavy_sites(
    records: Iterable[Mapping[str, Any]],
    *,
    min_share: float = HEAVY_SHARE,
    limit: int = 50,
    rules: RuleSet | None = None,
) -> list[dict[str, Any]]:
    """Sites whose pages lost most text to heuristics rather than rules: where a rule file is missing.

    Sites are records' `site`, else their source folder. Text is counted in characters of
    removed lines; heuristics are `heur/` ids and `corpus/repeated-line`. Sites whose
    heuristic share is at least `min_share` are returned, most heuristic text first, with
    their rule file when `rules` is given (None: no rule file knows the site).
    """
    tally = SiteTally()
    for record in records:
        tally.add(record)
    return tally.heavy(min_share=min_share, limit=limit, rules=rules)
