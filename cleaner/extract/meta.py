"""Page metadata (headline, publication date, canonical URL, outlet, authors, language).

Read from the selectolax tree that html_extract already parsed; htmldate gets an lxml
parse of the page (about 6 ms), made only when the cheap date sources give no day or
disagree (a third of trafeval's pages). Only the page's
own article sources are trusted: the main JSON-LD article, ``<meta>`` tags, the page URL,
the headline's h1 and the text printed around it. Dates and names in teaser lists and
related-article links are never looked at, and no clock is ever read: a page without a
date gets ``published=None``, never the crawl date. The date is decided in published.py,
the authors in authors.py, the headline here.

The headline is where the page's sources agree: the h1 (or the h1 without its kicker) that
og:title, the JSON-LD headline, twitter:title or <title> print too, with or without a
site suffix; else the printed h1 when it is headline-shaped and does not name the site;
else JSON-LD, og:title, the h1, <title>, in that order. Measured on trafeval (820 pages
with a title): 0.754 by the fixed order alone, 0.817 with agreement first.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.cache import regex
from cleaner.dates import parse_date as text_date
from cleaner.extract.authors import author_element, find_authors
from cleaner.extract.lxml_page import parse as lxml_page
from cleaner.extract.nodes import clean, contains, headline_node, in_main, near_headline
from cleaner.extract.published import find_published, parse_date
from cleaner.extract.standfirst import find_standfirst

__all__ = ["PageMeta", "contains", "parse_date", "read_meta", "strip_site_name"]


@dataclass
class PageMeta:
    title: str | None = None
    published: str | None = None  # ISO 8601: YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]
    published_source: str | None = None  # jsonld | meta | url | text
    published_precision: str | None = None  # month | day | minute
    url: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    standfirst: str | None = None  # the lead printed between headline and body
    language: str | None = None  # the <html lang> attribute as written (underscores made hyphens)


# JSON-LD types whose headline/date/author describe the page's own article
_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "liveblogposting", "reportagenewsarticle",
     "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
     "askpublicnewsarticle", "satiricalarticle", "scholarlyarticle", "techarticle", "report",
     "socialmediaposting", "discussionforumposting"}
)  # fmt: skip

_PAGE_TYPES = frozenset({"webpage", "itempage"})  # the page itself, for its author when no article says

# <meta name|property|itemprop> keys for the publication date, best first; modified/updated
# times are deliberately absent (a page edited years later is not published then)
# "© 2023 Condé Nast. All rights reserved": the owner's name, for telling it from an author
_COPYRIGHT = regex(
    r"©|\(c\)|copyright|\d{4}(?:\s*[-–]\s*\d{4})?|all rights reserved\.?|alle rechte vorbehalten\.?", re.I
)
_JSONLD_MAX = 2_000_000  # characters of one JSON-LD script we are willing to parse
_NODES_MAX = 2_000  # JSON-LD objects visited per page (a page cannot make us walk forever)


def read_meta(tree: LexborHTMLParser, url: str | None, html: str | None = None) -> PageMeta:
    """Collect the page's metadata; never raises on odd markup (a field is None instead).

    `html` is the page as parsed into `tree`: given, htmldate and trafilatura's author search
    read it too (one lxml parse)."""
    metas = _meta_map(tree)
    article, graph, webpage = _jsonld_article(tree)

    page_url = _canonical(tree, metas, url)
    urls = [u for u in (url, page_url) if u]
    site_names = [n for n in (metas.get("og:site_name"), _publisher_name(article, graph)) if n]
    outlet = next(iter(site_names), None) or metas.get("application-name") or None

    title, h1 = _title(tree, metas, article, site_names, urls)
    if title:
        sections = _sections(tree) if _SUFFIX.match(title) else frozenset()  # only a suffix can be one
        title = strip_site_name(title, site_names, urls, sections)
        title = _EDGE_SEP.sub("", title) or title  # ": Bohren, bis es heiß wird", "... dabei -"
    if h1 is None:
        h1 = headline_node(tree, title)

    parsed: list[Any] = []

    def lxml_tree() -> Any:  # parsed once, and only for the pages whose date needs htmldate
        if not parsed:
            parsed.append(_lxml(html) if html else None)
        return parsed[0]

    ld_published = ""
    if article:
        ld_published = _ld_text(article.get("datePublished")) or _ld_text(article.get("dateCreated"))
    # the date vote's weights were set around the page's h1: a post title found in an h2 (a
    # blog's h1 is its name) anchors the byline search only (trafeval: dates 2 worse, authors 4 better)
    date_anchor = h1 if h1 is None or h1.tag == "h1" else headline_node(tree, title)
    near = list(near_headline(tree, h1))  # walked once for the date, the byline and the standfirst
    date_near = near if date_anchor is h1 else list(near_headline(tree, date_anchor))
    published, source, precision = find_published(
        tree,
        metas,
        ld_published,
        urls,
        date_anchor,
        lxml_tree,
        date_near,
        None if date_anchor is h1 else near,
    )

    owners = [
        _COPYRIGHT.sub("", metas.get(k) or "")
        for k in ("copyright", "publisher", "dc.publisher", "dc.rights")
    ]
    sites = {_norm(n) for n in [*site_names, metas.get("application-name") or "", *owners] if _norm(n)}
    labels = {lab for lab in (_norm(_domain_label(u)) for u in urls) if lab}
    personal = _person_publisher(article, graph) + [m["name"] for m in map(_OWNED.match, site_names) if m]
    for owner in map(_norm, personal):  # a personal site
        sites.discard(owner)
        labels = {lab for lab in labels if lab not in owner}
    authors = find_authors(
        _structured_authors(article, graph, metas, tree),
        tree,
        h1,
        sites,
        labels,
        lambda: author_element(tree),
        near,
        _card_authors(metas) + _structured_authors(webpage, graph, {}, None),
    )

    descriptions = [metas.get(k) or "" for k in ("og:description", "description", "twitter:description")]
    if article:
        descriptions.append(_ld_text(article.get("description")))
    standfirst = find_standfirst(tree, h1, [d for d in descriptions if d], near)

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
        outlet=clean(outlet) or None,
        authors=authors,
        standfirst=standfirst,
        language=lang,
    )


# ---------------------------------------------------------------- helpers: sources


def _lxml(html: str) -> Any:
    """The page as an lxml tree for htmldate, or None if lxml refuses it."""
    try:
        return lxml_page(html)
    except Exception:  # lxml refusing a page costs its htmldate date, not the page
        return None


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
            if k and (key != "itemprop" or in_main(node)):  # microdata of a teaser in a list is not ours
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


def _jsonld_article(
    tree: LexborHTMLParser,
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]], dict[str, Any] | None]:
    """The first article object of the page, an @id index to resolve references, and the first
    WebPage object that names an author (Yoast's graph without an article: the page's author)."""
    article: dict[str, Any] | None = None
    webpage: dict[str, Any] | None = None
    graph: dict[str, dict[str, Any]] = {}
    for n, obj in enumerate(_jsonld_objects(tree)):
        if n >= _NODES_MAX:
            break
        oid = obj.get("@id")
        if isinstance(oid, str):
            graph.setdefault(oid, obj)
        types = _types(obj)
        if article is None and types & _ARTICLE_TYPES:
            article = obj
        if webpage is None and types & _PAGE_TYPES and obj.get("author"):
            webpage = obj
    return article, graph, webpage


def _resolve(value: Any, graph: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return graph.get(value["@id"], value)
    return value


def _ld_text(value: Any) -> str:
    """A JSON-LD string value, entity-decoded (some CMSs write &amp; into JSON)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return clean(htmllib.unescape(value)) if isinstance(value, str) else ""


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
    """The publisher's name, unless the publisher is a person (a personal site's owner, as
    Yoast marks it: ["Person", "Organization"]): that is the author's name, not an outlet's."""
    if not article:
        return None
    publisher = _resolve(article.get("publisher"), graph)
    if isinstance(publisher, dict) and "person" in _types(publisher):
        return None
    return next(iter(_names(publisher, graph)), None)


