"""Dates printed in headlines, bylines and datelines.

Principles (DESIGN.md, "normalize"):

* A year is never guessed. A date printed without a year is ``--MM-DD``.
* An impossible date (month 13, Feb 30, year 3016) is never corrected: the date is
  None and the result carries the flag ``impossible-date``.
* All-numeric dates are read only when the order is certain: ``2016-12-03`` and
  ``2016/12/03`` (year first), ``03.12.2016`` (dotted = day first, the European
  convention; US sites do not print dots). ``12/03/2016`` is read only when one
  part is above 12 or both parts are equal; otherwise the date is None with the
  flag ``ambiguous-date``.

The regexes here are constants of the code (not from a rule file) and have no
nested quantifiers, so the standard ``re`` module is safe for them.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cleaner.cache import regex

IMPOSSIBLE = "impossible-date"
AMBIGUOUS = "ambiguous-date"

# A printed year outside this range is a typo (3016 for 2016), not a date to keep.
MIN_YEAR = 1800
MAX_YEAR = _dt.date.today().year + 1

# fmt: off
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    # English, German, French, Spanish, Italian, Portuguese, Russian (nominative and genitive),
    # with the abbreviations their wire services print.
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen",
        "janeiro", "январь", "января", "янв"),
    2: ("february", "feb", "febr", "februar", "février", "fevrier", "févr", "fevr", "fév", "febrero",
        "febbraio", "fevereiro", "fev", "февраль", "февраля", "фев"),
    3: ("march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo", "março", "marco", "март",
        "марта", "мар"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "апрель", "апреля", "апр"),
    5: ("may", "mai", "mayo", "maggio", "mag", "maio", "май", "мая"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "июнь", "июня", "июн"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "июль", "июля",
        "июл"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "август", "августа", "авг"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "set", "settembre",
        "setembro", "сентябрь", "сентября", "сент", "сен"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out",
         "октябрь", "октября", "окт"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "ноябрь", "ноября", "нояб", "ноя"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dicembre", "dezembro", "декабрь", "декабря", "дек"),
}
MONTHS: dict[str, int] = {name: number for number, names in _MONTH_NAMES.items() for name in names}

# English month names only: used where a stray word must not pass for a month
# (Italian "set", Portuguese "out" are English words).
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
    "sep", "oct", "nov", "dec",
)
ENGLISH_MONTH_NUMBERS: dict[str, int] = {name: MONTHS[name] for name in _ENGLISH_MONTHS}

WEEKDAYS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tues", "tue", "wed", "thurs", "thur", "thu", "fri", "sat", "sun",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
)
# fmt: on


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    """Longest first, so that "December" is not read as "Dec" + "ember"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# Building blocks shared with the dateline rule file ({MONTH} and {WEEKDAY} macros there).
MONTH_ALTERNATION = _alternation(list(MONTHS))
WEEKDAY_ALTERNATION = _alternation(WEEKDAYS)

