"""The page's publication date: candidates from every source the page has, and a vote.

Sources: the article's JSON-LD and <meta> tags ("structured"), the date printed next to
the headline ("printed": a <time>, a byline date, "Published 20.04.2020"), a date printed
anywhere in the article after a label ("Veröffentlicht am", "Published on"), the URL, and
htmldate (original date, fast mode: no free-text search, no dateparser). Each candidate
votes for the days within one of its own (a UTC stamp and a local printed day differ by
one), weighted by how often that source was right on trafeval; the day with most support
wins, and its most exact candidate (a minute with its offset beats a day) is the value.
The two searches (the labelled date, htmldate with its own lxml parse) run only when the
cheap sources give no day or disagree: a third of trafeval's pages, the same vote outcome
on 943 of 945.

Measured on trafeval (704 pages with a date; `score_snippets.py --meta`): the structured
date alone 0.62 of days right, htmldate alone 0.82 (0.86 in its extensive mode, which
costs dateparser's 13 s start per process and guesses 01-01 from copyright years), the
printed date near the headline 0.90 of the 330 pages where it is found. Structured data
that disagrees with the printed day is mostly a modified date, a time zone turning the
day, or a CMS import date. Never the crawl date, never a related link's date (text in link
lists and asides is skipped), never a guessed year: text dates need a printed year, and
htmldate's YYYY-01-01 (what it gives for a bare year) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.cache import regex
from cleaner.dates import ENGLISH_MONTH_NUMBERS, MONTH_ALTERNATION
from cleaner.dates import parse_date as text_date
from cleaner.extract.nodes import Near, clean, contains, hidden, in_main, names_of, near_headline

__all__ = ["Candidate", "DATE_META", "choose", "find_published", "parse_date", "url_date"]


@dataclass(frozen=True)
class Candidate:
    value: str  # ISO 8601: YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]
    precision: str  # month | day | minute
    source: str  # jsonld | meta | text | url | htmldate
    weight: float  # its vote


# Weights, set on the three development quarters of trafeval (held-out quarter in the commit):
# a date printed right under the headline is what the reader sees; one printed after a
# "Published" label is rarely anything else; one printed just above the headline is more often
# a teaser's; structured data, the URL and htmldate count once each.
W_LABELLED, W_AFTER, W_BEFORE, W_STRUCTURED, W_URL, W_HTMLDATE = 2.0, 1.5, 0.8, 1.0, 1.0, 1.0
# a <time> the page itself marks as the publication (itemprop="datePublished", class "published"):
# the markup says what the date is, where a meta tag or htmldate is often the modified or import date
W_MARKED = 2.0
_MONTH_SHARE = 0.5  # a month (from the URL) backs each day inside it with half its weight
_RANK = {"minute": 2, "day": 1, "month": 0}

# <meta name|property|itemprop> keys for the publication date, best first; modified/updated
# times are deliberately absent (a page edited years later is not published then)
DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "article:published",
    "published_time", "publish_date", "publishdate", "publish-date", "pubdate", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "dcterms.created", "citation_publication_date", "citation_date", "article.published",
    "og:published_time", "cxenseparse:recs:publishtime", "date",
)  # fmt: skip


def find_published(
    tree: LexborHTMLParser,
    metas: dict[str, str],
    ld_published: str,
    urls: list[str],
    h1: LexborNode | None,
    lxml_tree: Callable[[], Any] | None = None,
    near: Near | None = None,
    marked_near: Near | None = None,
) -> tuple[str | None, str | None, str | None]:
    """(value, source, precision) of the page's publication date, or three Nones.

    The cheap sources (structured data, the date by the headline, the URL) are read first;
    the searches (a labelled date anywhere in the article, htmldate on an lxml tree made by
    `lxml_tree` on demand) only when those give no day or disagree (trafeval: 550 of the 704
    dated pages need no search, and on 943 of 945 pages the outcome is the same as with
    every source read). `near` is near_headline(tree, h1) when the caller has it; `marked_near`
    the text around a headline printed in an h2 or h3 (a blog's post title under its name in the
    h1), where only a date in an element named for a date counts, and only when `near` has none."""
    cands: list[Candidate] = []
    structured = _structured(tree, metas, ld_published)
    if structured:
        cands.append(structured)
    marked = _marked(tree, urls)
    if marked:
        cands.append(marked)
    from_url = next((c for c in (url_date(u) for u in urls) if c), None)
    if from_url:
        cands.append(Candidate(from_url[0], from_url[1], "url", W_URL))
    anchors = frozenset(_day(c.value) for c in cands if c.precision != "month")
    printed = _printed(near if near is not None else near_headline(tree, h1), anchors, h1)
    if not printed and marked_near:
        printed = _printed(marked_near, anchors, marked_only=True)
    cands.extend(printed)
    if _agreed(cands):
        return choose(cands)
    labelled = _labelled(tree)
    if labelled:
        cands.append(labelled)
    found = _htmldate(lxml_tree(), urls[0] if urls else None) if lxml_tree is not None else None
    if found and not (from_url and found.value == from_url[0]):  # htmldate returns the URL's day first
        cands.append(found)
    if not cands:
        lone = _lone_date(tree)
        if lone:
            cands.append(lone)
    return choose(cands)


def _agreed(cands: list[Candidate]) -> bool:
    """Some candidate gives a day and every candidate names that day (or its month)."""
    days = {c.value[:10] for c in cands if c.precision != "month"}
    return len(days) == 1 and all(next(iter(days)).startswith(c.value[:10]) for c in cands)


def choose(cands: list[Candidate]) -> tuple[str | None, str | None, str | None]:
    """The day with the most support wins; its most exact candidate gives the value."""
    days = [c for c in cands if c.precision != "month"]
    if not days:
        month = next(iter(cands), None)
        return (month.value, month.source, month.precision) if month else (None, None, None)

    def support(c: Candidate) -> float:
        d = _day(c.value)
        total = 0.0
        for other in cands:
            if other.precision == "month":
                total += _MONTH_SHARE * other.weight if c.value.startswith(other.value) else 0.0
            elif abs((_day(other.value) - d).days) <= 1:
                total += other.weight
        return total

    best = max(days, key=lambda c: (support(c), c.weight))  # max keeps the first of equals
    same_day = [c for c in days if c.value[:10] == best.value[:10]]
    exact = max(same_day, key=lambda c: (_RANK[c.precision], c.weight))
    return exact.value, exact.source, exact.precision


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


# ---------------------------------------------------------------- structured data


def _structured(tree: LexborHTMLParser, metas: dict[str, str], ld_published: str) -> Candidate | None:
    parsed = parse_date(ld_published) if ld_published else None
    if parsed:
        return Candidate(parsed[0], parsed[1], "jsonld", W_STRUCTURED)
    for key in DATE_META:
        if key in metas:
            parsed = parse_date(metas[key])
            if parsed:
                return Candidate(parsed[0], parsed[1], "meta", W_STRUCTURED)
    for node in tree.css('[itemprop="datePublished"]'):
        if node.tag != "meta" and in_main(node):
            parsed = _time_value(node)
            if parsed:
                return Candidate(parsed[0], parsed[1], "meta", W_STRUCTURED)
            break
    return None


_MARKED_CLASS = regex(r"(?:^|[\s_-])(?:published|date-?published|pubdate)(?:$|[\s_-])", re.I)
_NOT_PUBLISHED = regex(r"updated|modified", re.I)


def _marked(tree: LexborHTMLParser, urls: list[str]) -> Candidate | None:
    """The first <time> marked as the publication date by itemprop or class, outside teaser
    lists and asides (a link around it is fine when it is the page's own permalink). A hidden
    one (display:none) is machine data like a meta tag, not what the reader sees: it does not
    get the printed date's weight."""
    own = frozenset(urlsplit(u).path.rstrip("/") for u in urls)
    for node in tree.css("time"):
        attrs = node.attributes
        cls = attrs.get("class") or ""
        if attrs.get("itemprop") != "datePublished" and not (
            _MARKED_CLASS.search(cls) and not _NOT_PUBLISHED.search(cls)
        ):
            continue
        if not in_main(node, own_paths=own) or hidden(node):
            continue
        parsed = _time_value(node)
        if parsed:
            return Candidate(parsed[0], parsed[1], "meta", W_MARKED)
    return None


def _time_value(node: LexborNode) -> tuple[str, str] | None:
    for val in (node.attributes.get("datetime"), node.attributes.get("content"), node.text(deep=True)):
        if val:
            parsed = parse_date(val)
            if parsed:
                return parsed
    return None


# ---------------------------------------------------------------- printed dates

# Dates as printed in text; each match is read again by cleaner.dates.parse_date, which
# knows the month names of seven languages and never guesses a year.
_FIND = regex(
    rf"(?<![\w.])(?:"
    rf"(?:{MONTH_ALTERNATION})\.?\s?\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s?(?:of\s+|de\s+)?(?:{MONTH_ALTERNATION})\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|\d{{4}}([-/.])\d{{1,2}}\1\d{{1,2}}"
    rf"|\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}"
    rf"|\d{{1,2}}([/-])\d{{1,2}}\2\d{{4}}"
    rf")(?!\w)",
    re.I,
)
# A date printed after one of these words is when the page was changed, not published.
_UPDATED = regex(
    r"(?:updated?|aktualisier|ge[äa]ndert|änderung|modifi|mis\s+à\s+jour|actualiza|atualiza|aggiornat"
    r"|bijgewerkt|edited|revised)[^\d]{0,25}$",
    re.I,
)
_LABEL = regex(
    r"(?:^|\b)(?:erschienen|veröffentlicht|publiziert|published|posted|publié|publicado|publicada|pubblicato"
    r"|gepubliceerd|datum|date|fecha|data|erstellt|mise? en ligne)(?:\s+(?:am|on|le|el|il|em|op|vom|du|del))?\s*:?\s*$",
    re.I,
)
_LABEL_WORD = regex(
    r"erschienen|veröffentlicht|publiziert|published|posted|publié|publicad|pubblicato|gepubliceerd|datum|date|fecha"
    r"|data|erstellt|en ligne",
    re.I,
)  # a cheap first test: most text nodes hold none of these
_LEAD = 25  # in a long text (the first paragraph), only a date printed at its very start counts
_SHORT = 160  # a byline or date line is at most this long
_LABELLED_MAX = 80  # a "Published: ..." line


def _text_dates(
    text: str, lead_only: bool = False, anchors: frozenset[date] = frozenset()
) -> list[tuple[str, bool]]:
    """(ISO day, printed after an 'updated' word) for each full date with a year in the text.
    "03/05/2022" (day or month first?) is read the way that falls within a day of one of the
    `anchors` (the page's structured or URL dates), else not at all."""
    out = []
    for m in _FIND.finditer(text):
        if lead_only and m.start() > _LEAD:
            break
        parsed = text_date(re.sub(r"(\d)\.\s(\d)", r"\1.\2", m.group()))
        if parsed is not None and anchors and "ambiguous-date" in parsed.flags:
            day = _either(m.group(), anchors)
            if day:
                out.append((day, bool(_UPDATED.search(text[max(0, m.start() - 40) : m.start()]))))
            continue
        if parsed is None or not parsed.date or not parsed.has_year:
            continue
        out.append((parsed.date, bool(_UPDATED.search(text[max(0, m.start() - 40) : m.start()]))))
    return out


def _either(found: str, anchors: frozenset[date]) -> str | None:
    """The reading of an ambiguous "a/b/yyyy" within a day of an anchor, if exactly one is."""
    a, b, y = (int(x) for x in re.split(r"[/-]", found))
    fits = []
    for d, mo in ((a, b), (b, a)):
        if _valid(y, mo, d) and any(abs((date(y, mo, d) - x).days) <= 1 for x in anchors):
            fits.append(f"{y:04d}-{mo:02d}-{d:02d}")
    return fits[0] if len(set(fits)) == 1 else None


def _node_dates(
    node: LexborNode, text: str, anchors: frozenset[date] = frozenset()
) -> list[tuple[str, str, bool]]:
    """(value, precision, updated) of the dates a text node or <time> prints."""
    if node.tag == "time":
        value = node.attributes.get("datetime")
        parsed = parse_date(value) if value else None
        if parsed:
            return [(parsed[0], parsed[1], False)]
    lead_only = len(text) > _SHORT
    return [(d, "day", upd) for d, upd in _text_dates(text, lead_only, anchors)]


def _printed(
    near: Iterable[tuple[LexborNode, str, bool]],
    anchors: frozenset[date] = frozenset(),
    h1: LexborNode | None = None,
    marked_only: bool = False,
) -> list[Candidate]:
    """The first date printed below the headline and the nearest one above it, skipping
    dates marked as updates (by a word in the same text or in the short text before it) and
    hidden ones; with `marked_only`, the first one below it in an element named for a date."""
    out: list[Candidate] = []
    after_done = before_done = False
    label_before = False
    for node, text, after in near:
        if (after and after_done) or (not after and before_done):
            continue
        if marked_only and not after:
            continue
        found = _node_dates(node, text, anchors)
        if found and (hidden(node) or (marked_only and not _marked_printed(node))):
            found = []  # hidden: not printed (a hidden schema.org block's <time>)
        for value, precision, updated in found:
            if updated or (after and label_before):
                continue
            if after or _same_header(node, h1):
                weight = W_MARKED if _marked_printed(node) else W_AFTER
            else:
                weight = W_BEFORE
            out.append(Candidate(value, precision, "text", weight))
            after_done, before_done = after_done or after, before_done or not after
            break
        label_before = after and len(text) < 40 and bool(_UPDATED.search(text))
    return out


_HEADER_NAME = regex(r"header", re.I)


def _same_header(node: LexborNode, h1: LexborNode | None, levels: int = 2) -> bool:
    """A date printed above the headline inside the article header that holds the headline (a
    <header>, or an element whose class or id names a header, at most `levels` above the h1):
    the article's date, not a teaser's over the headline."""
    p = h1.parent if h1 is not None else None
    for _ in range(levels):
        if p is None or p.tag in ("body", "html"):
            return False
        if p.tag == "header" or _HEADER_NAME.search(names_of(p)):
            return contains(p, node)
        p = p.parent
    return False


# an element named for the publication date: class "publish-date", "ContentHeaderPublishDate",
# "publish-info", "field-published-at", id "pubdate"; WordPress's "status-publish" and "type-publish"
# on every post's wrapper (teasers too) say nothing about a date
_PUBLISH_NAME = regex(r"(?<!status-)(?<!type-)publish|pubdate|date-?published|veroeffentlicht", re.I)
_NAME_ATTRS = ("class", "id", "itemprop", "data-testid")
# the date's own element named "date" ("<span class='date'>", "entry-date", "article-date"; "datum",
# "fecha", "data" in other languages): the byline's date, the publication date unless an update
# word says otherwise
_DATE_NAME = regex(r"(?:^|[\s_-])(?:date|datum|fecha|data)(?:$|[\s_-])", re.I)


def _marked_printed(node: LexborNode, levels: int = 3) -> bool:
    """The printed date's element or one of its next ancestors is named for the publication
    date, or the element itself for a date, and none of them for an update: the page says
    what the date is, like a marked <time>."""
    if _calendar_icon(node):
        return True
    el = node if node.tag != "-text" else node.parent
    named = []
    for _ in range(levels):
        if el is None:
            break
        named.append(names_of(el, _NAME_ATTRS))
        el = el.parent
    if not named or any(_NOT_PUBLISHED.search(names) for names in named):
        return False  # an update's date, however its element is named
    return bool(_DATE_NAME.search(named[0])) or any(_PUBLISH_NAME.search(names) for names in named)


_ICON_NAME = regex(r"calendar|(?:^|[\s_-])date(?:$|[\s_-])", re.I)


def _calendar_icon(node: LexborNode) -> bool:
    """The date text follows an empty icon element named for a calendar ("icon-calendar",
    "fa fa-calendar"): the page labels it as the date with a picture instead of a word."""
    prev = node.prev
    while prev is not None and prev.is_text_node and not clean(prev.text_content):
        prev = prev.prev
    if prev is None or prev.is_text_node or clean(prev.text(deep=True)):
        return False
    return bool(_ICON_NAME.search(prev.attributes.get("class") or ""))


def _labelled(tree: LexborHTMLParser) -> Candidate | None:
    """The first date printed after a 'published' label anywhere in the article (not in lists)."""
    root = tree.body
    if root is None:
        return None
    previous = ""
    for node in root.traverse(include_text=True, skip_empty=True):
        is_time = node.tag == "time"
        if not (node.is_text_node or is_time):
            continue
        if node.is_text_node and node.parent is not None and node.parent.tag == "time":
            continue
        text = clean(node.text(deep=True, separator=" ") if is_time else node.text_content)
        if not text:
            continue
        if len(text) <= _LABELLED_MAX and (_LABEL_WORD.search(text) or _LABEL_WORD.search(previous)):
            m = _FIND.search(text)
            head = text[: m.start()] if m else text
            if (_LABEL.search(head) or (_LABEL.search(previous) and not head.strip())) and in_main(
                node, plain_lists=True
            ):
                found = _node_dates(node, text)
                if found and not found[0][2]:
                    return Candidate(found[0][0], found[0][1], "text", W_LABELLED)
        previous = text[-40:]
    return None


_LONE = regex(
    r"^[(\[]?\s*(?P<date>[^()\[\]]{6,40}?)\s*(?:,?\s*(?:um\s+|at\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:uhr|h|am|pm))?)?\s*[)\].]?$",
    re.I,
)


def _lone_date(tree: LexborHTMLParser) -> Candidate | None:
    """The first text in the article that is a date and nothing else ("01.11.2023 11:35", a
    signature's "10. September 2017"): the last resort of a page no other source dates."""
    root = tree.body
    if root is None:
        return None
    previous = ""
    for node in root.traverse(include_text=True, skip_empty=True):
        if not node.is_text_node:
            continue
        text = clean(node.text_content)
        if not text:
            continue
        before, previous = previous, text[-40:]
        if not 6 <= len(text) <= 48 or not text[0].isalnum() and text[0] not in "([":
            continue
        m = _LONE.match(text)
        if not m or not _FIND.fullmatch(m["date"]) or _UPDATED.search(before):  # "Aktualisiert am"
            continue
        found = _text_dates(m["date"])
        if found and in_main(node, plain_lists=True) and not _own_paragraph(node, text):
            return Candidate(found[0][0], "day", "text", W_BEFORE)
    return None


def _own_paragraph(node: LexborNode, text: str) -> bool:
    """A paragraph of the text that is only a date (a timeline's "November 9, 1989"), where a
    byline, signature or header prints its date beside a name or in a box of its own."""
    block = node.parent
    while block is not None and block.tag in ("span", "em", "i", "b", "strong", "small", "font"):
        block = block.parent
    return block is not None and block.tag == "p" and clean(block.text(deep=True, separator=" ")) == text


# ---------------------------------------------------------------- htmldate


def _htmldate(lxml_tree: Any, url: str | None) -> Candidate | None:
    """htmldate's original date in fast mode (its extensive search loads dateparser: 13 s)."""
    if lxml_tree is None:
        return None
    from htmldate import find_date

    try:
        found = find_date(lxml_tree, url=url, original_date=True, extensive_search=False)
    except Exception:  # a library bug on odd markup must not lose the page
        return None
    if not found or found.endswith("-01-01"):
        return None  # a bare year comes back as January 1st: that would be a guessed date
    parsed = parse_date(found)
    return Candidate(parsed[0], parsed[1], "htmldate", W_HTMLDATE) if parsed else None


# ---------------------------------------------------------------- parsing machine dates

_ISO = regex(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d{2})(?:-?(?P<d>\d{2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?)?\s*$",
    re.I,
)
_MONTHS = ENGLISH_MONTH_NUMBERS  # a stray word of another language must not pass for a month
_MDY = regex(r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")
_DMY = regex(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})\b")
_URL_DATE = regex(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])(?:[/-](?P<d>0?[1-9]|[12]\d|3[01]))?(?=/|$|[-_.]|\?)"
    r"|/(?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?=/)"
    r"|/(?P<y3>(?:19|20)\d{2})/(?P<mon>[a-z]{3,9})(?:/(?P<d3>0?[1-9]|[12]\d|3[01]))?(?=/|$)",  # /2019/nov/18/
    re.I,
)
_YEARS = range(1900, 2100)


