"""Authors: person names only, from the page's structured data, its byline, or its author element.

Sources, first that gives a name wins: the article's JSON-LD authors (Organization
authors dropped), <meta name=author> (a login in it read as the name the page prints for
it), else scholarly citation_author tags; a byline printed near the headline ("By ...",
"Von ...", "Par ...", "Text: ..."); names in links to author pages just below the headline;
a labelled byline anywhere in the article; the "Written by" card of the twitter meta tags
and the author of a JSON-LD WebPage without an article; the author element as trafilatura's
extract_author finds it (author classes, rel=author, itemprops), its XPath search read on
the lexbor tree (author_element: the same answer on all 945 trafeval pages, a tenth of
the time); a signature ("Von X" alone in a block, a name alone in emphasis closing the
text). Every candidate string is cleaned the same way: prefixes and
e-mail addresses go, "A, B and C" / "A und B" / "A et B" become names, and what is not a
person's name goes: the site or publisher (compared with og:site_name, the JSON-LD
publisher and the domain; not on a personal site, whose publisher is the person), roles
and desks ("Staff", "Redaktion", "Agencies"), wire agency codes, logins ("jane.doe"). A
first name alone becomes the full name a byline of the page prints.

Measured on trafeval (528 pages with an author; same set of names, case-insensitive):
JSON-LD and meta alone 0.33, trafilatura 0.52, this 0.66. The gold keeps several names
as one string ("A and B") and names desks ("Redaktion") and sites as authors; splitting
and dropping them is on purpose (a corpus is filtered by person).
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.cache import regex
from cleaner.dates import MONTH_ALTERNATION
from cleaner.extract.nodes import (
    BODY_TEXT,
    SCAN_AFTER,
    UNPRINTED,
    Near,
    clean,
    contains,
    in_main,
    near_headline,
)
from cleaner.text import alnum_key

__all__ = ["bylines", "clean_names", "find_authors", "labelled_bylines"]

_LEAD_WORDS = (
    r"(?:analysis|opinion|commentary|review|posted|written|published|geschrieben|verfasst|text|words|story|reported|interview|ein\s+beitrag"
    r"|beitrag|artikel|zeige\s+alle\s+beiträge|view\s+all\s+posts|all\s+posts|mehr|more\s+posts|zum\s+profil)"
)
_PREFIX = regex(
    rf"^(?:{_LEAD_WORDS}\s+)?(?:by|von|par|por|di|door|av|from)\b\s*:?\s*"
    r"|^(?:autor(?:in|en)?|author|auteur|text|texto|interview|fotos?|photos?|текст|автор|фото)\s*:?\s+",
    re.I,
)
_SPLIT = regex(
    r"\s*(?:,|;|/|&|\||\s+(?:and|und|et|y|e|og|och|en|i|im\s+gespräch\s+mit|in\s+conversation\s+with)\s+)\s*",
    re.I,
)  # "A im Gespräch mit B": an interview's two people
_EMAIL = regex(r"\S+@\S+\.\w+|(?<!\w)@\w+")
_NOT_A_NAME = regex(
    r"^(?:the\s+)?(?:staff|editorial(?:\s+(?:team|staff|board))?|editors?|team|newsroom|admin|administrator"
    r"|agencies|agency|agenturen|ap|afp|dpa|reuters|apa|ansa|efe|sda|kna|epd|sid|red|guest|gastautor(?:in)?"
    r"|anonymous|unknown|null|none|name|posted|phd|md|dr|prof|mba|text|interview|follow|search|datum|date|stand"
    r"|vorlesen|human|no author|wordpressadmin|webmaster|autor|author)$"
    r"|\b(?:staff|redaktion|rédaction|redacción|redazione|editorial team|newsroom|editor-at-large|correspondent"
    r"|columnist|writer)\b|^the\s",
    re.I,
)
# Organisation words: an author string holding one names a publisher, not a person.
_ORG = regex(
    r"\b(?:e\.\s?V|GmbH|AG|Inc|Ltd|LLC|S\.?A|Verlag|Media|Médias?|Medien|Online|Magazin[e]?|Zeitung|News|Press"
    r"|Presse|Verband|Stiftung|Foundation|Association|Institut[e]?|University|Universität|Ministerium|Ministry"
    r"|Department|Division|Group|Gruppe|Network|Team|Street|Road|Avenue|Straße|Strasse)\b|\.(?:de|com|at|ch|fr|org|net|es|it)\b",
    re.I,
)
# words a byline or profile box prints after the name ("Christoph Hein Chefredakteur", "... Search")
_TRAILING = regex(
    r"\s+(?:chefredakteur(?:in)?|redakteur(?:in)?|editor|reporter|search|follow|stand|autor(?:in)?)$", re.I
)
# a profession printed before the name ("Rechtsanwalt Sebastian Einbock"): a role, not part of it
_ROLE = regex(
    r"^(?:rechtsanw(?:a|ä)lt(?:in)?|fachanw(?:a|ä)lt(?:in)?|anw(?:a|ä)lt(?:in)?|attorney|lawyer|avocate?|abogad[ao])\s+(?=\S+\s)",
    re.I,
)
# "Brendan Carlin For The Mail On Sunday", "Jane Roe for CNN": the outlet written for, after a full name
_FOR_OUTLET = regex(r"^(?P<name>\S+(?:\s+\S+){1,3}?)\s+[Ff]or\s+(?:[Tt]he\s+)?[A-Z].*$")
_PARTICLE_WORD = regex(
    r"^(?:von|van|vom|der|den|de|des|da|das|dos|do|del|della|di|du|la|le|zu|zur|ten|ter|bin|ibn|al|el|y|e|i|'t)$"
)
_LOGIN = regex(r"^[a-z0-9]+(?:[._][a-z0-9]+)+$")
_MONTH = regex(rf"^(?:{MONTH_ALTERNATION})\.?$", re.I)  # "Reuters; Washington; Nov": a dateline's month
_MAX_WORDS = 5


def clean_names(raw: Iterable[str], sites: set[str], labels: set[str]) -> list[str]:
    """Person names from author strings; `sites` are normalised site/publisher names,
    `labels` the normalised registrable labels of the page's domains ('bbc')."""
    out: list[str] = []
    seen: set[str] = set()
    for item in raw:
        item = _EMAIL.sub(" ", htmllib.unescape(clean(item)))
        if _names_org(item, sites, labels):
            continue  # "Jobs & Hire", "Deutsche Welle (www.dw.com)": the outlet as a whole
        item = re.sub(r"\s*\([^)]*\)", "", item)
        parts = [_bare(part) for part in _SPLIT.split(item)]
        names = [part for part in parts if _is_name(part, sites, labels)]
        if any(" " in n for n in names) or any(
            p not in names and (" " in p or _ORG.search(p) or _MONTH.match(p) or _names_org(p, sites, labels))
            for p in parts
        ):
            # beside a full name, a phrase or an organisation, a single word is a place or a unit
            # ("Markus Haefliger, London, Beat Bumbacher"; "hessenschau.de, Frankfurt, Germany"), and
            # beside a month, a dateline's ("Reuters; Washington; Nov")
            names = [n for n in names if " " in n]
        for part in names:
            if part.casefold() not in seen:
                seen.add(part.casefold())
                out.append(part)
    return out