# fmt: off
# Month names of wire datelines in other scripts: Ukrainian (genitive and nominative), Greek
# (genitive and nominative, with and without accents: capitals drop them), Arabic (Egyptian and
# Gulf, Levantine, Algerian/Tunisian and Moroccan names) and Hindi (both spellings PTI Bhasha and
# UNI Varta print). Kept out of MONTHS: the dateline rule file offers them as macros of their own
# ({MONTH_UK}, {MONTH_EL}, {MONTH_AR}, {MONTH_HI}), so the Latin patterns do not grow.
SCRIPT_MONTH_NAMES: dict[str, dict[int, tuple[str, ...]]] = {
    "uk": {
        1: ("січня", "січень"), 2: ("лютого", "лютий"), 3: ("березня", "березень"),
        4: ("квітня", "квітень"), 5: ("травня", "травень"), 6: ("червня", "червень"),
        7: ("липня", "липень"), 8: ("серпня", "серпень"), 9: ("вересня", "вересень"),
        10: ("жовтня", "жовтень"), 11: ("листопада", "листопад"), 12: ("грудня", "грудень"),
    },
    "el": {
        1: ("ιανουαρίου", "ιανουαριου", "ιανουάριος", "ιανουαριος", "ιαν"),
        2: ("φεβρουαρίου", "φεβρουαριου", "φεβρουάριος", "φεβρουαριος", "φεβ"),
        3: ("μαρτίου", "μαρτιου", "μάρτιος", "μαρτιος", "μαρ"),
        4: ("απριλίου", "απριλιου", "απρίλιος", "απριλιος", "απρ"),
        5: ("μαΐου", "μαιου", "μαϊου", "μάιος", "μαιος", "μαΐ"),
        6: ("ιουνίου", "ιουνιου", "ιούνιος", "ιουνιος", "ιουν"),
        7: ("ιουλίου", "ιουλιου", "ιούλιος", "ιουλιος", "ιουλ"),
        8: ("αυγούστου", "αυγουστου", "αύγουστος", "αυγουστος", "αυγ"),
        9: ("σεπτεμβρίου", "σεπτεμβριου", "σεπτέμβριος", "σεπτεμβριος", "σεπτ", "σεπ"),
        10: ("οκτωβρίου", "οκτωβριου", "οκτώβριος", "οκτωβριος", "οκτ"),
        11: ("νοεμβρίου", "νοεμβριου", "νοέμβριος", "νοεμβριος", "νοε"),
        12: ("δεκεμβρίου", "δεκεμβριου", "δεκέμβριος", "δεκεμβριος", "δεκ"),
    },
    "ar": {
        1: ("يناير", "كانون الثاني", "جانفي"),
        2: ("فبراير", "شباط", "فيفري"),
        3: ("مارس", "آذار"),
        4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل"),
        5: ("مايو", "أيار", "ايار", "ماي"),
        6: ("يونيو", "يونيه", "حزيران", "جوان"),
        7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
        8: ("أغسطس", "اغسطس", "آب", "أوت", "اوت", "غشت"),
        9: ("سبتمبر", "أيلول", "ايلول", "شتنبر"),
        10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"),
        11: ("نوفمبر", "تشرين الثاني", "نونبر"),
        12: ("ديسمبر", "كانون الأول", "كانون الاول", "دجنبر"),
    },
    "hi": {
        1: ("जनवरी",), 2: ("फरवरी", "फ़रवरी"), 3: ("मार्च",), 4: ("अप्रैल", "अप्रेल"), 5: ("मई",),
        6: ("जून",), 7: ("जुलाई",), 8: ("अगस्त",), 9: ("सितंबर", "सितम्बर"),
        10: ("अक्टूबर", "अक्तूबर"), 11: ("नवंबर", "नवम्बर"), 12: ("दिसंबर", "दिसम्बर"),
    },
}
_SCRIPT_MONTHS: dict[str, int] = {
    name: number for table in SCRIPT_MONTH_NAMES.values() for number, names in table.items() for name in names
}
# Day numbers written out: Chinese numerals ("九月二十七日") and the Hindi words PTI Bhasha
# prints for one to nine ("नौ दिसंबर").
_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}
_HINDI_NUMBERS = {"एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6, "छे": 6,
                  "सात": 7, "आठ": 8, "नौ": 9, "दस": 10}
# fmt: on
SCRIPT_MONTH_ALTERNATIONS = {
    script: _alternation([n for names in table.values() for n in names])
    for script, table in SCRIPT_MONTH_NAMES.items()
}


def month_number(name: str) -> int | None:
    """Month number for a printed month name or abbreviation ("Dec.", "Sept", "Dezember", "грудня",
    "ديسمبر", "दिसंबर") or a month printed as a number ("12" in "12月", "九" in "九月", "١٢")."""
    key = " ".join(name.strip().rstrip(".").lower().split())
    found = MONTHS.get(key) or _SCRIPT_MONTHS.get(key)
    return found if found is not None else number_value(key)


def number_value(text: str) -> int | None:
    """A day or month printed as a number: digits of any script ("9", "９", "٩", "९"), Chinese
    numerals up to 39 ("九", "二十七", "廿一") or a Hindi number word ("नौ"); None otherwise."""
    text = text.strip()
    if text.isdecimal():
        return int(text)
    if text in _HINDI_NUMBERS:
        return _HINDI_NUMBERS[text]
    head = text[:1]
    if head in ("廿", "卅"):
        tens: int | None = 2 if head == "廿" else 3
        units = text[1:]
    elif "十" in text:
        before, _, units = text.partition("十")
        tens = 1 if not before else _CJK_DIGITS.get(before)
    else:
        tens, units = 0, text
    if tens is None or len(units) > 1 or (tens == 0 and not units):
        return None
    unit = _CJK_DIGITS.get(units) if units else 0
    return None if unit is None else tens * 10 + unit


