"""Hostile inputs, built on the fly (no binary fixture is committed), each with its expected outcome.

`CASES` is the battery of tests/test_hostile.py: every case writes one input (a page file, a
container, a FIFO, a symlink...) into a folder and says what the run must make of it: the
exact body text of each article it gives in corpus.jsonl, and the reason (and line or record
number) of each reject in rejects.jsonl. Nothing else may come of it.

Every article is different (a generated text of its own), so corpus-wide dedup keeps them all.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cleaner.run.page import DEFAULT_MAX_PAGE_BYTES

# ---------------------------------------------------------------- article texts

_SUBJECTS = [
    "The city council", "The regional government", "The transport minister", "A spokeswoman for the port",
    "The hospital board", "Local farmers", "The school district", "The national weather service",
    "Union leaders", "The central bank", "Fire crews", "The university", "Residents of the old quarter",
    "The opposition party", "Police investigators", "The energy company",
]  # fmt: skip
_VERBS = [
    "approved", "rejected", "questioned", "welcomed", "delayed", "announced", "criticised", "defended",
    "reviewed", "postponed", "funded", "examined",
]  # fmt: skip
_OBJECTS = [
    "a plan to rebuild the northern bridge", "the budget for new buses", "a proposal to close two clinics",
    "new rules for night flights", "the cost of repairing flood damage", "a scheme to plant ten thousand trees",
    "the contract for the harbour dredging", "changes to the water tariff", "a study of air quality near schools",
    "the timetable for the new tram line", "an audit of the pension fund", "plans for a solar farm by the river",
]  # fmt: skip
_WHEN = [
    "on Tuesday evening", "after a long debate", "late on Friday", "at a meeting on Monday",
    "earlier this week", "before the summer recess", "in a statement on Wednesday", "on Thursday morning",
]  # fmt: skip
_TAILS = [
    "officials said", "according to a report published the same day", "despite strong objections",
    "after months of talks", "and promised further details next month", "which surprised many observers",
    "in a vote of nine to four", "to the relief of local businesses",
]  # fmt: skip


@dataclass(frozen=True)
class Article:
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The record's `text`: the paragraphs, no headline."""
        return "\n\n".join(self.paragraphs)

    def dump(self) -> str:
        """As a whole-page text dump: headline, then paragraphs, blank lines between."""
        return "\n\n".join([self.headline, *self.paragraphs]) + "\n"

    def html(self, charset: str | None = None, inner: tuple[str, str] = ("", "")) -> str:
        """As an HTML page; `inner` wraps the paragraphs (deep nesting, a tag with many attributes)."""
        meta = f'<meta charset="{charset}">' if charset else ""
        paragraphs = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        return (
            f"<html><head>{meta}<title>{self.headline}</title></head><body><article>"
            f"<h1>{self.headline}</h1>{inner[0]}{paragraphs}{inner[1]}</article></body></html>"
        )


def english(seed: int, paragraphs: int = 3) -> Article:
    """An English news article of its own: no two seeds give near-duplicates."""
    rnd = random.Random(seed)

    def sentence() -> str:
        return (
            f"{rnd.choice(_SUBJECTS)} {rnd.choice(_VERBS)} {rnd.choice(_OBJECTS)} "
            f"{rnd.choice(_WHEN)}, {rnd.choice(_TAILS)}."
        )

    headline = f"{rnd.choice(_SUBJECTS)} {rnd.choice(_VERBS)} {rnd.choice(_OBJECTS)}"
    body = tuple(" ".join(sentence() for _ in range(3)) for _ in range(paragraphs))
    return Article(headline, body)


RUSSIAN = [
    Article(
        "Городской совет утвердил новый бюджет",
        (
            "Городской совет во вторник вечером утвердил новый бюджет после долгих споров о школах и дорогах.",
            "Члены совета заявили, что план увеличит расходы на общественный транспорт на десять процентов.",
            "Мэр приветствовал решение и пообещал, что первые новые автобусы прибудут до начала лета.",
        ),
    ),
    Article(
        "В порту начался ремонт старого причала",
        (
            "Рабочие в понедельник начали ремонт старого причала, который был закрыт после зимних штормов.",
            "По словам директора порта, работы продлятся три месяца и обойдутся бюджету в сорок миллионов.",
            "Рыбаки надеются, что к осени они снова смогут швартовать свои лодки у восточной стены гавани.",
        ),
    ),
]
JAPANESE = [
    Article(
        "市議会が新しい予算を承認",
        (
            "市議会は火曜日の夜、学校と道路をめぐる長い議論の末に新しい予算を承認した。",
            "議員らは、この計画により来年の公共交通機関への支出が一割増えると述べた。",
            "市長はこの決定を歓迎し、最初の新しいバスが夏までに到着すると約束した。",
        ),
    ),
    Article(
        "港の古い桟橋の修理が始まる",
        (
            "作業員は月曜日、冬の嵐の後に閉鎖されていた古い桟橋の修理を始めた。",
            "港の責任者によると、工事は三か月続き、費用は四千万円に上る見込みだという。",
            "漁業者たちは、秋までに再び港の東側の岸壁に船を係留できることを期待している。",
        ),
    ),
]