def _bare(part: str) -> str:
    part = part.strip(" -–—:·|,'\"“”")
    part = _PREFIX.sub("", part).strip(" -–—:·|,")
    part = _ROLE.sub("", part)
    outlet = _FOR_OUTLET.match(part)
    part = outlet["name"] if outlet else part
    return _TRAILING.sub("", part)


def _names_org(text: str, sites: set[str], labels: set[str]) -> bool:
    """The whole string names the site: its name, its domain in brackets ('Deutsche Welle
    (www.dw.com)'), or three or more initials ('British Broadcasting Corporation' on bbc.com)."""
    n = alnum_key(re.sub(r"\s*\([^)]*\)", "", text))
    if n and (n in sites or n in labels):
        return True
    inside = re.findall(r"\(([^)]*)\)", text)
    if any(len(lab) >= 2 and lab in alnum_key(x) for x in inside for lab in labels):
        return True
    words = re.findall(r"\w+", re.sub(r"\s*\([^)]*\)", "", text))
    initials = "".join(w[0] for w in words).casefold()
    return len(words) >= 3 and initials in labels | sites


def _is_name(part: str, sites: set[str], labels: set[str]) -> bool:
    if not part or len(part) > 60 or len(part.split()) > _MAX_WORDS:
        return False
    if any(ch.isdigit() for ch in part) or "://" in part or part.startswith("www."):
        return False
    if (
        _NOT_A_NAME.search(part)
        or _LOGIN.match(part)
        or _MONTH.match(part)
        or (part.isupper() and len(part) <= 3)
    ):
        return False
    if " " not in part and part.isupper() and len(part) <= 5 and not part.isalpha():
        return False  # a wire agency's code ("SP-X")
    words = part.split()
    if len(words) >= 2 and any(w[0].islower() and not _PARTICLE_WORD.match(w) for w in words[:-1]):
        return False  # "deinen Hochzeitsbloggern", "Alles über Lautsprecher": words, not a name
    n = alnum_key(part)
    if not n or n in sites or n in labels or any(len(lab) >= 4 and lab in n for lab in labels):
        return False
    if any(alnum_key(w) in labels for w in words):  # a short label as a word: a desk ("CNN Business")
        return False
    return not _ORG.search(part)


