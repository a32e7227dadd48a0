"""`cleaner rules suggest`: draft site rules from a set of pages, for a person to review.

Sites change their templates and a new site has no rule file; heuristics catch most
chrome by its shape, but chrome shaped like prose (a membership pitch, a newsletter
blurb) stays in the body, and a heuristic can change under a rule author's feet. A
line that recurs on many pages of one site is chrome whatever its shape, so the
draft names it. Each page is cleaned with the current rules; a line is a candidate
when no rule removed it (a heuristic did, or it is still in the body) and it is on
at least ``max(min_pages, min_share * pages)`` distinct stories of the site:

- the same line on every page: ``line = [...]`` (grouped per category and position);
- the same line with other digits, months or weekdays ("Updated 9:05, 3 March 2024"):
  ``regex = '^Updated \\d+:\\d+, \\d+ \\pL+ \\d+$'``;
- a short label with varying text after it ("Tags: ...", "Photo: ..."): ``prefix``.

A candidate that would also hit a prose line the cleaner keeps (and that does not
recur) is dropped. Every draft is loaded with the real rule loader on a copy of the
rules folder and its examples are run (`check_examples`) before it is returned; a
rule that fails is dropped, and a draft that still fails is never written.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import re2

from cleaner.dates import MONTHS, WEEKDAYS, is_crawl_timestamp
from cleaner.errors import RuleError
from cleaner.model import Line, Page
from cleaner.run.page import Cleaner, PageResult, clean_page
from cleaner.strip.heuristics import TOPIC_COUNT
from cleaner.strip.rules import Rule, RuleSet, check_examples, compile_regex, load_rules, run_example
from cleaner.text import ends_terminal, is_prose, squash, word_count

__all__ = [
    "DraftSite",
    "SuggestedRule",
    "generalise",
    "guess_category",
    "suggest_rules",
    "to_toml",
    "verify_draft",
]

MIN_PAGES = 3  # a line on fewer distinct stories is not evidence of a template
MIN_SHARE = 0.2  # ... and it must be on this share of the site's stories
SAMPLES = 3  # sample pages named in each rule's comment
ZONE = 30  # a short line always within this many lines of the top (bottom) gets where.head (tail)
FINGERPRINT_REACH = 150  # detect_site reads the first 200 non-blank lines: fingerprints must be above
MAX_CHANGE_EXAMPLES = 6
KEPT_FATES = frozenset({"body", "headline", "standfirst", "subhead"})
PREFIX = re.compile(r"^((?:\w[\w'’-]*\s){0,2}\w[\w'’-]*:)\s+\S")  # "Tags: ...", "Filed under: ..."
_CALENDAR = {w.casefold().rstrip(".") for w in (*MONTHS, *WEEKDAYS)}
_TOKEN = re.compile(r"\d+|[^\W\d_]+|\s+|.", re.UNICODE)
_RE_SPECIAL = frozenset("\\.^$|?*+()[]{}")


# ---------------------------------------------------------------- what a suggestion is


@dataclass
class SuggestedRule:
    """One draft rule with the evidence behind it (what the TOML comment shows)."""

    id: str
    category: str
    description: str
    matcher: str  # "line" | "regex" | "prefix"
    value: str | list[str]
    site: str  # the site's rule-file name
    pages: int  # distinct stories of the site with a matching line
    total_pages: int
    change: list[str]
    keep: list[str] = field(default_factory=list)
    where: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # each line (or variant) -> stories
    samples: list[str] = field(default_factory=list)  # page paths
    kept_pages: int = 0  # stories where the cleaner still keeps the line today
    found_by: list[str] = field(default_factory=list)  # "recurring", heuristic ids


@dataclass
class DraftSite:
    """The [site] table of a draft: a new site, or an existing rule file the rules go into."""

    name: str
    domains: list[str] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)  # RE2 patterns
    min_fingerprints: int = 1
    existing_file: str | None = None  # set when the rules folder already knows the site
    detected: int = 0  # pages the fingerprints (or domains) detect, of `pages`
    pages: int = 0


@dataclass
class _Key:
    """One candidate key's evidence across a site's stories."""

    stories: set[int] = field(default_factory=set)
    texts: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    top: int = 0  # largest index from the top among non-blank lines
    bottom: int = 0  # largest index from the bottom
    kept: set[int] = field(default_factory=set)  # stories where a line of this key is kept
    heuristics: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    fates: Counter[str] = field(default_factory=Counter)

    def add(self, story: int, path: str, line: Line, top: int, bottom: int) -> None:
        if story not in self.stories and len(self.samples) < SAMPLES:
            self.samples.append(path)
        self.stories.add(story)
        self.texts[line.text] += 1
        self.top, self.bottom = max(self.top, top), max(self.bottom, bottom)
        self.fates[line.fate] += 1
        if line.fate in KEPT_FATES:
            self.kept.add(story)
        elif line.rule:
            self.heuristics[line.rule] += 1
            self.categories[line.category or "boilerplate"] += 1


# ---------------------------------------------------------------- line shapes


def _escape(text: str) -> str:
    """RE2-safe literal (re.escape also escapes spaces, which reads badly in a rule file)."""
    return "".join("\\" + ch if ch in _RE_SPECIAL else ch for ch in text)


def generalise(text: str) -> str:
    r"""An anchored RE2 pattern for the line with digits made ``\d+`` and month or weekday names ``\pL+``.

    So every "Updated 9:05, 3 March 2024" of a site is one pattern; returns the escaped
    literal line (anchored) when nothing varies.
    """
    out = []
    for tok in _TOKEN.findall(text):
        if tok.isdigit():
            out.append(r"\d+")
        elif tok.isalpha() and tok.casefold() in _CALENDAR:
            out.append(r"\pL+")
        else:
            out.append(_escape(tok))
    return "^" + "".join(out) + "$"


_CATEGORY_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("cookie-notice", re.compile(r"\bcookies?\b", re.I)),
    ("copyright", re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.I)),
    ("newsletter", re.compile(r"\bnewsletters?\b|\bsign up\b|\bbriefing\b|\binbox\b", re.I)),
    ("paywall", re.compile(r"\bsubscribers? only\b|\bto continue reading\b|\bpaywall\b|\bpremium\b", re.I)),
    (
        "share-widget",
        re.compile(
            r"\bshare\b|\bsend to a friend\b|\bprint\b|\bcopy link\b|\bemail this\b|^(facebook|twitter|x|"
            r"bluesky|mastodon|threads|linkedin|reddit|whatsapp|telegram|pinterest|email)$",
            re.I,
        ),
    ),
    ("social-widget", re.compile(r"\bfollow (us|@)|\blike us on\b|\bjoin us on\b", re.I)),
    ("player-widget", re.compile(r"^(listen|watch|play)\b|\bpodcast\b|\bvideo\b", re.I)),
    ("comments-widget", re.compile(r"\bcomments?\b|\breplies\b", re.I)),
    ("search-widget", re.compile(r"^search\b", re.I)),
    ("translate-widget", re.compile(r"\btranslate\b", re.I)),
    ("advertisement", re.compile(r"^(advertisement|sponsored|promoted|ad|partner content)\b", re.I)),
    ("read-more", re.compile(r"^(read (more|also|next)|see also|also read)\b", re.I)),
    (
        "related-articles",
        re.compile(
            r"^(most (read|popular|viewed|shared)|related|recommended|more (stories|news|from)|"
            r"you may also like|trending|top stories|latest( news)?|editor'?s picks)\b",
            re.I,
        ),
    ),
    ("editor-note", re.compile(r"\bviews expressed\b|\boriginally (published|appeared)\b", re.I)),
    ("timestamp", re.compile(r"^(updated|published|posted|last (updated|modified))\b.*\d", re.I)),
    ("byline", re.compile(r"^(by|posted by|written by|author:?)\s+[A-Z]")),
    ("tag-line", re.compile(r"^(tags?|topics|filed under|keywords)\s*:", re.I)),
    ("boilerplate", re.compile(r"\b(members?|membership|donate|support (us|the)|subscribe|app)\b", re.I)),
]
# heuristic categories that say what a line is (segmentation's before/after-article say only where it is)
_TELLING = frozenset(
    {"related-articles", "tag-line", "topic-tag", "crawl-timestamp", "comments-widget", "photo-caption"}
)


def guess_category(text: str, heuristic_categories: Counter[str] | None = None) -> str:
    """A category from the closed list: by telling words, then the heuristic's verdict, then the shape."""
    for category, pattern in _CATEGORY_WORDS:
        if pattern.search(text):
            return category
    if is_crawl_timestamp(text):
        return "crawl-timestamp"
    if TOPIC_COUNT.match(text):
        return "topic-tag"
    if not any(ch.isalpha() for ch in text):
        return "boilerplate"  # counters and page numbers
    telling = [c for c, _ in (heuristic_categories or Counter()).most_common() if c in _TELLING]
    n = word_count(text)
    if n <= 3 and (not telling or telling[0] == "related-articles"):
        return "navigation"  # menus are printed as link lists too
    if telling:
        return telling[0]
    if n <= 14 and not ends_terminal(text):
        return "related-articles"  # a headline-shaped line on many pages: another story's title
    return "boilerplate"