# a site named for its owner: "Daniel Lemire's blog", "Jane Roe’s Kitchen"
_OWNED = regex(r"^(?P<name>[A-ZÀ-ÖØ-Þ][\w.-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w.-]+){1,2})['’]s\s+\w+(?:\s+\w+)?$")


def _person_publisher(article: dict[str, Any] | None, graph: dict[str, dict[str, Any]]) -> list[str]:
    """The names of a publisher that is a person (Yoast's personal site: the author publishes; an
    @id under /person/ says so where the object itself is missing), full names only: there the
    site's name and domain are the author's name, not an outlet's."""
    publisher = _resolve(article.get("publisher"), graph) if article else None
    if not isinstance(publisher, dict):
        return []
    if "person" in _types(publisher):
        names = _names(publisher, graph)
    elif not publisher.get("@type") and "/person/" in str(publisher.get("@id")):
        names = _names(article.get("author") if article else None, graph)
    else:
        return []
    return [n for n in names if " " in n]


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


def _structured_authors(
    article: dict[str, Any] | None,
    graph: dict[str, dict[str, Any]],
    metas: dict[str, str],
    tree: LexborHTMLParser | None,
) -> list[str]:
    """The JSON-LD article's author names (not its Organization authors), then <meta name=author>;
    without either, the scholarly tags (every citation_author, else dc.creator)."""
    names = []
    if article:
        for item in _as_list(article.get("author")):
            item = _resolve(item, graph)
            types = _types(item) if isinstance(item, dict) else set()
            if types & {"organization", "newsmediaorganization", "corporation"} and "person" not in types:
                continue
            names.extend(_names(item, graph))
    meta_author = metas.get("author")
    if meta_author:
        names.append(meta_author)
    if not names and tree is not None:
        names = [_first_last(n) for n in _all_meta(tree, "citation_author") or _all_meta(tree, "dc.creator")]
    return [n for n in names if "://" not in n and not n.startswith("www.")]  # profile URLs