def find_authors(
    structured: list[str],
    tree: LexborHTMLParser,
    h1: LexborNode | None,
    sites: set[str],
    labels: set[str],
    trafilatura_author: Callable[[], str | None] = lambda: None,
    near: Near | None = None,
    card: list[str] | None = None,
) -> list[str]:
    """The first source that gives person names: structured data, the byline near the headline,
    a labelled byline anywhere, the "Written by" card of the meta tags (`card`), the author
    element (`trafilatura_author`, called only when needed), signatures. A first name alone
    becomes the full name a byline of the page prints ("Nils" -> "von Nils Pickert")."""
    names = _first_source(structured, tree, h1, sites, labels, trafilatura_author, near, card)
    if any(" " not in name for name in names):
        names = [name if " " in name else _full_name(name, tree, sites) for name in names]
    return names


def _first_source(
    structured: list[str],
    tree: LexborHTMLParser,
    h1: LexborNode | None,
    sites: set[str],
    labels: set[str],
    trafilatura_author: Callable[[], str | None] = lambda: None,
    near: Near | None = None,
    card: list[str] | None = None,
) -> list[str]:
    names = clean_names([_login_name(item, tree) for item in structured], sites, labels)
    if names:
        return _completed(names, tree, h1, near, sites, labels)
    for line in bylines(tree, h1, near)[:_BYLINES_TRIED]:  # "Text vorlesen" (read aloud) is no byline
        names = clean_names([line], sites, labels)
        if names:
            return names
    names = clean_names(author_links_below(tree, h1), sites, labels)
    if names:
        return names
    labelled, signed = labelled_bylines(tree)
    names = clean_names(labelled[:1], sites, labels)
    if names:
        return names
    names = clean_names(card or [], sites, labels)  # a meta tag, but weaker than the page's byline
    if names:
        return names
    found = trafilatura_author()
    names = clean_names([found], sites, labels) if found else []  # one string: its parts judge each other
    if names:
        return [_as_printed(name, tree) for name in names]
    names = clean_names(signed[:1], sites, labels)  # a signature: the page's last word on it
    if names:
        return names
    signature = name_alone(tree)
    names = clean_names([signature], sites, labels) if signature else []
    if names:
        return names
    owner = _domain_owner(tree, labels)
    return [owner] if owner and _is_name(owner, sites, set()) else []


def _completed(
    names: list[str],
    tree: LexborHTMLParser,
    h1: LexborNode | None,
    near: Near | None,
    sites: set[str],
    labels: set[str],
) -> list[str]:
    """The structured names, or the byline's near the headline when it prints them all and more
    (the JSON-LD names the first of two authors the page prints: "Rudolf Fischer, Simon Kohler")."""
    lines = bylines(tree, h1, near)
    printed = clean_names(lines[:1], sites, labels)
    have = {n.casefold() for n in names}
    if len(printed) > len(names) and have <= {n.casefold() for n in printed}:
        return printed
    return names