# ---------------------------------------------------------------- reading the pages


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.") or None


def site_name(domain: str) -> str:
    """A rule-file name for a domain: "www.harbour-gazette.example" -> "harbour-gazette"."""
    host = domain.lower().removeprefix("www.")
    parts = [p for p in host.split(".") if p]
    if len(parts) > 1:
        parts = parts[:-1]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts)).strip("-") or "site"


@dataclass
class _Cleaned:
    path: str
    result: PageResult
    group: str  # known site name, URL host, or "" (a dump with no URL)
    story: bytes


def _pages(pages_or_paths: Iterable[Page | Path | str]) -> Iterable[Page]:
    from cleaner.inputs.read import read_pages
    from cleaner.inputs.streams import Unreadable

    for item in pages_or_paths:
        if isinstance(item, Page):
            yield item
            continue
        for page in read_pages([Path(item)]):
            if not isinstance(page, Unreadable):
                yield page


def _clean_all(pages: Iterable[Page], cleaner: Cleaner) -> list[_Cleaned]:
    from cleaner.corpus.dedup import body_key, normalise_body  # numpy with it: not for the CLI's start-up

    out = []
    for page in pages:
        result = clean_page(page, cleaner)
        content = [ln.text for ln in result.lines if ln.text]
        url = _page_url(result.records) or page.url
        known = cleaner.rules.detect_site(content[:200], url)
        group = known.name if known else (_host(url) or "")
        first = result.records[0] if result.records else None
        if first and first.get("headline"):
            story = b"h" + normalise_body(str(first["headline"])).encode("utf-8")
        elif first:
            story = b"b" + body_key(first.get("text") or "")
        else:
            story = b"p" + page.sha256.encode()
        out.append(_Cleaned(page.path, result, group, story))
    return out