def _all_meta(tree: LexborHTMLParser, name: str) -> list[str]:
    """Every content of a meta name a page repeats (one citation_author tag per author)."""
    out = []
    for node in tree.css("meta[name]"):
        attrs = node.attributes
        if (attrs.get("name") or "").strip().lower() == name and (attrs.get("content") or "").strip():
            out.append(clean(attrs.get("content")))
    return out


_LAST_FIRST = regex(r"^([^,\s]+(?:[\s-][^,\s]+)?),\s*([^,]+)$")


def _first_last(name: str) -> str:
    """A scholarly tag names one author, often "Last, First" ("Harm, Robert" is Robert Harm)."""
    m = _LAST_FIRST.match(name)
    return f"{m[2]} {m[1]}" if m else name


_WRITTEN_BY = regex(
    r"^(?:written by|verfasst von|geschrieben von|écrit par|escrito por|scritto da|geschreven door|author|autor|auteur)\b",
    re.I,
)


def _card_authors(metas: dict[str, str]) -> list[str]:
    """The value of a "Written by" label in the twitter:label/twitter:data pairs (Yoast's card)."""
    return [
        metas[f"twitter:data{n}"]
        for n in (1, 2, 3)
        if _WRITTEN_BY.match(metas.get(f"twitter:label{n}", "")) and metas.get(f"twitter:data{n}")
    ]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------- title


_KICKER_WORDS = 5  # a kicker printed inside the h1 ("Klimaschutz:", "Opinion") is this short
_H1_MAX = 5  # h1s looked at (a page with more prints them as teaser titles)
_AGREE_SHARE = 0.4  # a title holding the h1 plus a suffix: the h1 is at least this share of it
_MASTHEAD_WORDS = 4  # a site's name in an h1 is this short; a longer h1 is a headline
_HEADLINE_WORDS = 3  # a lone printed h1 is taken as the headline from this many words on