_COPYRIGHT_NAME = regex(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*(?:\d{4})?)?\s*)?(?:by\s+)?(?P<name>[^\W\d_][\w.' -]{2,60}?)"
    r"\s*(?:$|[.,|•·]|all rights|alle rechte)",
    re.I,
)


def _domain_owner(tree: LexborHTMLParser, labels: set[str]) -> str | None:
    """The person a personal domain is named for, from the page's copyright line: "Copyright (c)
    2012- Gregory Szorc." on gregoryszorc.com. Only a full name whose letters are the domain's
    label counts: a copyright owner is most often a company."""
    if tree.body is None or not labels:
        return None
    for node in tree.body.traverse(include_text=True, skip_empty=True):
        if not node.is_text_node:
            continue
        text = clean(node.text_content)
        m = _COPYRIGHT_NAME.search(text) if len(text) <= _BYLINE_MAX * 2 else None
        if m and _NAME_ALONE.fullmatch(m["name"]) and alnum_key(m["name"]) in labels:
            return m["name"]
    return None


def _full_name(name: str, tree: LexborHTMLParser, sites: set[str]) -> str:
    """The one full name a byline word introduces with this first name, in one text of its own
    ("Eine Kolumne von Nils Pickert", "By | Todd Bates", "MEHR VON HENRY STEINHAU"), else the
    name as found. A surname is a capitalised word ending its text: "von Olga | Symbolbild" runs
    across two texts and is not one."""
    stream = _text_stream(tree)
    first = rf"(?:{re.escape(name)}|{re.escape(name.upper())})"
    found = {
        m["last"].casefold(): m["last"]
        for m in re.finditer(
            rf"(?<![\w-])(?i:{_BY_WORDS})\s*(?:\|\s*)?{first}\s+(?P<last>{_SURNAME})(?=\s*(?:\||$|[,.;:]))",
            stream,
        )
        if m["last"][1:].islower() or m["last"].isupper()
    }
    if len(found) != 1:
        return name
    last = next(iter(found.values()))
    full = f"{name} {last.title() if last.isupper() else last}"
    # the domain may well be the surname (a personal site): only the site's name is checked
    return full if _is_name(_bare(full), sites, set()) and _bare(full) == full else name


def _login_name(item: str, tree: LexborHTMLParser) -> str:
    """A login of two names ("christian.stadtfeld") as the page prints that person's name
    ("Christian P. Stadtfeld"), when it prints exactly one such; else the login as given."""
    parts = re.split(r"[._]", item.strip())
    if not _LOGIN.match(item.strip()) or len(parts) != 2 or min(map(len, parts)) < 2 or tree.body is None:
        return item
    first, last = (re.escape(p) for p in parts)
    found = {
        m.group().casefold(): m.group()
        for m in re.finditer(
            rf"(?<![\w-])(?i:{first})(?:\s+[A-ZÀ-ÖØ-Þ]\.)?\s+(?i:{last})(?![\w-])", _text_stream(tree)
        )
        if all(w[:1].isupper() for w in m.group().split())
    }
    return next(iter(found.values())) if len(found) == 1 else item


def _text_stream(tree: LexborHTMLParser) -> str:
    """The body's texts, each its own, joined by " | " (script and style texts left out)."""
    if tree.body is None:
        return ""
    texts = (
        clean(node.text_content)
        for node in tree.body.traverse(include_text=True)
        if node.is_text_node and node.parent is not None and node.parent.tag not in UNPRINTED
    )
    return " | ".join(t for t in texts if t)


_BY_WORDS = r"by|von|par|por|door|av"
_SURNAME = r"[A-ZÀ-ÖØ-Þ][\w'’\-]+"


def _as_printed(name: str, tree: LexborHTMLParser) -> str:
    """trafilatura drops the dot after an initial ('Günter W Kienitz'): the page's own spelling
    ('Günter W. Kienitz') when it prints one."""
    words = name.split()
    if tree.body is None or not any(len(w) == 1 and w.isalpha() for w in words):
        return name
    pattern = r"\s*".join(re.escape(w) + (r"\.?" if len(w) == 1 else "") for w in words)
    m = re.search(rf"(?<!\w){pattern}(?!\w)", clean(tree.body.text(deep=True, separator=" ")))
    return m.group() if m else name


# ---------------------------------------------------------------- bylines in the page

_CAP = rf"(?!(?i:{MONTH_ALTERNATION}|updated|published|aktualisiert|veröffentlicht|stand|illustration|fotos?|photos?|bilder?)\b)(?!(?:Le|La|El|Il|Am|Den|Op|Em|On)\s+\d)[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*\.?"
_PARTICLE = r"(?:von|van|der|den|de|da|del|della|di|du|la|le|zu|ten|ter|bin|al|el)(?=\s)"
_NAME = rf"{_CAP}(?:\s+(?:{_CAP}|{_PARTICLE})){{0,4}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|/)\s*{_NAME})*"
_BY = (
    r"(?:by|von|par|por|di|door|av|text|texto|autor(?:in|en)?|author|auteur|geschrieben von|verfasst von"
    r"|posted by|written by|publié par|publicado por|ein beitrag von|artikel von|beitrag von|text von|text und fotos von"
    r"|texto de|texte de|scritto da|a cura di|door)"
)
_BYLINE = regex(
    rf"^(?i:{_BY})\s*:?\s+(?P<names>{_NAMES}|[\w.-]+$)\s*(?:$|[|,·•–—-]|\s(?i:am|on|le|el|il|em|op|den|\d))"
)
_BY_ONLY = regex(rf"^(?i:{_BY})\s*:?$")
_BYLINE_MAX = 100
_BYLINES_TRIED = 3  # near the headline: the first bylines whose names survive cleaning


def bylines(tree: LexborHTMLParser, h1: LexborNode | None, near: Near | None = None) -> list[str]:
    """Names printed after a byline word near the headline, below it first. A lone "By" whose
    names are links of their own is read with its parent's text."""
    after: list[str] = []
    before: list[str] = []
    for node, text, is_after in near if near is not None else near_headline(tree, h1):
        if len(text) > _BYLINE_MAX:
            continue
        m = _byline_match(node, text.lstrip("|·•–—/- "))  # "| By " printed for screen readers
        if m:
            (after if is_after else before).append(m["names"].strip())
            continue
        dated = (
            _dated_byline(text)
            or _linked_name_before_date(node, text)
            or (is_after and _name_then_date(node, text))
        )
        if dated:
            (after if is_after else before).append(dated)
    return after + before


_DATE = (
    rf"(?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    rf"|(?i:{MONTH_ALTERNATION})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+(?i:{MONTH_ALTERNATION})\.?,?\s+\d{{4}})"
)
_CLOCK = r"(?:\d{1,2}[:.]\d{2}(?:\s*(?i:uhr|h|am|pm))?)"
_DATED = regex(
    rf"^(?i:(?:posted|published|veröffentlicht|erstellt|publié|publicado)(?:\s+(?:on|am|le|el|em))?\s+)?"
    rf"{_DATE}(?:\s*,?\s*(?i:um\s+|at\s+|à\s+)?{_CLOCK})?"
    rf"(?P<sep>\s*[|·•–—-]\s*(?:{_CLOCK}\s*[|·•–—-]\s*)?|\s+)(?P<rest>.+)$"
)


