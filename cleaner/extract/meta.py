"""Page metadata (headline, publication date, canonical URL, outlet, authors, language).

Read from the selectolax tree that html_extract already parsed, so a page is parsed once.
Only the page's own article sources are trusted: the main JSON-LD article, ``<meta>``
tags, the page URL, then a ``<time>`` in the article header or a written date in the
short byline text right after the h1. Dates in teaser lists and related-article links
are never looked at, and no clock is ever read: a page without a date gets
``published=None``, never the crawl date.

htmldate (already installed with trafilatura) is not used: on aeb it dates 179 pages to
our 168 at twice the time (a second lxml parse), agrees on the day for 156 of the 168
(the rest: UTC vs local day, and one date taken from a cited source in a reference
list), and its text heuristics are what may pick a related link's date.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["PageMeta", "read_meta", "strip_site_name", "parse_date"]


@dataclass
class PageMeta:
    title: str | None = None
    published: str | None = None  # ISO 8601: YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]
    published_source: str | None = None  # jsonld | meta | url | text
    published_precision: str | None = None  # month | day | minute
    url: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None  # the <html lang> attribute as written (underscores made hyphens)


# JSON-LD types whose headline/date/author describe the page's own article
_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "liveblogposting", "reportagenewsarticle",
     "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
     "askpublicnewsarticle", "satiricalarticle", "scholarlyarticle", "techarticle", "report",
     "socialmediaposting", "discussionforumposting"}
)  # fmt: skip

# <meta name|property|itemprop> keys for the publication date, best first; modified/updated
# times are deliberately absent (a page edited years later is not published then)
_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "article:published",
    "published_time", "publish_date", "publishdate", "publish-date", "pubdate", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "dcterms.created", "citation_publication_date", "citation_date", "article.published",
    "og:published_time", "cxenseparse:recs:publishtime", "date",
)  # fmt: skip

_JSONLD_MAX = 2_000_000  # characters of one JSON-LD script we are willing to parse
_NODES_MAX = 2_000  # JSON-LD objects visited per page (a page cannot make us walk forever)


def read_meta(tree: LexborHTMLParser, url: str | None) -> PageMeta:
    """Collect the page's metadata; never raises on odd markup (a field is None instead)."""
    metas = _meta_map(tree)
    article, graph = _jsonld_article(tree)

    page_url = _canonical(tree, metas, url)
    site_names = [n for n in (metas.get("og:site_name"), _publisher_name(article, graph)) if n]
    outlet = next(iter(site_names), None) or metas.get("application-name") or None

    title = _title(tree, metas, article)
    if title:
        title = strip_site_name(title, site_names, [u for u in (page_url, url) if u])

    published, source, precision = _published(tree, metas, article, [u for u in (url, page_url) if u])

    lang = None
    if tree.root is not None:
        raw_lang = (tree.root.attributes.get("lang") or "").strip()
        lang = raw_lang.replace("_", "-") or None

    return PageMeta(
        title=title,
        published=published,
        published_source=source,
        published_precision=precision,
        url=page_url,
        outlet=_clean(outlet) or None,
        authors=_authors(article, graph, metas),
        language=lang,
    )


# ---------------------------------------------------------------- helpers: sources


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _meta_map(tree: LexborHTMLParser) -> dict[str, str]:
    """First non-empty content of each meta name/property/itemprop, keys lower-cased."""
    out: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for key in ("property", "name", "itemprop"):
            k = attrs.get(key)
            if k and (key != "itemprop" or _in_main(node)):  # microdata of a teaser in a list is not ours
                out.setdefault(k.strip().lower(), content.strip())
    return out


def _jsonld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Top-level JSON-LD objects and the members of their @graph (not nested teasers)."""
    for node in tree.css("script"):
        if not (node.attributes.get("type") or "").strip().lower().startswith("application/ld+json"):
            continue
        raw = (node.text(deep=True) or "").strip()
        if not raw or len(raw) > _JSONLD_MAX:
            continue
        raw = re.sub(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in data if isinstance(data, list) else [data]:
            if not isinstance(obj, dict):
                continue
            graph = obj.get("@graph")
            for member in [obj, *(graph if isinstance(graph, list) else [])]:
                if not isinstance(member, dict):
                    continue
                yield member
                main = member.get("mainEntity")  # a WebPage whose mainEntity is the article
                for entity in main if isinstance(main, list) else [main]:
                    if isinstance(entity, dict):
                        yield entity


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).rsplit("/", 1)[-1].lower() for x in items if isinstance(x, str)}


def _jsonld_article(tree: LexborHTMLParser) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
    """The first article object of the page and an @id index to resolve references."""
    article: dict[str, Any] | None = None
    graph: dict[str, dict[str, Any]] = {}
    for n, obj in enumerate(_jsonld_objects(tree)):
        if n >= _NODES_MAX:
            break
        oid = obj.get("@id")
        if isinstance(oid, str):
            graph.setdefault(oid, obj)
        if article is None and _types(obj) & _ARTICLE_TYPES:
            article = obj
    return article, graph


def _resolve(value: Any, graph: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return graph.get(value["@id"], value)
    return value


def _ld_text(value: Any) -> str:
    """A JSON-LD string value, entity-decoded (some CMSs write &amp; into JSON)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return _clean(htmllib.unescape(value)) if isinstance(value, str) else ""