def _title(
    tree: LexborHTMLParser,
    metas: dict[str, str],
    article: dict[str, Any] | None,
    site_names: list[str],
    urls: list[str],
) -> tuple[str | None, LexborNode | None]:
    """The headline, and the h1 node that prints it when one does (see the module doc)."""
    ld = _ld_text(article.get("headline") or article.get("name")) if article else ""
    og = clean(metas.get("og:title"))
    twitter = clean(metas.get("twitter:title"))
    title_node = tree.css_first("title")
    title = clean(title_node.text(deep=True)) if title_node is not None else ""
    h1s = [h for h in tree.css("h1") if in_main(h)][:_H1_MAX]
    printed = [(h, clean(h.text(deep=True, separator=" "))) for h in h1s]
    if ld.endswith(("...", "…")):
        # JSON-LD headlines are often cut at 110 characters: take the full one when it starts alike
        stem = ld.rstrip(".…").strip()
        ld = next(
            (t for t in (og, *(p for _, p in printed), title) if t.startswith(stem) and len(t) > len(stem)),
            ld,
        )
    others = [t for t in (ld, og, twitter, title) if t]
    sites = [n for n in (_norm(s) for s in site_names) if n]
    labels = [lab for lab in (_norm(_domain_label(u)) for u in urls) if lab]
    own = [(node, text) for node, text in printed if not _masthead(text, sites, labels)]
    # each h1's headline as before (without a kicker when that agrees); an h1 the metadata
    # prints alone beats an earlier one it prints beside more words: a section's name ("News" of
    # "News - Site") or a blog's name ("Blog: Post title") is part of a longer title
    agreeing = []
    for node, text in own:
        for variant in (_without_kicker(node), text):  # a kicker in the h1 is a label, not the headline
            agreed = _agrees(variant, others)
            if agreed:
                agreeing.append((agreed, node, _agrees(variant, others, whole=True) is not None))
                break
    exact = next((a for a in agreeing if a[2]), None)
    if agreeing and exact is None:
        # only in part: an h1 run ("<h1>Einheit der Woche<br>Lagen-Pyramide mit GA2</h1>") that
        # another source prints alone is the headline without its kicker
        exact = next(
            (
                (agreed, node, True)
                for node, _ in own
                for part in _h1_parts(node)
                if len(part.split()) >= _HEADLINE_WORDS and (agreed := _agrees(part, others, whole=True))
            ),
            None,
        )
    if agreeing:
        agreed, node, _ = exact or agreeing[0]
        return agreed, node
    # an h1 holding a subtitle, a date line or a kicker in elements of its own: the part the
    # metadata prints ("<h1><span>Headline</span> <small>Subtitle</small></h1>")
    for node, _ in own:
        for variant in _h1_parts(node):
            if len(variant.split()) >= _HEADLINE_WORDS and _printed_in(variant, others):
                return variant, node
    # an h1 set as the last crumb of a breadcrumb list, printing exactly what the metadata says
    for node in [h for h in tree.css("h1") if not in_main(h)][:_H1_MAX]:
        text = clean(node.text(deep=True, separator=" "))
        if len(text.split()) >= _HEADLINE_WORDS and _printed_in(text, others):
            return text, node
    # no h1 agrees: a blog's h1 is often its name and the post's title an h2 that <title> prints,
    # alone or beside the site's name; an h1 that <title> prints as its last separated part
    # ("Post title | Blog name") is that name
    named = [text for _, text in own if _part_of(text, others)]
    own = [(node, text) for node, text in own if text not in named]
    long_h1 = any(len(text.split()) > _MASTHEAD_WORDS for _, text in own)  # a headline, unconfirmed
    for node in [h for h in tree.css("h2, h3") if in_main(h) and not long_h1][:_H1_MAX]:
        text = clean(node.text(deep=True, separator=" "))
        if (
            len(text.split()) >= _HEADLINE_WORDS
            and not _masthead(text, sites, labels)
            and _printed_in(text, others)
        ):
            return text, node
    for node, text in own:
        if len(text.split()) >= _HEADLINE_WORDS and len(text) <= 200:
            return text, node
    first = next((text for _, text in printed if text not in named), "")
    found = next((t for t in (ld, og, first, title) if t), None)
    return (strip_site_name(found, named, []) if found and named else found), None