def _dated_byline(text: str) -> str | None:
    """Names in a date line: "06.11.2023 13:30 von Olga", "Posted on May 2, 2020 by Jane Roe",
    or a full name alone after the date and a separator ("25.10.2022 - Reiner Nagel")."""
    m = _DATED.match(text)
    if not m:
        return None
    rest = m["rest"].strip()
    by = _BYLINE.match(rest)
    if by:
        return by["names"].strip()
    if m["sep"].strip() and re.fullmatch(_NAME, rest) and " " in rest and not rest.isupper():
        return rest  # without a byline word, capitals are a label ("PAID CONTENT")
    return None


def _name_then_date(node: LexborNode, text: str) -> str | None:
    """A name in an element of its own opening the line under the headline, its date after a
    separator ("<span>Paddy</span> · <span>April 19, 2019</span>"): the post's author."""
    if not node.is_text_node or not re.fullmatch(_NAME, text) or text.isupper():
        return None
    block = node.parent
    while block is not None and block.tag in _INLINE:
        block = block.parent
    if block is None or block.tag in ("body", "html"):
        return None
    line = clean(block.text(deep=True, separator=" "))
    m = _NAME_THEN_DATE.match(line)
    if not m or m["name"] != text:
        return None
    root = block
    while root.parent is not None:
        root = root.parent
    if any(clean(link.text(deep=True)) == text and _section_link(link) for link in root.css("a")):
        return None  # a section or tag the page links to ("Politik · 19.04.2019"), not a person
    return text


def _section_link(link: LexborNode) -> bool:
    """A link to a part of the site: not its home page, not an author's page."""
    href = link.attributes.get("href") or ""
    path = urlsplit(href).path.strip("/")
    return bool(path) and link.attributes.get("rel") != "author" and not _AUTHOR_HREF.search(href)


_NAME_THEN_DATE = regex(rf"^(?P<name>.+?)\s*[|·•–—]\s*{_DATE}\s*(?:$|[|·•–—])")
_COMMA_DATE = regex(rf"^,\s*{_DATE}$")
_AUTHOR_HREF = regex(r"/(?:autor|author|auteur|autore)(?:e?n|s|i|es)?/", re.I)


def _linked_name_before_date(node: LexborNode, text: str) -> str | None:
    """ "<a href="/autoren/jane-roe/">Jane Roe</a>, 21. Jan. 2015": a link to an author page
    just before ", date" is the byline's name."""
    if not _COMMA_DATE.match(text) or not node.is_text_node:
        return None
    link = node.prev
    if link is None or link.tag != "a" or not _AUTHOR_HREF.search(link.attributes.get("href") or ""):
        return None
    name = clean(link.text(deep=True))
    return name if re.fullmatch(_NAME, name) and " " in name else None


