"""An article printed in several boxes of one class (cleaner.extract.continued): the rest of
it is found after the box the extractor kept, and look-alikes are left alone."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from cleaner.extract.continued import box_page, sibling_parts
from cleaner.extract.html import extract_page

BOX = "grid--item body body__container article__body"


def _para(part: int, i: int) -> str:
    return (
        f"Part {part}, paragraph {i}: the council voted again on the river plan late on Tuesday,"
        " and the mayor said the work would start before the spring floods arrive."
    )


def _box(part: int, n: int = 4, cls: str = BOX, title: str = "") -> str:
    head = f"<h2>{title}</h2>" if title else ""
    return f'<div class="{cls}">{head}' + "".join(f"<p>{_para(part, i)}</p>" for i in range(n)) + "</div>"


AD = '<div class="ad"><span class="ad-label">Advertisement</span><div class="ad__slot"></div></div>'
RAIL = '<div class="rail"><div class="most-popular"></div></div>'


def _split_article() -> str:
    """The shape of a Condé Nast story: one box per screen, an advert slot and an empty rail
    between them, a link list of more stories under the last part."""
    more = '<ul><li><a href="/a">Another story entirely</a></li><li><a href="/b">And one more</a></li></ul>'
    return (
        "<html><body><main><article><h1>The river plan</h1>"
        f'<div class="row">{_box(1)}{RAIL}</div>{AD}'
        f'<div class="row">{_box(2)}{RAIL}</div>{AD}'
        f'<div class="row">{_box(3).replace("</div>", more + "</div>")}</div>'
        "</article></main></body></html>"
    )


def _kept(part: int, n: int = 4) -> list[str]:
    return [_para(part, i) for i in range(n)]


def test_the_parts_after_the_kept_box_are_found_in_page_order():
    before, after = sibling_parts(LexborHTMLParser(_split_article()), _kept(1))
    assert before == []
    assert [" ".join(b.text().split())[:16] for b in after] == ["Part 2, paragrap", "Part 3, paragrap"]


def test_parts_before_the_kept_box_are_found_too():
    before, after = sibling_parts(LexborHTMLParser(_split_article()), _kept(2))
    assert [" ".join(b.text().split())[:6] for b in before] == ["Part 1"]
    assert [" ".join(b.text().split())[:6] for b in after] == ["Part 3"]


def test_a_box_is_walked_without_its_link_lists():
    _, after = sibling_parts(LexborHTMLParser(_split_article()), _kept(1))
    text = box_page(after[-1]).body.text()
    assert "Part 3, paragraph 3" in text
    assert "Another story entirely" not in text


def test_posts_of_a_blog_front_page_are_not_one_article():
    page = (
        "<html><body>"
        + "".join(_box(i, cls="entry", title=f"Post {i}") for i in range(1, 4))
        + "</body></html>"
    )
    assert sibling_parts(LexborHTMLParser(page), _kept(1)) == ([], [])


def test_related_stories_with_links_between_are_not_the_article():
    teaser = '<div class="teaser"><a href="/other">Read the other story</a></div>'
    page = f"<html><body>{_box(1, cls='story')}{teaser}{_box(2, cls='story')}</body></html>"
    assert sibling_parts(LexborHTMLParser(page), _kept(1)) == ([], [])


def test_a_heading_between_boxes_parts_them():
    page = (
        f"<html><body>{_box(1, cls='story')}<h2>More from the region</h2>{_box(2, cls='story')}</body></html>"
    )
    assert sibling_parts(LexborHTMLParser(page), _kept(1)) == ([], [])


def test_a_one_paragraph_widget_of_the_same_class_is_not_a_part():
    page = f"<html><body>{_box(1, cls='widget')}{_box(2, n=1, cls='widget')}</body></html>"
    assert sibling_parts(LexborHTMLParser(page), _kept(1)) == ([], [])


def test_the_kept_paragraphs_must_be_children_of_the_repeated_box():
    # a layout grid: the paragraphs sit two levels below the repeated column class
    col = "col-lg-6"
    page = (
        f'<html><body><div class="{col}"><div class="inner">{_box(1, cls="text")}</div></div>'
        f'<div class="{col}"><div class="inner">{_box(2, cls="other")}</div></div></body></html>'
    )
    assert sibling_parts(LexborHTMLParser(page), _kept(1)) == ([], [])


def test_extract_page_adds_the_parts_and_flags_them():
    got = extract_page(_split_article(), url="https://example.org/story/river-plan")
    texts = [b.text for b in got.blocks]
    for part in (1, 2, 3):
        for i in range(4):
            assert _para(part, i) in texts
    assert texts.index(_para(1, 3)) < texts.index(_para(2, 0)) < texts.index(_para(3, 0))
    assert "Another story entirely" not in " ".join(texts)
    assert got.flags[-1] == "extract/continued"  # trafilatura kept one box: the rest came from here
    assert texts.count(_para(2, 0)) == 1