def _masthead(text: str, sites: list[str], labels: list[str]) -> bool:
    """An h1 that prints the site's name or domain ("Pamela Anderson", "strafprozess.ch")."""
    n = _norm(text)
    if n in sites or (" " not in text.strip() and "." in text):
        return True
    return any(n.startswith(lab) and len(n) - len(lab) <= 4 for lab in labels)  # "bbc", "bbc.co.uk"


def _agrees(text: str | None, others: list[str], whole: bool = False) -> str | None:
    """`text` when another source prints it (alone, or unless `whole`, with a site or section
    suffix or prefix)."""
    n = _norm(text or "")
    if len(n) < 4:
        return None
    for other in others:
        m = _norm(other)
        if m == n:
            return _spelling(text or "", other)
        if whole:
            continue
        if (m.startswith(n) or m.endswith(n)) and len(n) >= _AGREE_SHARE * len(m):
            return text
    return None


_JOIN_SPACE = regex(r"\s[:;,.!?)\]]|[(\[]\s")  # a space our joining of the h1's elements put before ":"


def _spelling(printed: str, meta: str) -> str:
    """The page's own spelling of a headline the metadata prints with the same words: its
    typographic quotes, ellipsis and composed letters ("„Wir ...“" for '"Wir ..."'), unless
    joining the h1's elements lost a separator or left a space before a colon, or it holds
    a soft hyphen."""
    if "\xad" in printed or _JOIN_SPACE.search(printed) or len(printed.split()) != len(meta.split()):
        return meta
    return printed


def _part_of(text: str, others: list[str]) -> bool:
    """Another source prints `text` as its last separated part, where a site puts its name."""
    n = _norm(text)
    return bool(n) and any(
        len(parts) > 1 and _norm(parts[-1]) == n for parts in (_SPLIT_SEP.split(o) for o in others)
    )


def _printed_in(text: str, others: list[str]) -> bool:
    """Another source prints `text` whole, or as one of its separated parts."""
    n = _norm(text)
    return any(n == _norm(part) for other in others for part in [other, *_SPLIT_SEP.split(other)])


_H1_PARTS = 8  # text nodes of a headline with its kicker, subtitle or date line


def _h1_parts(h1: LexborNode) -> list[str]:
    """The h1's text nodes as runs from its start or to its end, longest first."""
    texts = []
    for n in h1.traverse(include_text=True):
        if n.is_text_node and (t := clean(n.text_content)):
            texts.append(t)
            if len(texts) > _H1_PARTS:
                return []  # an h1 left open over the page, not a headline with a subtitle
    runs = [" ".join(texts[:i]) for i in range(1, len(texts))] + [
        " ".join(texts[i:]) for i in range(1, len(texts))
    ]
    return sorted(runs, key=len, reverse=True)


def _without_kicker(h1: LexborNode) -> str | None:
    """The h1's text without a short first part set in its own element ("Opinion", "Klimaschutz:")."""
    parts = [clean(child.text(deep=True, separator=" ")) for child in h1.iter(include_text=True)]
    parts = [p for p in parts if p]
    if len(parts) >= 2 and len(parts[0].split()) <= _KICKER_WORDS and not parts[1][:1].islower():
        return " ".join(parts[1:])  # a rest starting in lower case goes on the first part's sentence
    return None


_SEP = r"(?:[|\-–—·•«»/]|::)"
_EDGE_SEP = regex(r"^\s*[:|\-–—·•/]+\s+|\s+[:|\-–—·•/]+\s*$")
_NOSEP = rf"(?:(?!\s{_SEP}\s).)"
_SUFFIX = regex(rf"^(?P<head>.+)\s+{_SEP}\s+(?P<site>{_NOSEP}+?)\s*$")
_PREFIX = regex(rf"^\s*(?P<site>{_NOSEP}+?)(?P<sep>\s+{_SEP}\s+|:\s+)(?P<head>.+)$")