def author_links_below(tree: LexborHTMLParser, h1: LexborNode | None) -> list[str]:
    """A full name, the text of its own element, inside a link to an author page just below the
    headline ('<h1>..</h1><a href="/autoren/jane-roe-68"><img ..><span>Jane Roe</span></a> am
    26.01.2022'): the byline's name, printed without a byline word (link texts are no part of
    the texts near the headline, which skip links as teasers)."""
    names: list[str] = []
    if tree.body is None or h1 is None:
        return names
    seen, budget = False, SCAN_AFTER
    for node in tree.body.traverse(include_text=True, skip_empty=True):
        if not seen:
            seen = node.mem_id == h1.mem_id
            continue
        if not node.is_text_node or contains(h1, node):
            continue
        text = clean(node.text_content)
        budget -= 1
        if not text:
            continue
        if budget < 0 or len(text) > BODY_TEXT:
            break
        if " " in text and re.fullmatch(_NAME, text) and not text.isupper() and _in_author_link(node):
            if text not in names:  # the name again for screen readers
                names.append(text)
        elif names and not _LIST_GLUE.fullmatch(text) and not _in_author_link(node):
            break  # the names' list ends where other text starts (a photo credit in the link does not end it)
    return names


_LIST_GLUE = regex(r"[,;&|·/]|and|und|et|y|e", re.I)  # between the names of one list


def _in_author_link(node: LexborNode) -> bool:
    link, steps = node.parent, 0
    while link is not None and link.tag != "a" and steps < _LINK_STEPS:
        link, steps = link.parent, steps + 1
    if link is None or link.tag != "a" or not _AUTHOR_HREF.search(link.attributes.get("href") or ""):
        return False
    return in_main(link)


_LINK_STEPS = 3  # elements between a name and the author link around it


def _with_parent(node: LexborNode, text: str, separator: str = " ") -> str:
    parent = node.parent
    for _ in range(2):
        if parent is None:
            return text
        whole = clean(parent.text(deep=True, separator=separator))
        if separator != " ":  # names in links of their own joined by ", " or "and" stay one list
            whole = _EMPTY_PARTS.sub(" | ", whole).strip(" |")  # white-space text nodes part nothing
            whole = _JOINED.sub(lambda m: ", " if m[1] == "," else f" {m[1]} ", whole)
        if len(whole) > len(text) + 2 + len(separator):
            if text not in whole or len(whole) > _BYLINE_MAX + (0 if separator == " " else 20):
                return text
            return whole[whole.find(text) :].replace(separator, " ", 1)
        parent = parent.parent
    return text


_INLINE = frozenset({"strong", "b", "em", "i", "span", "label", "small", "font", "u"})


def _line_after(node: LexborNode, text: str) -> str:
    """A lone label with the rest of its printed line: the siblings after the label's element
    up to a line break or a block ("<strong>Autor:</strong> <a>Jane Roe</a><br>Tags: ...")."""
    label, parent = node, node.parent
    if (
        node.is_text_node
        and parent is not None
        and parent.tag in _INLINE
        and clean(parent.text(deep=True)) == text
    ):
        label = parent  # the label is the whole element ("<strong>Autor:</strong>")
    parts = [text]
    sibling = label.next
    while sibling is not None and sum(map(len, parts)) <= _BYLINE_MAX:
        if sibling.tag == "br" or not (sibling.is_text_node or sibling.tag in _INLINE or sibling.tag == "a"):
            break
        part = clean(sibling.text_content if sibling.is_text_node else sibling.text(deep=True, separator=" "))
        if part:
            parts.append(part)
        sibling = sibling.next
    # names end where their element ends ("Von <a>Jil Schuller</a> <a>Alle Artikel</a>"), lists stay one
    line = _JOINED.sub(lambda m: ", " if m[1] == "," else f" {m[1]} ", " | ".join(parts))
    return line.replace(" | ", " ", 1)


_EMPTY_PARTS = regex(r"\s*\|(?:\s*\|)+\s*")
_JOINED = regex(r"\s*\|\s*(,|&|and|und|et|y|e)\s*(?:\|\s*)?", re.I)


def _byline_match(node: LexborNode, text: str) -> re.Match[str] | None:
    """The byline in a text, or in a lone "By"/"Autor:" with its parent's text: with the names
    ending where their element ends when that leaves a full name ("Von Jil Schuller Alle
    Artikel" is "Jil Schuller"), else read as one line ("By Walter von Aachen" in two links)."""
    if not _BY_ONLY.match(text):
        return _BYLINE.match(text)
    after = _line_after(node, text)
    line = _BYLINE.match(after)
    if line and " " in line["names"].strip():
        return line
    # a linked title before the name ("Autor: <a>Rechtsanwalt</a> Jane Roe"): the line read as one
    joined = _BYLINE.match(after.replace(" | ", " "))
    if joined and line and " " in joined["names"].strip():
        return joined
    apart = _BYLINE.match(_with_parent(node, text, " | "))
    if apart and " " in apart["names"].strip():
        return apart
    return _BYLINE.match(_with_parent(node, text)) or apart


