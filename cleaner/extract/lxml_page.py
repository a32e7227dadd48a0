"""A page as the lxml tree trafilatura and htmldate would parse from it, made faster.

trafilatura.utils.load_html parses with an lxml.html parser whose element classes are chosen
by a Python method for every element lxml hands to Python (800,000 calls on a third of
trafeval). This parser has the same settings and a C lookup giving lxml.html's HtmlElement
(and its comment, entity and PI classes) for every node: the same tree and the same
extraction (trafilatura's bodies identical on aeb's 181 and trafeval's 945 lean pages); only
the form classes (FormElement, InputElement...) are plain HtmlElements here, and neither
library asks for their form methods. Both libraries take a parsed tree as input.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree
from trafilatura.utils import repair_faulty_html

__all__ = ["parse"]

_PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)  # trafilatura.utils.HTML_PARSER's settings
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse(html: str) -> Any:
    """trafilatura.utils.load_html(html) for a str, step by step, with the faster parser: None
    where it gives None (nothing parsed, or a page not starting like HTML that parses to less
    than two children); raises where it raises."""
    beginning = html[:50].lower()
    dubious = "html" not in beginning
    html = repair_faulty_html(html, beginning)
    tree = None
    from_bytes = False
    try:
        tree = lxml.html.fromstring(html, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _from_bytes(html), True
    except Exception:
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(html: str) -> Any:
    try:
        return lxml.html.fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:
        return None