def _headline_left(head: str, sites: list[str], labels: list[str]) -> bool:
    """What a section or date suffix leaves is still a headline: a few words, not the site's
    name, not a date range cut in two ("Wochenbericht 14. - 20. Januar 2022")."""
    head = head.strip()
    return (
        len(head.split()) >= _HEADLINE_WORDS
        and not head[-1:].isdigit()
        and not head.endswith(".")
        and not _names_site(head, sites, labels, exact=False)
    )


def _is_date(text: str) -> bool:
    parsed = text_date(text)
    return parsed is not None and parsed.date is not None and parsed.has_year


_SECTION_WORDS = 4  # a navigation or breadcrumb link naming a section is this short


def _sections(tree: LexborHTMLParser) -> frozenset[str]:
    """Normalised texts of the page's short links: its sections, as navigation prints them."""
    out = set()
    for node in tree.css("a"):
        text = clean(node.text(deep=True, separator=" "))
        if text and len(text.split()) <= _SECTION_WORDS:
            out.add(_norm(text))
    out.discard("")
    return frozenset(out)


def _norm(text: str) -> str:
    return "".join(filter(str.isalnum, text.lower()))


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


_DOMAIN = regex(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_SPLIT_SEP = regex(rf"\s+{_SEP}\s+")
_SEP_END = regex(rf"\s+{_SEP}\s+$")


def _cut_at_site(title: str, site_names: list[str], sites: list[str], labels: list[str]) -> str:
    """Cut the title where a ' | '-separated part names the site in full (a site name holding a
    separator itself, 'AOC media - Analyse Opinion Critique') or is a domain ('FASSETTE.NET'),
    with whatever follows it ('Headline | petri-heil.ch | Dein Fischereimagazin')."""
    trimmed = title.rstrip()
    for name in site_names:
        name = clean(name)
        if not name or trimmed[-len(name) :].lower() != name.lower():
            continue
        m = _SEP_END.search(
            trimmed[: -len(name)]
        )  # a string test and one compiled pattern: no pattern per site
        if m and len(title[: m.start()].split()) >= _HEADLINE_WORDS:
            return title[: m.start()].strip()
    seps = list(_SPLIT_SEP.finditer(title))
    for i, sep in enumerate(seps):
        end = seps[i + 1].start() if i + 1 < len(seps) else len(title)
        part = title[sep.end() : end].strip()
        last = i + 1 == len(seps)
        domain = bool(_DOMAIN.match(part))
        if domain or (not last and _names_site(part, sites, labels, exact=True)):
            head = title[: sep.start()].strip()
            if len(head.split()) >= (1 if domain else _HEADLINE_WORDS):  # a domain is never a headline's word
                return head
    return title


def strip_site_name(
    title: str, site_names: list[str], urls: list[str], sections: frozenset[str] = frozenset()
) -> str:
    """Remove a " | Site" suffix or "Site: " prefix, only when it names the site, and a
    " | Section" or " - 28.04.2023" suffix when it names a section or is a date.

    The site is known from og:site_name, the JSON-LD publisher or the URL's domain; a
    section is a link the page prints (`sections`: their texts, normalised, from its
    navigation and breadcrumbs). The headline part is never dropped, so a title made only
    of the site name stays.
    """
    sites = [s for s in (_norm(n) for n in site_names) if s]
    labels = [lab for lab in (_norm(_domain_label(u)) for u in urls) if lab]
    title = _cut_at_site(title, site_names, sites, labels)
    for _ in range(3):  # "Headline | Section | Site" loses at most three trailing parts
        m = _SUFFIX.match(title)
        if m and _names_site(m["site"], sites, labels, exact=False):
            title = m["head"].strip()
            continue
        if (
            m
            and (_norm(m["site"]) in sections or _is_date(m["site"]))
            and _headline_left(m["head"], sites, labels)
        ):
            title = m["head"].strip()
            continue
        m = _PREFIX.match(title)
        if m and _names_site(m["site"], sites, labels, exact=m["sep"].startswith(":")):
            title = m["head"].strip()
            continue
        break
    return title