# a byline anywhere in the article must say it is one: "Text von ...", "Autor: ...", "Written by ..."
_LABELLED_BY = regex(
    r"^(?i:text|texto|texte|autor(?:in|en)?|author|auteur|written by|geschrieben von|verfasst von|text von"
    r"|texto de|texte de|scritto da|ein beitrag von|reporting by)\b"
)


def labelled_bylines(tree: LexborHTMLParser) -> tuple[list[str], list[str]]:
    """Names after an explicit byline label ("Text von", "Autor:") in a short text anywhere in the
    article (not in link lists or asides): where the page prints its byline at the end of the
    article or under the standfirst, out of the headline's reach. Second, the names of blocks
    that hold only a byline ("<p><em>Von Cosima Künzel</em></p>"): signatures."""
    root = tree.body
    if root is None:
        return [], []
    out: list[str] = []
    signed: list[str] = []
    for node in root.traverse(include_text=True, skip_empty=True):
        if not node.is_text_node:
            continue
        text = clean(node.text_content)
        if not text or len(text) > _BYLINE_MAX:
            continue
        if not _LABELLED_BY.match(text):
            if _BY_WORD.match(text) and in_main(node, plain_lists=True):
                name = _signed(node)
                if name:
                    signed.append(name)
            continue
        if not in_main(node, plain_lists=True):
            continue
        m = _byline_match(node, text)
        if m and re.match(_NAMES, m["names"]):
            out.append(m["names"].strip())
    return out, signed


_BY_WORD = regex(r"^(?i:by|von|par|por)\b")
_SIGNED = regex(
    rf"^(?i:by|von|par|por)\s*:?\s+(?P<names>{_NAMES})(?:\s*,\s*(?:{_DATE}|[\w-]+))?"
    rf"(?:\s+(?i:am|on|le|el|il|em)\s+[\w.,: ]{{0,60}})?$"
)


def _signed(node: LexborNode) -> str | None:
    """The names of a block that holds nothing but a byline ("<p><em>Von Cosima Künzel</em></p>",
    "Von R. R. am 26.02.2014"): a signature, wherever the article prints it."""
    block = node.parent
    while block is not None and (block.tag in _INLINE or block.tag == "a"):
        block = block.parent
    if block is None or block.tag in ("body", "html"):
        return None
    m = _SIGNED.match(clean(block.text(deep=True, separator=" ")))
    if not m:
        return None
    words = m["names"].split()
    half = len(words) // 2
    if half >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        words = words[:half]  # the name again for screen readers
    return " ".join(words)


_WORD = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
_NAME_ALONE = regex(
    rf"{_WORD}(?:\s+[A-Z]\.)?(?:\s+(?:von|van|de|der|den|zu|da|di|v\.)\s+|\s+){_WORD}(?:\s+{_WORD})?"
)
_EMPHASIS = "em, strong, b, i"
_SIGNED_AFTER = 300  # characters of text before a name alone for it to sign that text
_RIGHT = regex(r"text-align\s*:\s*right", re.I)


def name_alone(tree: LexborHTMLParser) -> str | None:
    """A person's name set alone in emphasis as the last block after the article's text
    ("<p><strong>Marina Mucha</strong></p>"), or in a right-aligned block with notes after it
    ("<p align=right><em>Denis Clerc</em></p>"): the author signing without a byline word.
    A bold subhead is followed by more text, so it never qualifies."""
    for node in tree.css(_EMPHASIS):
        text = clean(node.text(deep=True, separator=" "))
        if len(text) > _BYLINE_MAX or not _NAME_ALONE.fullmatch(text):
            continue
        block = node.parent
        while (
            block is not None and block.tag in _INLINE and clean(block.text(deep=True, separator=" ")) == text
        ):
            block = block.parent
        if (
            block is None
            or block.tag not in ("p", "div")
            or clean(block.text(deep=True, separator=" ")) != text
        ):
            continue
        if _sibling_text(block, before=True) < _SIGNED_AFTER or not in_main(block):
            continue
        attrs = block.attributes
        right = (attrs.get("align") or "").lower() == "right" or bool(_RIGHT.search(attrs.get("style") or ""))
        if right or not _sibling_text(block, before=False):
            return text
    return None


def _sibling_text(node: LexborNode, before: bool) -> int:
    """Characters of text in the siblings before (or after) `node`."""
    total = 0
    sibling = node.prev if before else node.next
    while sibling is not None:
        total += len(
            clean(sibling.text_content if sibling.is_text_node else sibling.text(deep=True, separator=" "))
        )
        sibling = sibling.prev if before else sibling.next
    return total