def _valid(y: int, m: int, d: int | None) -> bool:
    try:
        datetime(y, m, d or 1)
    except ValueError:
        return False
    return y in _YEARS


def parse_date(value: str) -> tuple[str, str] | None:
    """An ISO 8601, RFC 2822 or 'November 20, 2019' string as (iso, precision), or None.

    Minute precision keeps the written UTC offset; a time of exactly 00:00:00 is taken as
    a date only (CMSs print midnight when they know just the day).
    """
    value = value.strip()
    if not value or len(value) > 64:
        return None
    m = _ISO.match(value)
    if m:
        y, mo = int(m["y"]), int(m["m"])
        d = int(m["d"]) if m["d"] else None
        if not _valid(y, mo, d):
            return None
        if d is None:
            return f"{y:04d}-{mo:02d}", "month"
        if m["H"] is None or (int(m["H"]) == 0 and int(m["M"]) == 0 and int(m["S"] or 0) == 0):
            return f"{y:04d}-{mo:02d}-{d:02d}", "day"
        hh, mm = int(m["H"]), int(m["M"])
        if hh > 23 or mm > 59:
            return f"{y:04d}-{mo:02d}-{d:02d}", "day"
        return f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}{_tz(m['tz'])}", "minute"
    try:
        dt = parsedate_to_datetime(value)
        if dt.year in _YEARS:
            tz = dt.strftime("%z")
            return dt.strftime("%Y-%m-%dT%H:%M") + (f"{tz[:3]}:{tz[3:]}" if tz else ""), "minute"
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for rx in (_MDY, _DMY):
        m = rx.search(value)
        if m and m["mon"].lower() in _MONTHS:
            y, mo, d = int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"])
            if _valid(y, mo, d):
                return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    return None


def _tz(tz: str | None) -> str:
    if not tz:
        return ""
    if tz.upper() in ("Z", "UTC", "GMT"):
        return "+00:00"
    digits = tz[1:].replace(":", "")
    return f"{tz[0]}{digits[:2]}:{(digits[2:4] or '00')}"


def url_date(url: str) -> tuple[str, str] | None:
    """/2019/11/20/, /2019-11-20-slug, /20191120/, /2019/nov/18/ (day) or /2019/11/ (month)."""
    for m in _URL_DATE.finditer(urlsplit(url).path):
        d: int | None
        if m["y2"]:
            y, mo, d = int(m["y2"]), int(m["m2"]), int(m["d2"])
        elif m["y3"]:
            if m["mon"].lower() not in _MONTHS:
                continue
            y, mo, d = int(m["y3"]), _MONTHS[m["mon"].lower()], (int(m["d3"]) if m["d3"] else None)
        else:
            y, mo, d = int(m["y"]), int(m["m"]), (int(m["d"]) if m["d"] else None)
        if _valid(y, mo, d):
            return (f"{y:04d}-{mo:02d}-{d:02d}", "day") if d else (f"{y:04d}-{mo:02d}", "month")
    return None