def _covered(line: Line) -> bool:
    """A rule (not a heuristic) already decided this line, or a dateline was cut from it."""
    if line.flags:
        return True
    return line.removed and not (line.rule or "").startswith(("heur/", "corpus/"))


# ---------------------------------------------------------------- the suggestion engine


def suggest_rules(
    pages_or_paths: Iterable[Page | Path | str],
    cleaner: Cleaner,
    site: str | None = None,
    *,
    min_pages: int = MIN_PAGES,
    min_share: float = MIN_SHARE,
) -> list[SuggestedRule]:
    """Draft rules for one site's uncovered recurring chrome, verified to load and pass their examples.

    `site`: a domain or a known site name; all pages are taken as that site. Without it the
    site is the one most pages belong to (known site, else URL host), and other pages are
    left out. `draft_site` also gives the [site] table the draft needs.
    """
    rules, _ = _suggest(pages_or_paths, cleaner, site, min_pages=min_pages, min_share=min_share)
    return rules


def draft_site(
    pages_or_paths: Iterable[Page | Path | str],
    cleaner: Cleaner,
    site: str | None = None,
    *,
    min_pages: int = MIN_PAGES,
    min_share: float = MIN_SHARE,
) -> tuple[list[SuggestedRule], DraftSite]:
    """Like `suggest_rules`, with the [site] table (name, domains, fingerprints) the draft needs."""
    return _suggest(pages_or_paths, cleaner, site, min_pages=min_pages, min_share=min_share)