# ---------------------------------------------------------------- author elements (trafilatura's search)

# trafilatura's extract_author (metadata.AUTHOR_XPATHS, AUTHOR_DISCARD_XPATHS) read on the lexbor tree:
# the same three expressions tried in turn, each over the page in document order, the first
# element whose text (without discarded parts) is 3 to 119 characters long wins. Its XPath
# version copies, prunes and regex-scans an lxml tree: ~17 ms a page against ~1 ms here.
_ELEMENTS = ", ".join(
    f"[{attr}*={value}]"
    for attr, values in {
        "class": ("uthor", "AuthorName", "screenname", "writer", "yline", "byl", "BBL", "username",
                  "channel-name", "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by", "journalist-name"),
        "id": ("uthor", "zuozhe", "bianji", "xiaobian"),
        "itemprop": ("author",),
        "rel": ("author",),
        "data-testid": ("AuthorCard", "AuthorURL"),
        "data-component": ("Byline",),
    }.items()
    for value in values
) + ", author"  # fmt: skip
_TAGS_1 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_CLASS_1 = regex(r"author-?name|AuthorName|authorName")
_TAGS_2 = frozenset({"a", "div", "h3", "h4", "p", "span"})
_ID_2 = regex(r"author|zuozhe|bianji|xiaobian")
_CLASS_2 = regex(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_CLASS_3 = regex(r"[Aa]uthor|screenname|writer|[Bb]yline")
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = regex(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = regex(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)"
    r"|print|category|meta-date|meta-reviewer|time-?read|read(?:ing)?-?time"  # "Tiempo de lectura: 8 minutos"
)
_ELEMENT_TEXT = (3, 120)  # trafilatura's bounds: longer than 2, shorter than 120 characters


def _expression(node: LexborNode) -> int:
    """The first of trafilatura's three author expressions the element matches (3: none)."""
    attrs = node.attributes
    tag, cls, eid = node.tag, attrs.get("class") or "", attrs.get("id") or ""
    itemprop = attrs.get("itemprop") or ""
    if tag == "author" or (
        tag in _TAGS_1
        and (
            attrs.get("rel") == "author"
            or eid == "author"
            or cls == "author"
            or itemprop == "author name"
            or attrs.get("data-testid") in ("AuthorCard", "AuthorURL")
            or _CLASS_1.search(cls)
        )
    ):
        return 0
    if tag in _TAGS_2 and (
        cls in ("byline", "username", "byl", "BBL")
        or "author" in itemprop
        or _ID_2.search(eid)
        or _CLASS_2.search(cls)
    ):
        return 1
    if (
        "Byline" in (attrs.get("data-component") or "")
        or "author" in itemprop
        or "uthor" in eid
        and _ID_3.search(eid)
        or _CLASS_3.search(cls)
    ):
        return 2
    return 3


_ID_3 = regex(r"[Aa]uthor")


def _discarded(node: LexborNode) -> bool:
    tag = node.tag
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS:
        return False
    attrs = node.attributes
    cls, eid = attrs.get("class") or "", attrs.get("id") or ""
    return (
        eid == "comments"
        or cls in ("comments", "title", "date")
        or bool(_DISCARD_ID.search(eid))
        or bool(_DISCARD_CLASS.search(cls))
        or "Figure" in (attrs.get("data-component") or "")
    )


def _kept_text(node: LexborNode, out: list[str]) -> None:
    """The texts under `node` in order, without discarded elements (a stack: pages nest deep)."""
    stack = [node.iter(include_text=True)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.is_text_node:
            out.append(child.text_content or "")
        elif child.tag != "_comment" and not _discarded(child):
            stack.append(child.iter(include_text=True))


def author_element(tree: LexborHTMLParser) -> str | None:
    """The text of the page's author element, "; "-separated names, as trafilatura's
    extract_author gives it, or None."""
    from trafilatura.json_metadata import normalize_authors

    found: list[tuple[int, LexborNode]] = []
    for node in tree.css(_ELEMENTS):
        level = _expression(node)
        if level < 3 and not any(_discarded(p) for p in _ancestors_and_self(node)):
            found.append((level, node))
    for level in range(3):
        for lvl, node in found:
            if lvl != level:
                continue
            parts: list[str] = []
            _kept_text(node, parts)
            text = clean(" ".join(parts))
            if _ELEMENT_TEXT[0] <= len(text) < _ELEMENT_TEXT[1]:
                return normalize_authors(None, text)
    return None


def _ancestors_and_self(node: LexborNode) -> Iterator[LexborNode]:
    p: LexborNode | None = node
    while p is not None:
        yield p
        p = p.parent