# ---------------------------------------------------------------- cases


@dataclass(frozen=True)
class Outcome:
    """What one input must give: (record, exact text) per article, (reason, record) per reject."""

    articles: tuple[tuple[int | None, str], ...] = ()
    rejects: tuple[tuple[str, int | None], ...] = ()
    detail: str = ""  # a phrase every reject's detail holds


@dataclass(frozen=True)
class Hostile:
    name: str  # the input's path inside the folder
    what: str  # one line for the report table
    build: Callable[[Path], None]
    expect: Outcome
    vanish: bool = False  # deleted after the inputs are listed (see test_hostile.vanishing_after_listing)
    root_can_read: bool = True  # False: only a process without CAP_DAC_OVERRIDE is refused


def _bytes(data: bytes) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(data)

    return build


def _with_nuls(text: str, every: int) -> bytes:
    """NUL after every `every` bytes: an odd period puts NULs on both byte parities (not UTF-16)."""
    raw = text.encode()
    return b"".join(raw[i : i + every] + b"\0" for i in range(0, len(raw), every))


def _stray_nuls(text: str) -> bytes:
    raw = text.encode()
    for spot in (40, 200, 420):  # three NULs from a broken crawler, inside words
        raw = raw[:spot] + b"\0" + raw[spot:]
    return raw