def _suggest(
    pages_or_paths: Iterable[Page | Path | str],
    cleaner: Cleaner,
    site: str | None,
    *,
    min_pages: int,
    min_share: float,
) -> tuple[list[SuggestedRule], DraftSite]:
    cleaned = _clean_all(_pages(pages_or_paths), cleaner)
    draft = _choose_site(cleaned, cleaner.rules, site)
    if site is None:
        groups = Counter(c.group for c in cleaned)
        main = groups.most_common(1)[0][0] if groups else ""
        cleaned = [c for c in cleaned if c.group == main]
    stories: dict[bytes, int] = {}
    for c in cleaned:
        stories.setdefault(c.story, len(stories))
    n_stories = len(stories)
    draft.pages = len(cleaned)
    need = max(min_pages, math.ceil(min_share * n_stories))
    exact: dict[str, _Key] = {}
    pattern: dict[str, _Key] = {}
    prefix: dict[str, _Key] = {}
    for c in cleaned:
        story = stories[c.story]
        content = [ln for ln in c.result.lines if ln.text]
        seen: set[str] = set()
        for i, line in enumerate(content):
            if line.text in seen or _covered(line) or line.fate == "dateline":
                continue
            seen.add(line.text)
            pos = (i, len(content) - 1 - i)
            exact.setdefault(line.text, _Key()).add(story, c.path, line, *pos)
            pattern.setdefault(generalise(line.text), _Key()).add(story, c.path, line, *pos)
            m = PREFIX.match(line.text)
            if m and not is_prose(line.text) and word_count(line.text) <= 20:
                prefix.setdefault(m.group(1), _Key()).add(story, c.path, line, *pos)

    candidates: list[SuggestedRule] = []
    taken: set[str] = set()  # texts a candidate covers
    # 1. patterns whose lines vary (timestamps, counters): one regex beats many exact lines
    for pat, key in pattern.items():
        if len(key.stories) < need or len(key.texts) < 2:
            continue
        if max(len(exact[t].stories) for t in key.texts) >= len(key.stories):
            continue  # one text alone is on every such page: the exact line is the better rule
        candidates.append(_candidate(draft.name, "regex", pat, key, n_stories))
        taken.update(key.texts)
    # 2. labels with varying text after them
    for label, key in prefix.items():
        if len(key.stories) >= need and len(key.texts) >= need and not taken.issuperset(key.texts):
            candidates.append(_candidate(draft.name, "prefix", label, key, n_stories))
            taken.update(key.texts)
    # 3. exact lines
    for text, key in exact.items():
        if 0 < key.fates["headline"] < need:
            continue  # a story's own headline, listed as a related link on other pages: not chrome there
        if len(key.stories) >= need and text not in taken:
            candidates.append(_candidate(draft.name, "line", text, key, n_stories))
            taken.add(text)
    candidates = [c for c in candidates if _safe(c, cleaned, exact, need)]
    grouped = _group_lines(candidates, draft.name)
    body = [
        ln.text
        for c in cleaned
        for ln in c.result.lines
        if ln.fate == "body" and is_prose(ln.text) and ln.text not in taken
    ]
    ids = {r.id for r in cleaner.rules.rules}
    for rule in grouped:
        rule.id = _unique_id(rule.id, ids)
        ids.add(rule.id)
        rule.keep = _keep_examples(rule, body)
    grouped.sort(key=lambda r: (-r.kept_pages, -r.pages, r.id))
    _propose_fingerprints(draft, grouped, cleaned)
    accepted = _verified(grouped, draft, cleaner.rules.root)
    _measure_detection(draft, accepted, cleaned, cleaner.rules.root)
    return accepted, draft