_MAX_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Feb 29 exists in some year


def make_date(year: int | None, month: int | None, day: int | None) -> tuple[str | None, list[str]]:
    """ISO date (``YYYY-MM-DD``, or ``--MM-DD`` without a year) and flags.

    Without a year, Feb 29 is accepted (it exists in leap years); an impossible
    date gives ``(None, ["impossible-date"])``.
    """
    if month is None or day is None:
        return None, []
    if not 1 <= month <= 12 or day < 1:
        return None, [IMPOSSIBLE]
    if year is None:
        if day > _MAX_DAYS[month - 1]:
            return None, [IMPOSSIBLE]
        return f"--{month:02d}-{day:02d}", []
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, [IMPOSSIBLE]
    try:
        return _dt.date(year, month, day).isoformat(), []
    except ValueError:
        return None, [IMPOSSIBLE]


@dataclass
class ParsedDate:
    """A date read from text: ``date`` is ISO or None (then ``flags`` says why)."""

    date: str | None
    flags: list[str] = field(default_factory=list)
    has_year: bool = False
    has_time: bool = False


_ORD = r"(?:st|nd|rd|th)?"
_MONTH_RE = rf"(?P<month>{MONTH_ALTERNATION})\.?"
_TZ = (
    r"(?:(?:GMT|UTC)(?:\s?[+-]\s?\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z|"
    r"\(?(?:[ECMP][SD]?T|[A-Z]{2,4}T|IST|MSK|SAST|WIB|WITA|WIT|PKT|HKT|SGT)\)?)"
)
_TIME = rf"\d{{1,2}}(?:[:.h]\d{{2}}(?::\d{{2}})?)?\s?(?:[ap]\.?\s?m\.?)?(?:\s?{_TZ})?"
_TIME_RE = regex(rf"(?i:{_TIME})")

_LABEL = (
    r"(?:(?:last\s+)?updated|(?:first\s+)?published|posted|modified|created|released|"
    r"aktualisiert|veröffentlicht|publié|mis\s+à\s+jour|actualizado|publicado|"
    r"обновлено|опубликовано)(?:\s+(?:at|on|am|le|el))?\s*:?\s*"
)
_LEAD = regex(rf"(?i:{_LABEL})?(?:(?i:{WEEKDAY_ALTERNATION})\.?,?\s+)?")

# Core date forms; each must match the whole remaining text.
_CORE_FORMS: list[re.Pattern[str]] = [
    # Dec 3, 2016 / December 3rd 2016 / Dec. 3
    regex(rf"(?i:{_MONTH_RE}\s?(?P<day>\d{{1,2}}){_ORD},?(?:\s+(?P<year>\d{{4}}))?)"),
    # 3 December 2016 / 3rd of December, 2016 / 3. Dezember 2016 / 3 de diciembre de 2016
    regex(
        rf"(?i:(?P<day>\d{{1,2}}){_ORD}\.?\s?(?:of\s+|de\s+)?{_MONTH_RE},?(?:\s+(?:de\s+)?(?P<year>\d{{4}}))?)"
    ),
    # 2016-12-03 / 2016/12/03 / 2016.12.03, with an optional ISO time
    regex(
        r"(?P<year>\d{4})(?P<s>[-/.])(?P<mnum>\d{1,2})(?P=s)(?P<day>\d{1,2})"
        r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    ),
    # 03.12.2016: dotted numeric dates are day first
    regex(r"(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})"),
]
# 12/03/2016 or 12-03-2016: order unknown, decided below
_NUMERIC_AMBIG = regex(r"(?P<a>\d{1,2})(?P<s>[/-])(?P<b>\d{1,2})(?P=s)(?P<year>\d{4})")
# A time is set off from the date by a comma, a space or " at "/" - "/" | " (not "T10:31" of ISO).
_TRAIL_TIME = regex(rf"(?i:(?:\s*,\s*|\s+(?:(?:at|@|-|–|—|\||/)\s+)?){_TIME})\s*$")
# "02:36 GMT04 March 2021": a zone may run into the day number.
_LEAD_TIME = regex(rf"(?i:{_TIME})(?:\s*[,|/\-–—]\s*|\s+|(?<=[A-Z])(?=\d))")