def _blob(size: int) -> str:
    """A line of base64-like text (an inlined image in a dump), one "word" of `size` characters."""
    rnd = random.Random(size)
    return "".join(rnd.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", k=size))


def _long_line(article: Article, size: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_text(article.dump() + "\n" + _blob(size) + "\n", encoding="utf-8")

    return build


def big_page(size: int) -> Callable[[Path], None]:
    """A text page of `size` bytes, written in 1 MiB steps (never held whole)."""

    def build(path: Path) -> None:
        line = ("All work and no play makes a very long page. " * 22 + "\n").encode()
        step = line * ((1 << 20) // len(line) + 1)
        with path.open("wb") as fh:
            left = size
            while left > 0:
                fh.write(step[:left])
                left -= min(left, len(step))

    return build


def _gzip_bomb(size: int) -> Callable[[Path], None]:
    """A .gz of `size` bytes once decompressed, about size/1000 on disk, streamed."""

    def build(path: Path) -> None:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b"<p>" + b"x" * ((1 << 20) - 3)
        with path.open("wb") as fh:
            for _ in range(size // len(block)):
                fh.write(packer.compress(block))
            fh.write(packer.flush())

    return build


def _truncated_gzip(article: Article) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        data = gzip.compress(article.html().encode(), mtime=0)
        path.write_bytes(data[: len(data) // 2])

    return build


def deep_html(article: Article, depth: int = 100_000) -> str:
    """The article's paragraphs 100,000 <div>s down (lexbor alone takes ~19 s on it uncapped)."""
    return article.html(inner=("<div>" * depth, "</div>" * depth))


def many_attributes_html(article: Article, count: int = 100_000) -> str:
    attrs = " ".join(f'data-a{i}="{i}"' for i in range(count))
    return article.html(inner=(f"<div {attrs}>", "</div>"))


JSONL_ARTICLES = (english(101), english(102), english(103))


def _jsonl(path: Path) -> None:
    """Four lines: good (html), good (text), one malformed (line 3), good (html)."""
    a, b, c = JSONL_ARTICLES
    lines = [
        json.dumps({"id": "a", "url": "https://example.org/a", "html": a.html()}),
        json.dumps({"id": "b", "text": b.dump()}),
        '{"id": "broken", "html": "<p>cut in the middle',
        json.dumps({"id": "c", "url": "https://example.org/c", "html": c.html()}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


WARC_ARTICLES = (english(201), english(202), english(203))


def warc_bytes(articles: tuple[Article, ...]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for k, article in enumerate(articles):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example.net/story/{k}",
            "response",
            payload=io.BytesIO(article.html().encode()),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"},
        )
        writer.write_record(record)
    return buffer.getvalue()


def _truncated_warc(path: Path) -> None:
    """Three response records, gzip per record; the file ends in the middle of the third."""
    whole = warc_bytes(WARC_ARTICLES)
    two = len(warc_bytes(WARC_ARTICLES[:2]))
    path.write_bytes(whole[: two + (len(whole) - two) // 2])


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # open() would block the run forever


def _symlink(target: str | Path) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.symlink_to(target)

    return build


def _loop_folder(path: Path) -> None:
    """sub/loop points back at the input folder: walked once, never forever."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(path.parent.parent, target_is_directory=True)


def _folder_named_like_a_page(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text(FOLDER_ARTICLE.dump(), encoding="utf-8")


FOLDER_ARTICLE = english(301)


def _locked_file(path: Path) -> None:
    path.write_text(english(401).dump(), encoding="utf-8")
    path.chmod(0)


def _locked_folder(path: Path) -> None:
    path.mkdir()
    (path / "hidden.txt").write_text(english(402).dump(), encoding="utf-8")
    path.chmod(0)


def _mixed_encodings(article: Article) -> bytes:
    """Headline and first paragraph in UTF-8 (the site's template), the rest in windows-1251."""
    first = "\n\n".join([article.headline, article.paragraphs[0]]) + "\n\n"
    rest = "\n\n".join(article.paragraphs[1:]) + "\n"
    return first.encode("utf-8") + rest.encode("cp1251")


EN = {k: english(k) for k in range(1, 12)}

CASES: list[Hostile] = [
    Hostile("empty.txt", "empty page", _bytes(b""), Outcome(rejects=(("empty", None),), detail="0 bytes")),
    Hostile(
        "blank.txt",
        "white space only (tabs, CRLF, no-break and ideographic spaces, zero-width)",
        _bytes(" \n\t\r\n  \u00a0\u3000\u200b\n".encode()),
        Outcome(rejects=(("empty", None),), detail="only white space"),
    ),
    Hostile(
        "binary.txt",
        "binary data (PNG header, random bytes)",
        _bytes(b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(30_000)),
        Outcome(rejects=(("binary", None),), detail="control bytes"),
    ),
    Hostile(
        "picture.html",
        "binary data named .html (JPEG header)",
        _bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(8).randbytes(20_000)),
        Outcome(rejects=(("binary", None),), detail="control bytes"),
    ),
    Hostile(
        "nul-padding.txt",
        "NUL bytes only (a preallocated file)",
        _bytes(b"\0" * 8192),
        Outcome(rejects=(("empty", None),)),
    ),
    Hostile(
        "stray-nuls.txt",
        "an article with three stray NUL bytes",
        _bytes(_stray_nuls(EN[1].dump())),
        Outcome(articles=((None, EN[1].text),)),
    ),
    Hostile(
        "nul-every-7th-byte.txt",
        "text with a NUL as every 7th byte",
        _bytes(_with_nuls(EN[2].dump(), 6)),
        Outcome(rejects=(("binary", None),)),
    ),
    Hostile(
        "utf16-bom.txt",
        "UTF-16 with a BOM (text dump)",
        _bytes(EN[3].dump().encode("utf-16")),
        Outcome(articles=((None, EN[3].text),)),
    ),
    Hostile(
        "utf16-bom.html",
        "UTF-16 with a BOM (HTML)",
        _bytes(EN[4].html().encode("utf-16")),
        Outcome(articles=((None, EN[4].text),)),
    ),
    Hostile(
        "windows-1251.txt",
        "windows-1251 Russian, no declaration",
        _bytes(RUSSIAN[0].dump().encode("cp1251")),
        Outcome(articles=((None, RUSSIAN[0].text),)),
    ),
    Hostile(
        "shift-jis.html",
        "Shift_JIS Japanese HTML, no declaration",
        _bytes(JAPANESE[0].html().encode("shift_jis")),
        Outcome(articles=((None, JAPANESE[0].text),)),
    ),
    Hostile(
        "shift-jis.txt",
        "Shift_JIS Japanese text dump, no declaration",
        _bytes(JAPANESE[1].dump().encode("shift_jis")),
        Outcome(articles=((None, JAPANESE[1].text),)),
    ),
    Hostile(
        "mixed-encodings.txt",
        "UTF-8 headline and paragraph, windows-1251 paragraphs",
        _bytes(_mixed_encodings(RUSSIAN[1])),
        Outcome(articles=((None, RUSSIAN[1].text),)),
    ),
    Hostile(
        "long-line.txt",
        "an article and one 10 MB line (an inlined image)",
        _long_line(EN[5], 10_000_000),
        Outcome(articles=((None, EN[5].text),)),
    ),
    Hostile(
        "too-large.txt",
        "a page over --max-page-bytes (default 20 MiB)",
        big_page(DEFAULT_MAX_PAGE_BYTES + 1),
        Outcome(rejects=(("too-large", None),), detail="--max-page-bytes"),
    ),
    Hostile(
        "bomb.html.gz",
        "a gzip bomb: 100 MB of HTML in 100 KB",
        _gzip_bomb(100 << 20),
        Outcome(rejects=(("too-large", None),), detail="once decompressed"),
    ),
    Hostile(  # below the nesting cap the <p> tags go too: one paragraph, its words kept apart
        "deep.html",
        "HTML nested 100,000 levels deep",
        _bytes(deep_html(EN[6]).encode()),
        Outcome(articles=((None, " ".join(EN[6].paragraphs)),)),
    ),
    Hostile(
        "attributes.html",
        "a tag with 100,000 attributes",
        _bytes(many_attributes_html(EN[7]).encode()),
        Outcome(articles=((None, EN[7].text),)),
    ),
    Hostile(
        "truncated.html.gz",
        "a truncated gzip (.html.gz cut in half)",
        _truncated_gzip(EN[8]),
        Outcome(rejects=(("truncated-gzip", None),), detail="cut short"),
    ),
    Hostile(
        "crawl.jsonl",
        "JSONL: a malformed line 3 among good ones",
        _jsonl,
        Outcome(
            articles=tuple((n, a.text) for n, a in zip((1, 2, 4), JSONL_ARTICLES, strict=True)),
            rejects=(("bad-jsonl-line", 3),),
            detail="not JSON",
        ),
    ),
    Hostile(
        "crawl.warc.gz",
        "WARC cut inside its third record",
        _truncated_warc,
        Outcome(
            articles=((1, WARC_ARTICLES[0].text), (2, WARC_ARTICLES[1].text)),
            rejects=(("truncated-warc", 3),),
            detail="record 3",
        ),
    ),
    Hostile(
        "vanished.txt",
        "a file deleted after the inputs are listed",
        _bytes(EN[9].dump().encode()),
        Outcome(rejects=(("unreadable", None),), detail="No such file"),
        vanish=True,
    ),
    Hostile(
        "pipe.txt",
        "a FIFO named like a page (open would block forever)",
        _fifo,
        Outcome(rejects=(("unreadable", None),), detail="not a regular file"),
    ),
    Hostile(
        "device.txt",
        "a symlink to /dev/zero (a read would never end)",
        _symlink("/dev/zero"),
        Outcome(rejects=(("unreadable", None),), detail="not a regular file"),
    ),
    Hostile(
        "dangling.html",
        "a symlink to nothing",
        _symlink("nowhere.html"),
        Outcome(rejects=(("unreadable", None),), detail="No such file"),
    ),
    Hostile(
        "self-loop.txt",
        "a symlink to itself",
        _symlink("self-loop.txt"),
        Outcome(rejects=(("unreadable", None),), detail="Too many levels of symbolic links"),
    ),
    Hostile(
        "sub/loop",
        "a folder symlink back to the input folder (a loop)",
        _loop_folder,
        Outcome(),
    ),
    Hostile(
        "folder.html",
        "a folder named like a page: walked as a folder",
        _folder_named_like_a_page,
        Outcome(),  # its page is EXTRA_ARTICLES["folder.html/inside.txt"]
    ),
    Hostile(
        "locked.txt",
        "a file without read permission (chmod 000)",
        _locked_file,
        Outcome(rejects=(("unreadable", None),), detail="Permission denied"),
        root_can_read=False,
    ),
    Hostile(
        "locked",
        "a folder without permission (chmod 000): its pages are not lost silently",
        _locked_folder,
        Outcome(rejects=(("unreadable", None),), detail="folder cannot be listed: Permission denied"),
        root_can_read=False,
    ),
]

# what the cases besides CASES put in the folder: the article inside folder.html/
EXTRA_ARTICLES = {"folder.html/inside.txt": FOLDER_ARTICLE.text}


def build_folder(folder: Path, cases: list[Hostile]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        path = folder / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        case.build(path)


def unlock(folder: Path, cases: list[Hostile]) -> None:
    """Give back the permissions the locked cases took (so that pytest can remove the folder)."""
    for case in cases:
        if not case.root_can_read and (folder / case.name).exists():
            (folder / case.name).chmod(0o755)