def _choose_site(cleaned: Sequence[_Cleaned], rules: RuleSet, site: str | None) -> DraftSite:
    """The draft's site: --site (a domain or a known name), else the commonest known site or host."""
    if site is None:
        groups = Counter(c.group for c in cleaned)
        site = groups.most_common(1)[0][0] if groups else ""
    known = rules.sites.get(site) or next(
        (s for s in rules.sites.values() if site.lower().removeprefix("www.") in s.domains), None
    )
    if known is not None:
        return DraftSite(name=known.name, domains=list(known.domains), existing_file=known.path)
    if not site:
        return DraftSite(name="new-site")  # dumps with no URL: to_toml says to pass --site
    host = site.lower().removeprefix("www.")
    return DraftSite(name=site_name(host), domains=[host] if "." in host else [])


def _candidate(site: str, matcher: str, value: str, key: _Key, total: int) -> SuggestedRule:
    if matcher == "line":
        category = guess_category(value, key.categories)
    else:
        top_text = key.texts.most_common(1)[0][0]
        category = guess_category(top_text, key.categories)
        if matcher == "regex" and category in ("navigation", "related-articles", "boilerplate"):
            category = "timestamp" if is_crawl_timestamp(top_text) else category
    found = (["kept in the body"] if key.kept else []) + sorted(key.heuristics)
    counts = (
        {value: len(key.stories)}
        if matcher == "line"
        else {t: n for t, n in key.texts.most_common(MAX_CHANGE_EXAMPLES)}
    )
    rule = SuggestedRule(
        id=f"{site}/{category}",
        category=category,
        description="",
        matcher=matcher,
        value=value,
        site=site,
        pages=len(key.stories),
        total_pages=total,
        change=[value] if matcher == "line" else [t for t, _ in key.texts.most_common(3)],
        counts=counts,
        samples=list(key.samples),
        kept_pages=len(key.kept),
        found_by=found,
    )
    short = all(word_count(t) <= 3 for t in key.texts)
    if short and key.top < ZONE and key.top <= key.bottom:
        rule.where = {"head": key.top + 1 + max(2, (key.top + 1) // 4)}
    elif short and key.bottom < ZONE:
        rule.where = {"tail": key.bottom + 1 + max(2, (key.bottom + 1) // 4)}
    return rule


def _safe(rule: SuggestedRule, cleaned: Sequence[_Cleaned], exact: dict[str, _Key], need: int) -> bool:
    """False when the rule would hit a kept prose line that does not itself recur on the site."""
    if rule.matcher == "line":
        return True
    probe = _as_rule(rule)
    for c in cleaned:
        for line in c.result.lines:
            if line.fate in KEPT_FATES and is_prose(line.text) and probe.matches(line.text):
                key = exact.get(line.text)
                if key is None or len(key.stories) < need:
                    return False
    return True


def _as_rule(rule: SuggestedRule) -> Rule:
    """The suggestion as a rule of the engine, alone (to probe lines and run its examples)."""
    probe = Rule(
        id=rule.id,
        category=rule.category,
        description=rule.description or rule.category,
        matcher=rule.matcher,
        action="drop",
        path="<draft>",
        site=rule.site,
    )
    if rule.matcher == "line":
        values = rule.value if isinstance(rule.value, list) else [rule.value]
        probe.literals = frozenset(squash(v) for v in values)
    else:
        value = str(rule.value)
        pattern = value if rule.matcher == "regex" else "^" + re2.escape(value)
        probe.regex = compile_regex(pattern, "<draft>", rule.id)
    return probe


def _group_lines(rules: list[SuggestedRule], site: str) -> list[SuggestedRule]:
    """Exact lines of one category and position become one rule with a list of lines."""
    out: list[SuggestedRule] = []
    groups: dict[tuple[str, str], list[SuggestedRule]] = {}
    for rule in rules:
        if rule.matcher != "line":
            out.append(rule)
            continue
        zone = next(iter(rule.where), "")
        groups.setdefault((rule.category, zone), []).append(rule)
    for (category, zone), members in groups.items():
        members.sort(key=lambda r: (-r.pages, str(r.value)))
        where = {zone: max(m.where[zone] for m in members)} if zone else {}
        samples: list[str] = []
        for m in members:
            samples += [s for s in m.samples if s not in samples]
        out.append(
            SuggestedRule(
                id=f"{site}/{category}" + (f"-{zone}" if zone else ""),
                category=category,
                description="",
                matcher="line",
                value=[str(m.value) for m in members],
                site=site,
                pages=max(m.pages for m in members),
                total_pages=members[0].total_pages,
                change=[str(m.value) for m in members][:MAX_CHANGE_EXAMPLES],
                where=where,
                counts={str(m.value): m.pages for m in members},
                samples=samples[:SAMPLES],
                kept_pages=max(m.kept_pages for m in members),
                found_by=sorted({f for m in members for f in m.found_by}),
            )
        )
    for rule in out:
        if rule.matcher == "regex" or rule.matcher == "prefix":
            literal = str(rule.value).replace(r"\d+", " ").replace(r"\pL+", " ")
            words = re.findall(r"[a-z]+", literal.lower())[:3]
            rule.id = f"{site}/{'-'.join(words) or rule.category}"
        rule.description = _describe(rule)
    return out


def _describe(rule: SuggestedRule) -> str:
    what = {"line": "lines", "regex": "lines of this shape", "prefix": "lines starting with this label"}
    where = ""
    if "head" in rule.where:
        where = f" in the first {rule.where['head']} lines"
    elif "tail" in rule.where:
        where = f" in the last {rule.where['tail']} lines"
    kept = f"; kept in the body on {rule.kept_pages} today" if rule.kept_pages else ""
    return (
        f"Suggested {rule.category}: {what[rule.matcher]} on {rule.pages} of {rule.total_pages} pages"
        f"{where}{kept}. Review before use."
    )


def _unique_id(rule_id: str, taken: set[str]) -> str:
    if rule_id not in taken:
        return rule_id
    n = 2
    while f"{rule_id}-{n}" in taken:
        n += 1
    return f"{rule_id}-{n}"


def _keep_examples(rule: SuggestedRule, body: Sequence[str]) -> list[str]:
    """Body lines of the same pages the rule must leave alone, ones sharing its words first."""
    probe = _as_rule(rule)
    vocab = {w.casefold() for t in rule.change for w in re.findall(r"[^\W\d_]{4,}", t)}
    scored = []
    for text in dict.fromkeys(body):
        if len(text) > 300 or probe.matches(text):
            continue
        shared = len(vocab & {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", text)})
        scored.append((-shared, len(text), text))
    scored.sort()
    keep = [t for _, _, t in scored[:1]]
    if not keep:  # no body line on these pages: a sentence that quotes the line is still not the line
        keep = [f"{rule.change[0]} was not the whole story, officials said."]
    return keep


# ---------------------------------------------------------------- fingerprints and verification


def _propose_fingerprints(
    draft: DraftSite, rules: Sequence[SuggestedRule], cleaned: Sequence[_Cleaned]
) -> None:
    """The commonest distinctive recurring lines near the top become the site's fingerprints."""
    if draft.existing_file:
        return
    reach: dict[str, int] = {}
    for c in cleaned:
        content = [ln.text for ln in c.result.lines if ln.text]
        for i, text in enumerate(content):
            reach[text] = max(reach.get(text, 0), i)
    lines: list[tuple[int, int, int, str]] = []
    for rule in rules:
        if rule.matcher != "line":
            continue
        for text, n in rule.counts.items():
            if (word_count(text) >= 2 or len(rule.counts) == 1) and reach.get(text, 0) < FINGERPRINT_REACH:
                lines.append((-n, reach.get(text, 0), -len(text), text))
    lines.sort()  # on the most pages, then nearest the top, then longest (most telling)
    chosen = [t for *_, t in lines[:3]]
    draft.fingerprints = [generalise(t) for t in chosen]
    draft.min_fingerprints = min(2, len(chosen)) or 1


def _copy_rules(root: Path, dest: Path) -> None:
    for sub in ("global", "sites"):
        if (root / sub).is_dir():
            shutil.copytree(root / sub, dest / sub)
        else:
            (dest / sub).mkdir()
    for extra in root.glob("*.toml"):
        shutil.copy(extra, dest / extra.name)


def install_draft(text: str, draft: DraftSite, rules_root: Path, dest: Path) -> Path:
    """Copy the rules folder to `dest` with the draft added (new file, or appended to the site's file)."""
    _copy_rules(rules_root, dest)
    if draft.existing_file:
        target = dest / "sites" / Path(draft.existing_file).name
        target.write_text(target.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    else:
        target = dest / "sites" / f"{draft.name}.toml"
        if target.exists():
            raise RuleError(str(target), None, "a site file with this name exists; pass another --site")
        target.write_text(text, encoding="utf-8")
    return target


def verify_draft(text: str, draft: DraftSite, rules_root: Path) -> list[str]:
    """Load the draft with the real loader on a copy of the rules and run its examples: the problems."""
    with tempfile.TemporaryDirectory(prefix="cleaner-suggest-") as tmp:
        try:
            install_draft(text, draft, rules_root, Path(tmp))
            loaded = load_rules(Path(tmp))
        except RuleError as exc:
            return [str(exc)]
        new = {r.id for r in loaded.rules} - {r.id for r in load_rules(rules_root).rules}
        return check_examples([r for r in loaded.rules if r.id in new])


def _verified(rules: list[SuggestedRule], draft: DraftSite, rules_root: Path) -> list[SuggestedRule]:
    """Drop each rule whose examples fail or that breaks loading; what is left loads and passes."""
    kept = [r for r in rules if not _own_failures(r)]
    for _ in range(len(kept) + 1):
        problems = verify_draft(to_toml(kept, draft), draft, rules_root)
        if not problems:
            return kept
        bad = {r.id for r in kept if any(r.id in p for p in problems)}
        if not bad:
            break
        kept = [r for r in kept if r.id not in bad]
    if verify_draft(to_toml([], draft), draft, rules_root):
        raise RuleError(draft.name, None, "the draft's [site] table does not load")
    return []


def _own_failures(rule: SuggestedRule) -> list[str]:
    """The rule's examples, run with the rule alone (a cheap first filter before the full load)."""
    probe = _as_rule(rule)
    failures = []
    for text in rule.change:
        if not run_example(probe, text).removed:
            failures.append(text)
    for text in rule.keep:
        if run_example(probe, text).removed:
            failures.append(text)
    return failures


def _page_url(records: list[dict[str, object]]) -> str | None:
    """The page's own canonical link, else the URL it was fetched from: what names its site."""
    for record in records:
        for key in ("canonical_url", "url"):
            value = record.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _measure_detection(
    draft: DraftSite, rules: Sequence[SuggestedRule], cleaned: Sequence[_Cleaned], rules_root: Path
) -> None:
    """How many of the pages the draft's site table would detect (a dump has only fingerprints)."""
    if draft.existing_file:
        draft.detected = len(cleaned)
        return
    with tempfile.TemporaryDirectory(prefix="cleaner-suggest-") as tmp:
        install_draft(to_toml(rules, draft), draft, rules_root, Path(tmp))
        loaded = load_rules(Path(tmp))
    hits = 0
    for c in cleaned:
        content = [ln.text for ln in c.result.lines if ln.text][:200]
        url = _page_url(c.result.records) or c.result.page.url
        found = loaded.detect_site(content, url)
        hits += bool(found and found.name == draft.name)
    draft.detected = hits


# ---------------------------------------------------------------- TOML


def toml_string(text: str) -> str:
    """A TOML string: a literal '...' when it can be (regexes read as written), else a basic one."""
    if "'" not in text and not any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return f"'{text}'"
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_list(items: Sequence[str], indent: str = "") -> str:
    if sum(len(i) + 4 for i in items) < 90:
        return "[" + ", ".join(toml_string(i) for i in items) + "]"
    inner = "".join(f"{indent}    {toml_string(i)},\n" for i in items)
    return "[\n" + inner + indent + "]"


def _rule_toml(rule: SuggestedRule, with_comment: bool = True) -> str:
    out = []
    if with_comment:
        out.append(
            f"# {rule.pages}/{rule.total_pages} pages; found: {', '.join(rule.found_by) or 'recurring'}"
            + (f"; still in the body on {rule.kept_pages} pages" if rule.kept_pages else "")
        )
        for text, n in list(rule.counts.items())[:12]:
            out.append(f"#   {n:>4} pages  {text[:100]}")
        if len(rule.counts) > 12:
            out.append(f"#   ... {len(rule.counts) - 12} more")
        out.append(f"# sample pages: {', '.join(rule.samples)}")
    out.append("[[rule]]")
    out.append(f"id = {toml_string(rule.id)}")
    out.append(f"category = {toml_string(rule.category)}")
    out.append(f"description = {toml_string(rule.description or rule.category)}")
    if isinstance(rule.value, list):
        value = rule.value[0] if len(rule.value) == 1 else rule.value
    else:
        value = rule.value
    out.append(f"{rule.matcher} = " + (_toml_list(value) if isinstance(value, list) else toml_string(value)))
    if rule.where:
        key, n = next(iter(rule.where.items()))
        out.append(f"where = {{ {key} = {n} }}")
    out.append("[rule.examples]")
    out.append(f"change = {_toml_list(rule.change)}")
    out.append(f"keep = {_toml_list(rule.keep)}")
    return "\n".join(out) + "\n"


def to_toml(suggestions: Sequence[SuggestedRule], site: DraftSite | str) -> str:
    """The draft rule file: a [site] table (for a new site) and one commented [[rule]] per suggestion."""
    if isinstance(site, str):
        host = site.lower().removeprefix("www.")
        site = DraftSite(name=site_name(host), domains=[host] if "." in host else [])
    head = [
        f"# Draft rules for {site.name}, written by `cleaner rules suggest`: review every rule before use.",
        "# Counts are distinct stories of the site with the line; 'still in the body' lines change the corpus.",
    ]
    if site.existing_file:
        head.append(f"# Append to {site.existing_file} (the site is known: no [site] table here).")
        parts = ["\n".join(head) + "\n"]
    else:
        head.append(f"# Save as rules/sites/{site.name}.toml.")
        if not site.domains:
            head.append("# No domain known (dumps have no URL): pass --site DOMAIN, or set name and domains.")
        table = [
            "[site]",
            f"name = {toml_string(site.name)}",
            f"domains = {_toml_list(site.domains)}",
        ]
        if site.fingerprints:
            if site.pages:
                head.append(
                    f"# The fingerprints detect {site.detected} of {site.pages} pages (dumps have no URL)."
                )
            table.append(f"fingerprints = {_toml_list(site.fingerprints)}")
            table.append(f"min_fingerprints = {site.min_fingerprints}")
        parts = ["\n".join(head) + "\n\n" + "\n".join(table) + "\n"]
    parts += [_rule_toml(r) for r in suggestions]
    return "\n".join(parts)