def _strip_time(text: str) -> tuple[str, bool]:
    """Remove one time of day (with zone) printed before or after the date."""
    m = _TRAIL_TIME.search(text)
    # A bare number is a time only with a colon/dot or am/pm: "Dec 3, 2016" ends in a year.
    if m and m.start() > 0 and re.search(r"[:.h]\d{2}|[ap]\.?\s?m", m.group(), re.I):
        return text[: m.start()].rstrip(" ,"), True
    m = _LEAD_TIME.match(text)
    if m and re.match(r"\d{1,2}[:.h]\d{2}(?![.\d])", text) and m.end() < len(text):
        return text[m.end() :], True
    return text, False


def parse_date(text: str) -> ParsedDate | None:
    """Read ``text`` as one date (optional label, weekday and time); None if it is not one.

    ``"Dec 3, 2016"`` → 2016-12-03; ``"Dec. 10"`` → --12-10; ``"Dec 3, 3016"`` →
    date None, flags ["impossible-date"]; ``"12/03/2016"`` → date None, flags
    ["ambiguous-date"]. The whole text must be the date: "talks on Dec. 10" is None.
    """
    s = " ".join(text.split())
    if not s or len(s) > 80 or not any(c.isdigit() for c in s):
        return None
    s = s[_LEAD.match(s).end() :]  # type: ignore[union-attr]  # (all-optional: always matches)
    s, has_time = _strip_time(s)
    s = s.strip(" ,")
    for form in _CORE_FORMS:
        m = form.fullmatch(s)
        if m is None:
            continue
        groups = m.groupdict()
        month = month_number(groups["month"]) if groups.get("month") else int(groups["mnum"])
        year = int(groups["year"]) if groups.get("year") else None
        date, flags = make_date(year, month, int(groups["day"]))
        return ParsedDate(date, flags, has_year=year is not None, has_time=has_time)
    m = _NUMERIC_AMBIG.fullmatch(s)
    if m is None:
        return None
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    if a == b or (a > 12) != (b > 12):
        day, month = (a, b) if a > 12 or a == b else (b, a)
        date, flags = make_date(year, month, day)
    elif a > 12:  # both above 12: no reading works
        date, flags = None, [IMPOSSIBLE]
    else:
        date, flags = None, [AMBIGUOUS]
    return ParsedDate(date, flags, has_year=True, has_time=has_time)


@dataclass
class TrailingDate:
    """A headline split from the outlet and date printed after it."""

    headline: str
    outlet: str | None = None
    published: str | None = None
    flags: list[str] = field(default_factory=list)


# Where a trailing date can start: ", " (also ",,"), " - ", " – ", " — ", " | ", " · ", "(".
_TAIL_SEP = regex(r",+\s*|\s+[-–—|·•]\s+|\s*\(")
_OUTLET_SEPS = {",": ",", "-": " - ", "–": " – ", "—": " — ", "|": " | ", "·": " · ", "•": " • "}
_OUTLET_WORD = regex(r"(?:[\w.&'’+!-]*[A-Z0-9][\w.&'’+!-]*|of|the|de|du|la|le|el|al|and|&|on|for|in)")


def _looks_like_outlet(segment: str) -> bool:
    """A short name in title case ("Deutsche Welle", "The Times of India", "RT"), not a clause."""
    words = segment.split()
    if not 1 <= len(words) <= 5 or len(segment) > 40:
        return False
    if not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    if segment[-1] in "?!:;\"“”‘’'" or segment[0] in "\"“‘'":
        return False
    return all(_OUTLET_WORD.fullmatch(w) for w in words)


# parse_date takes at most 80 characters once white space is squashed, so a tail holding more
# than _TAIL_MAX_SOLID non-space characters (81, plus the ")" a bracketed date drops) is no date
_TAIL_MAX_SOLID = 81
_SOLID_RUN = regex(rf"(?:\s*\S){{{_TAIL_MAX_SOLID + 1}}}")


def _tail_floor(text: str) -> int:
    """The first position where a trailing date can start: separators before it are skipped
    unparsed, which keeps a long line with many separators linear (each parse copies its tail)."""
    if len(text) <= 2 * _TAIL_MAX_SOLID:
        return 0
    m = _SOLID_RUN.match(text[::-1])
    return len(text) - m.end() if m else 0