def _names(value: Any, graph: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, graph)
        if isinstance(item, dict):
            item = item.get("name")
        name = _ld_text(item)
        if name:
            out.append(name)
    return out


def _publisher_name(article: dict[str, Any] | None, graph: dict[str, dict[str, Any]]) -> str | None:
    if not article:
        return None
    return next(iter(_names(article.get("publisher"), graph)), None)


def _canonical(tree: LexborHTMLParser, metas: dict[str, str], url: str | None) -> str | None:
    """<link rel=canonical>, then og:url, resolved against the given URL; only http(s) kept;
    None when the page names none (the URL it was fetched from is the record's `url`)."""
    candidates = []
    for node in tree.css("link"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel:
            candidates.append(node.attributes.get("href") or "")
            break
    candidates.append(metas.get("og:url", ""))
    for cand in candidates:
        cand = cand.strip()
        if not cand:
            continue
        full = urljoin(url, cand) if url else cand
        if urlsplit(full).scheme in ("http", "https") and urlsplit(full).netloc:
            return full
    return None


def _authors(
    article: dict[str, Any] | None, graph: dict[str, dict[str, Any]], metas: dict[str, str]
) -> list[str]:
    names = _names(article.get("author"), graph) if article else []
    meta_author = metas.get("author")
    if meta_author:
        names.append(meta_author)
    out: list[str] = []
    seen = set()
    for name in names:
        name = re.sub(r"^by\s+", "", _clean(name), flags=re.I)
        if not name or "://" in name or name.startswith("www."):
            continue  # article:author is often a profile URL, not a name
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


# ---------------------------------------------------------------- title


def _title(tree: LexborHTMLParser, metas: dict[str, str], article: dict[str, Any] | None) -> str | None:
    ld = _ld_text(article.get("headline") or article.get("name")) if article else ""
    og = _clean(metas.get("og:title"))
    h1_node = tree.css_first("h1")
    h1 = _clean(h1_node.text(deep=True, separator=" ")) if h1_node is not None else ""
    title_node = tree.css_first("title")
    title = _clean(title_node.text(deep=True)) if title_node is not None else ""
    if ld.endswith(("...", "…")):
        # JSON-LD headlines are often cut at 110 characters: take the full one when it starts alike
        stem = ld.rstrip(".…").strip()
        ld = next((t for t in (og, h1, title) if t.startswith(stem) and len(t) > len(stem)), ld)
    return next((t for t in (ld, og, h1, title) if t), None)


_SEP = r"(?:[|\-–—·•«»/]|::)"
_NOSEP = rf"(?:(?!\s{_SEP}\s).)"
_SUFFIX = re.compile(rf"^(?P<head>.+)\s+{_SEP}\s+(?P<site>{_NOSEP}+?)\s*$")
_PREFIX = re.compile(rf"^\s*(?P<site>{_NOSEP}+?)(?P<sep>\s+{_SEP}\s+|:\s+)(?P<head>.+)$")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _domain_label(url: str) -> str:
    """The registrable label: 'bbc' for www.bbc.co.uk, 'cnn' for edition.cnn.com."""
    host = (urlsplit(url).hostname or "").lower()
    parts = [p for p in host.split(".") if p]
    if len(parts) < 2:
        return ""
    if (
        len(parts) >= 3
        and len(parts[-1]) == 2
        and parts[-2] in {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go"}
    ):
        return parts[-3]
    return parts[-2]


def _names_site(segment: str, sites: list[str], labels: list[str], exact: bool) -> bool:
    seg = _norm(segment)
    if not seg or len(segment.split()) > 6:
        return False
    for site in sites:
        if seg == site or (not exact and len(seg) >= 3 and (site.startswith(seg) or seg.startswith(site))):
            return True
    return not exact and any(len(lab) >= 3 and lab in seg for lab in labels) or seg in labels


def strip_site_name(title: str, site_names: list[str], urls: list[str]) -> str:
    """Remove a " | Site" suffix or "Site: " prefix, only when it names the site.

    The site is known from og:site_name, the JSON-LD publisher or the URL's domain;
    the headline part is never dropped, so a title made only of the site name stays.
    """
    sites = [s for s in (_norm(n) for n in site_names) if s]
    labels = [lab for lab in (_norm(_domain_label(u)) for u in urls) if lab]
    if not sites and not labels:
        return title
    for _ in range(2):  # "Headline | Section | Site" loses at most two trailing parts that name the site
        m = _SUFFIX.match(title)
        if m and _names_site(m["site"], sites, labels, exact=False):
            title = m["head"].strip()
            continue
        m = _PREFIX.match(title)
        if m and _names_site(m["site"], sites, labels, exact=m["sep"].startswith(":")):
            title = m["head"].strip()
            continue
        break
    return title


# ---------------------------------------------------------------- dates

_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d{2})(?:-?(?P<d>\d{2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?)?\s*$",
    re.I,
)
_MONTHS = {m: i for i, ms in enumerate(
    ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"], 1)
    for m in ms.split()}  # fmt: skip
_MDY = re.compile(r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")
_DMY = re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})\b")
_URL_DATE = re.compile(
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
        from email.utils import parsedate_to_datetime

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


def _url_date(url: str) -> tuple[str, str] | None:
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


_NOT_MAIN = frozenset({"a", "li", "nav", "aside", "footer", "ul", "ol"})


def _in_main(node: LexborNode, stop: LexborNode | None = None) -> bool:
    """False for nodes inside link lists, asides and footers (teasers carry their own dates)."""
    p = node.parent
    while p is not None and p is not stop:
        if p.tag in _NOT_MAIN:
            return False
        p = p.parent
    return True


def _ancestor(node: LexborNode, tag: str) -> LexborNode | None:
    p = node.parent
    while p is not None:
        if p.tag == tag:
            return p
        p = p.parent
    return None


def _time_value(node: LexborNode) -> tuple[str, str] | None:
    for val in (node.attributes.get("datetime"), node.attributes.get("content"), node.text(deep=True)):
        if val:
            parsed = parse_date(val)
            if parsed:
                return parsed
    return None


def _header_time(tree: LexborHTMLParser) -> tuple[str, str] | None:
    """A <time> in the first article's header, else the first <time> shortly after the h1."""
    h1 = tree.css_first("h1")
    # the article holding the headline, else the first one not in a list or aside (a teaser card)
    art = _ancestor(h1, "article") if h1 is not None else None
    if art is None:
        art = next((a for a in tree.css("article") if _in_main(a)), None)
    if art is not None:
        for node in art.css("header time"):
            if _in_main(node, art):
                return _time_value(node)
    if h1 is None or h1.parent is None:
        return None
    scope = h1.parent
    for _ in range(2):  # the h1's container, or the one above it (header and byline blocks)
        if (
            scope.css_first("time") is not None
            or scope.parent is None
            or scope.parent.tag in ("body", "html")
        ):
            break
        scope = scope.parent
    # only times after the h1: one before it belongs to something else (a teaser, a clock)
    seen_h1, budget = False, _TIME_SCAN_NODES
    for node in scope.traverse():
        if not seen_h1:
            seen_h1 = node.mem_id == h1.mem_id
            continue
        budget -= 1
        if budget < 0:
            break
        if node.tag == "time" and _in_main(node, scope):
            return _time_value(node)
    return None


_TIME_SCAN_NODES = 400  # nodes looked at after the h1: a byline sits close to its headline


def _published(
    tree: LexborHTMLParser, metas: dict[str, str], article: dict[str, Any] | None, urls: list[str]
) -> tuple[str | None, str | None, str | None]:
    if article:
        parsed = parse_date(_ld_text(article.get("datePublished")) or _ld_text(article.get("dateCreated")))
        if parsed:
            return parsed[0], "jsonld", parsed[1]
    for key in _DATE_META:
        if key in metas:
            parsed = parse_date(metas[key])
            if parsed:
                return parsed[0], "meta", parsed[1]
    for node in tree.css('[itemprop="datePublished"]'):
        if node.tag != "meta" and _in_main(node):
            parsed = _time_value(node)
            if parsed:
                return parsed[0], "meta", parsed[1]
            break
    for u in urls:
        parsed = _url_date(u)
        if parsed:
            return parsed[0], "url", parsed[1]
    parsed = _header_time(tree) or _byline_date(tree)
    if parsed:
        return parsed[0], "text", parsed[1]
    return None, None, None


_BYLINE_MAX = 120  # a byline/dateline text node is short; a longer one is the article itself
_BODY_TEXT = 250  # a text node this long means the body has started: stop looking


def _byline_date(tree: LexborHTMLParser) -> tuple[str, str] | None:
    """A full written date ("By Ann Lee, November 15, 2019") in the short text right after
    the h1, before the body starts; text inside link lists and the h1 itself is skipped."""
    h1 = tree.css_first("h1")
    root = tree.body
    if h1 is None or root is None:
        return None
    seen_h1, budget = False, _TIME_SCAN_NODES
    for node in root.traverse(include_text=True, skip_empty=True):
        if not seen_h1:
            seen_h1 = node.mem_id == h1.mem_id
            continue
        if not node.is_text_node:
            continue
        budget -= 1
        if budget < 0:
            break
        text = " ".join((node.text_content or "").split())
        if len(text) > _BODY_TEXT:
            break
        if len(text) > _BYLINE_MAX or contains(h1, node) or not _in_main(node):
            continue
        parsed = parse_date(text)
        if parsed and parsed[1] == "day":
            return parsed
    return None


def contains(node: LexborNode, other: LexborNode) -> bool:
    """True when `other` lies inside `node` (lexbor nodes have no such test of their own)."""
    target, p = node.mem_id, other.parent
    while p is not None:
        if p.mem_id == target:
            return True
        p = p.parent
    return False