def split_trailing_date(headline: str) -> TrailingDate:
    """Move a date printed at the end of a headline (and an outlet just before it) out of it.

    Aggregators print "Headline, Outlet, Dec 3, 2016". Only a date with a year is
    moved: "... in Geneva on Dec. 10" and "Talks, Dec. 10" are left alone (the date
    belongs to the sentence). An impossible date is still split off, with
    published None and the flag ``impossible-date``. The outlet is split off only
    when it uses the same separator as the date (", Outlet, date" or
    " - Outlet - date"), so "Headline — Lavrov, Dec 3, 2016" keeps "— Lavrov".
    """
    text = headline.strip()
    floor = _tail_floor(text)
    for sep in _TAIL_SEP.finditer(text):
        if sep.start() == 0 or sep.end() < floor:
            continue
        tail = text[sep.end() :].strip()
        paren = sep.group().strip() == "("
        if paren:
            if not tail.endswith(")"):
                continue
            tail = tail[:-1]
        parsed = parse_date(tail)
        if parsed is None or not parsed.has_year:
            continue
        head = text[: sep.start()].rstrip(" ,;")
        if not head:
            continue
        result = TrailingDate(head, None, parsed.date, list(parsed.flags))
        mark = sep.group().strip()[:1]
        outlet_sep = None if paren else _OUTLET_SEPS.get(mark)
        if outlet_sep and outlet_sep in head:
            before, _, segment = head.rpartition(outlet_sep)
            segment, before = segment.strip(), before.rstrip(" ,;")
            if len(before.split()) >= 2 and _looks_like_outlet(segment):
                result.headline, result.outlet = before, segment
        return result
    return TrailingDate(headline)


# --- crawl timestamps -------------------------------------------------------------------------

_STAMP_TOKENS = regex(
    r"""
    (?P<space>\s+)
    |(?P<iso>\d{4}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?)
    |(?P<numdate>\d{1,4}[./-]\d{1,2}[./-]\d{2,4})
    |(?P<time>\d{1,2}(?::\d{2}(?::\d{2})?|\.\d{2}(?=\s*(?:[ap]\.?m|[A-Z]{2,4}\b))|h\d{2})
        (?:\s?[ap]\.?\s?m\.?)?|\d{1,2}\s?[ap]\.?m\.?)
    |(?P<relative>\d{1,3}\s?(?:min(?:ute)?s?|hours?|hrs?|h|days?|d|weeks?|months?|years?)\s+ago)
    |(?P<tz>(?:GMT|UTC)(?:\s?[+-]\s?\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}
        |(?-i:[ECMP][SD]?T|[A-Z]{2,4}T|IST|MSK|SAST|WIB|Z)\b)
    |(?P<month>(?:"""
    + _alternation(list(_ENGLISH_MONTHS) + [n for n in MONTHS if len(n) >= 5])
    + r""")\b\.?)
    |(?P<weekday>(?:"""
    + WEEKDAY_ALTERNATION
    + r""")\b\.?)
    |(?P<number>\d{1,4}(?:st|nd|rd|th)?)
    |(?P<label>(?:last\s+)?updated|(?:first\s+)?published|posted|modified|created|edited|released
        |aktualisiert|veröffentlicht|publié|mis\s+à\s+jour|actualizado|publicado|обновлено|опубликовано)
    |(?P<glue>at|on|am|um|le|el|a\s+las|de|of|date|time)\b
    |(?P<punct>[,|:;/\-–—()\[\]·•.@])
    """,
    re.IGNORECASE | re.VERBOSE,
)


@lru_cache(maxsize=1 << 14)  # a site prints the same stamps and labels on page after page
def is_crawl_timestamp(line: str) -> bool:
    """True when the whole line is a date/time stamp, with at most a label ("Updated at:").

    Such lines are page chrome ("02:36 GMT04 March 2021", "12:01 04.03.2021",
    "Published: 4 March 2021, 02:36"); a crawl stamp is not the article's date.
    Conservative: any other word makes it False ("On Thursday" is prose, and a
    bare number like "180" or "2021" is not a stamp).
    """
    s = line.strip().replace("\u00a0", " ")
    if not s or len(s) > 80:
        return False
    kinds: set[str] = set()
    pos = 0
    while pos < len(s):
        m = _STAMP_TOKENS.match(s, pos)
        if m is None or m.end() == pos:
            return False
        kinds.add(m.lastgroup or "")
        pos = m.end()
    if kinds & {"iso", "numdate", "time", "relative"}:
        return True
    if "month" in kinds and "number" in kinds:
        return True
    # A label with nothing after it: "Updated at:" whose value the dump lost.
    return "label" in kinds and kinds <= {"label", "glue", "punct", "space"}
