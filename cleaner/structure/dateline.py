"""Parse the dateline that opens a news body line ("HAMBURG/Germany/, December 9. /TASS/.").

The patterns live in ``rules/datelines.toml`` (see its header for the format). They
are compiled with RE2 (linear time: a rule file cannot hang a run), anchored at the
start of the line, and tried in file order: the first pattern whose match passes
the checks below wins, so specific agencies come before the generic forms.

Checks applied to every match, whatever the pattern:

* the place (when there is one) has at least 3 letters (a Chinese character, kana or
  Hangul syllable counting two: "北京", "서울") and is not a label such as "EDITOR'S NOTE"
  or "DEAR ABBY" (the ``[settings]`` lists of the rule file);
* the text after the dateline does not start with a lowercase letter (a dateline
  is followed by a sentence: "US: the meeting ended" is not one);
* a pattern with ``rest = "text"`` needs a paragraph after the dateline (3+ words,
  ending in sentence punctuation, not all capitals) and ``rest = "sentence"`` 6+
  words: this keeps labels and headlines ("EU PANIC: Germany demands ...") out.

Nothing after a dateline needs to be white space: Chinese and Japanese glue the first
sentence to it ("新华社北京12月9日电（记者 张三）国务院...", "【北京共同】中国...").

A date is ``YYYY-MM-DD`` when the dateline prints a year and ``--MM-DD`` when it
does not (a year is never guessed); day, month and year may be printed in any script's
digits, in Chinese numerals or as Hindi number words (:func:`cleaner.dates.number_value`).
An impossible date (Feb 30, year 3016) leaves ``date`` None and puts ``"impossible-date"``
in :attr:`DatelineMatch.flags`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from cleaner import cache, dates
from cleaner.errors import RuleError
from cleaner.model import Dateline
from cleaner.strip.rules import bundled_rules, re2_message

FIELDS = ("place", "country", "month", "day", "year", "agency")
# Group names a pattern may use: a field, optionally with one digit ("day2") so that
# alternatives of one regex (day before or after the month) can each name their group.
_GROUP_NAME = re2.compile(r"(?:place|country|month|day|year|agency)\d?")
# "{NAME}" is a macro; "\\p{L}" (a Unicode class) is not, hence the optional first group.
_MACRO_REF = cache.regex(r"(\\[pP])?\{([A-Z][A-Z0-9_]*)\}")  # plain re: 20x cheaper on this
BUILTIN_MACROS = {
    "MONTH": f"(?i:{dates.MONTH_ALTERNATION})",
    "WEEKDAY": f"(?i:{dates.WEEKDAY_ALTERNATION})",
    **{f"MONTH_{script.upper()}": f"(?i:{alt})" for script, alt in dates.SCRIPT_MONTH_ALTERNATIONS.items()},
}
REST_KINDS = ("any", "text", "sentence")
_CHECKS = "compiles-in-re2,group-names"  # what load_patterns checks of a regex: a new check, a new key
_PATTERN_KEYS = {"id", "description", "regex", "examples", "keep", "rest"}
_EXAMPLE_KEYS = {"line", "raw", "place", "country", "date", "agency", "rest", "flags"}

# Cheap pre-check: every dateline form has one of these in its first 80 characters (Chinese
# "...12月9日电" may have none but its 电; Korean "[서울=뉴시스]", Japanese "【北京共同】").
_MARKS = frozenset("(/:—–―-（【［[=电電讯訊")
_OPENERS = frozenset("(（【［[")
# ... or, with no mark at all, a sentence ending on the place before the date: "КИЇВ. 24 квітня. УНН."
_DOT_DATE = 40
_SPACES = str.maketrans(
    {
        c: " "
        for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
        "\u2008\u2009\u200a\u202f\u205f\u3000\t"
    }
)
# Datelines are short; matching only the head keeps the cost flat on long paragraphs.
_HEAD = 240
_SENTENCE_END = tuple('.!?…"”’»:;')
_NOT_FIRST = frozenset(",;:)]}")  # "WASHINGTON (Sputnik), Svetlana ..." did not end the dateline
_QUOTES = frozenset("\"“‘'«„")


@dataclass(frozen=True)
class DatelineExample:
    """One example of a rule file: a line and what parsing it must give."""

    line: str
    rest: str
    raw: str | None = None
    place: str | None = None
    country: str | None = None
    date: str | None = None
    agency: str | None = None
    flags: tuple[str, ...] = ()


@dataclass
class DatelinePattern:
    """One dateline form of ``rules/datelines.toml``, with its compiled RE2 regex."""

    id: str
    description: str
    regex: Any  # a LazyRegex (RE2, compiled when first used; the module ships no type stubs)
    examples: list[DatelineExample]
    keep: list[str] = field(default_factory=list)
    rest: str = "any"
    not_places: frozenset[str] = frozenset()
    not_place_words: frozenset[str] = frozenset()


@dataclass
class DatelineMatch:
    """A parsed dateline, the body text after it, the pattern that matched and flags."""

    dateline: Dateline
    rest: str
    pattern_id: str
    flags: list[str] = field(default_factory=list)


# --- loading ---------------------------------------------------------------------------------


def _expand(regex: str, macros: dict[str, str], path: str, rule_id: str | None) -> str:
    """Replace ``{NAME}`` references (nested up to 10 deep); an unknown name is an error."""
    for _ in range(10):
        names = [name for escape, name in _MACRO_REF.findall(regex) if not escape]
        if not names:
            return regex
        for name in names:
            if name not in macros:
                raise RuleError(path, rule_id, f"unknown macro {{{name}}}")
        regex = _MACRO_REF.sub(lambda m: m.group(0) if m.group(1) else macros[m.group(2)], regex)
    raise RuleError(path, rule_id, "macros nested more than 10 deep (a macro refers to itself?)")


def _text(value: object) -> str | None:
    """A regex may be one string or a list of strings (joined), so long ones can be commented."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def _options() -> Any:
    options = re2.Options()
    options.max_mem = 64 << 20  # Unicode classes make big programs; the 8 MB default spills the DFA
    options.log_errors = False  # a bad regex becomes a RuleError, not a line on stderr
    return options


def _compile(regex: str, path: str, rule_id: str | None) -> Any:
    try:
        return re2.compile(regex, _options())
    except Exception as exc:  # re2 raises its own error type
        raise RuleError(path, rule_id, f"regex does not compile in RE2: {re2_message(exc)}") from None


class LazyRegex:
    """A pattern's RE2 regex, compiled when a line first needs it.

    Compiling a whole dateline file takes ~0.65 s (every Unicode class inside a counted
    repetition is compiled again for each copy), and a run of a few pages tries one or
    two patterns. `pattern` is the source; everything else is the compiled regex's.
    """

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str, compiled: Any = None) -> None:
        self.pattern = pattern
        self._compiled = compiled

    @property
    def compiled(self) -> Any:
        if self._compiled is None:
            self._compiled = re2.compile(self.pattern, _options())
        return self._compiled

    def match(self, text: str) -> Any:
        return self.compiled.match(text)

    def __getattr__(self, name: str) -> Any:  # search, groupindex...: the compiled regex's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return LazyRegex, (self.pattern,)


def _example(raw: object, path: str, rule_id: str) -> DatelineExample:
    if not isinstance(raw, dict):
        raise RuleError(path, rule_id, "an example must be a table")
    unknown = set(raw) - _EXAMPLE_KEYS
    if unknown:
        raise RuleError(path, rule_id, f"example has unknown field(s) {sorted(unknown)}")
    for key in ("line", "rest"):
        if not isinstance(raw.get(key), str):
            raise RuleError(path, rule_id, f"example is missing field '{key}'")
    for key in ("raw", "place", "country", "date", "agency"):
        if key in raw and not isinstance(raw[key], str):
            raise RuleError(path, rule_id, f"example field '{key}' must be a string")
    flags = raw.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise RuleError(path, rule_id, "example field 'flags' must be a list of strings")
    return DatelineExample(
        line=raw["line"],
        rest=raw["rest"],
        raw=raw.get("raw"),
        place=raw.get("place"),
        country=raw.get("country"),
        date=raw.get("date"),
        agency=raw.get("agency"),
        flags=tuple(flags),
    )


def _words(value: object, path: str, key: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(path, None, f"settings.{key} must be a list of strings")
    return frozenset(_fold(v) for v in value)


def load_patterns(path: Path) -> list[DatelinePattern]:
    """Read and check a dateline rule file; any problem raises RuleError naming file and id."""
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RuleError(where, None, f"cannot read: {exc}") from None
    # A file checked before (same bytes, same RE2 build) is known to compile: its regexes
    # then compile only when a line needs them (cleaner.cache); its patterns, as they were
    # made then (no checks, no macros to expand), may be remembered too.
    entry_key = cache.digest("datelines", _CHECKS, cache.module_build(re2._re2), raw)
    checked = cache.remembered("checked", entry_key)
    loaded_key = cache.digest("dateline-patterns", entry_key, repr(BUILTIN_MACROS))
    known = _remembered_patterns(loaded_key) if checked else None
    if known is not None:
        return known
    try:
        data = cache.load_toml(raw)
    except UnicodeDecodeError as exc:
        raise RuleError(where, None, f"cannot read: {exc}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError (tomllib is imported only to parse)
        raise RuleError(where, None, f"invalid TOML: {exc}") from None

    macros = dict(BUILTIN_MACROS)
    for name, value in (data.get("macros") or {}).items():
        if name in BUILTIN_MACROS:
            raise RuleError(where, None, f"macro {name} is built in and cannot be redefined")
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            raise RuleError(where, None, f"macro {name}: needs an UPPER_CASE name and a string value")
        macros[name] = value
    settings = data.get("settings") or {}
    not_places = _words(settings.get("not_places", []), where, "not_places")
    not_place_words = _words(settings.get("not_place_words", []), where, "not_place_words")

    entries = data.get("pattern")
    if not isinstance(entries, list) or not entries:
        raise RuleError(where, None, "no [[pattern]] entries")
    patterns: list[DatelinePattern] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(rule_id, str) or not rule_id:
            raise RuleError(where, f"pattern #{index + 1}", "missing field 'id'")
        assert isinstance(entry, dict)
        if rule_id in seen:
            raise RuleError(where, rule_id, "duplicate id")
        seen.add(rule_id)
        unknown = set(entry) - _PATTERN_KEYS
        if unknown:
            raise RuleError(where, rule_id, f"unknown field(s) {sorted(unknown)}")
        for key in ("description", "regex", "examples"):
            if key not in entry:
                raise RuleError(where, rule_id, f"missing field '{key}'")
        if not isinstance(entry["description"], str) or not entry["description"].strip():
            raise RuleError(where, rule_id, "description must be a non-empty string")
        source = _text(entry["regex"])
        if source is None:
            raise RuleError(where, rule_id, "regex must be a string or a list of strings")
        expanded = _expand(source, macros, where, rule_id)
        regex = LazyRegex(expanded) if checked else LazyRegex(expanded, _compile(expanded, where, rule_id))
        for group in () if checked else regex.groupindex:
            if not _GROUP_NAME.fullmatch(group):
                raise RuleError(
                    where, rule_id, f"unknown group name '{group}' (allowed: {', '.join(FIELDS)})"
                )
        rest = entry.get("rest", "any")
        if rest not in REST_KINDS:
            raise RuleError(where, rule_id, f"rest must be one of {REST_KINDS}")
        examples = entry["examples"]
        if not isinstance(examples, list) or not examples:
            raise RuleError(where, rule_id, "needs at least one example")
        keep = entry.get("keep", [])
        if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
            raise RuleError(where, rule_id, "keep must be a list of strings")
        patterns.append(
            DatelinePattern(
                id=rule_id,
                description=entry["description"].strip(),
                regex=regex,
                examples=[_example(e, where, rule_id) for e in examples],
                keep=list(keep),
                rest=rest,
                not_places=not_places,
                not_place_words=not_place_words,
            )
        )
    if not checked:
        cache.remember("checked", entry_key)
    _remember_patterns(loaded_key, patterns)
    return patterns


def _remember_patterns(key: str, patterns: list[DatelinePattern]) -> None:
    """A checked file's patterns as load_patterns made them (macros expanded), for the next
    run: reading them back costs 2 ms, checking and expanding the file again ~12 ms."""
    import dataclasses
    import marshal

    rows = []
    for p in patterns:
        row = dataclasses.asdict(dataclasses.replace(p, regex=None))
        row.update(
            regex=p.regex.pattern, not_places=sorted(p.not_places), not_place_words=sorted(p.not_place_words)
        )
        rows.append(row)
    cache.remember("dateline-patterns", key, marshal.dumps(rows))


def _remembered_patterns(key: str) -> list[DatelinePattern] | None:
    """The patterns _remember_patterns kept under this key, or None (absent or unreadable)."""
    import marshal

    value = cache.recall("dateline-patterns", key)
    if not value:
        return None
    try:
        out = []
        for row in marshal.loads(value):
            examples = [DatelineExample(**{**e, "flags": tuple(e["flags"])}) for e in row["examples"]]
            fields = {**row, "examples": examples, "regex": LazyRegex(row["regex"])}
            fields.update(
                not_places=frozenset(row["not_places"]), not_place_words=frozenset(row["not_place_words"])
            )
            out.append(DatelinePattern(**fields))
        return out
    except (ValueError, TypeError, KeyError, AttributeError, EOFError):
        return None


# --- parsing ---------------------------------------------------------------------------------

# Lowercase inside a title-cased place name ("Rio de Janeiro", "Port-au-Prince", "Frankfurt am Main").
_PARTICLES = frozenset(
    {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "des", "la", "le", "les", "es", "el", "y",
     "am", "an", "der", "im", "upon", "on", "sur", "au", "aux", "en", "of", "and"}
)  # fmt: skip


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def _title_part(part: str, first: bool) -> str:
    lower = part.lower()
    if not first and lower in _PARTICLES:
        return lower
    if len(part) > 2 and part[1] in "'’" and part[0].isalpha():  # N'DJAMENA, D'ALENE
        head = part[0].upper() if first or lower[0] not in "dl" else lower[0]
        return head + part[1] + part[2:].capitalize()
    if lower.startswith("mc") and len(part) > 3:  # McALLEN, MCLEAN
        return "Mc" + part[2:].capitalize()
    return part.capitalize()


def title_place(place: str) -> str:
    """Title case for a place printed in capitals ("RIO DE JANEIRO" → "Rio de Janeiro").

    A place that already has lowercase letters is returned as printed ("McALLEN"
    aside, whose "Mc" is the only lowercase AP prints in a capitalised place).
    """
    letters = place[2:] if place.startswith("Mc") else place
    if any(c.islower() for c in letters):
        return place
    return "/".join(_title_words(one) for one in place.split("/"))  # "BRUSSELS/PARIS"


def _title_words(place: str) -> str:
    words = []
    for i, word in enumerate(place.split()):
        parts = word.split("-")
        words.append("-".join(_title_part(p, i == 0 and j == 0) for j, p in enumerate(parts)))
    return " ".join(words)


def _groups(match: Any) -> dict[str, str]:
    """Fold "day2" into "day" etc.: the first group of each field that took part wins."""
    out: dict[str, str] = {}
    for name, value in match.groupdict().items():
        if value is None:
            continue
        base = name.rstrip("0123456789")
        out.setdefault(base, " ".join(value.split()))
    return out


_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿ")


def _letters(text: str) -> int:
    """Letters, a Chinese character, kana or Hangul syllable counting two: "北京" and "서울" are
    whole names where "US" is an acronym."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text if c.isalpha())


def _place_ok(place: str, pattern: DatelinePattern) -> bool:
    """Refuse labels and acronyms: "DEAR ABBY", "EDITOR'S NOTE", "US", "SPD" (no vowel)."""
    if _letters(place) < 3:
        return False
    if " " not in place and place.isascii() and _VOWELS.isdisjoint(place.lower()):
        return False
    folded = _fold(place)
    if folded in pattern.not_places:
        return False
    return not any(w.strip(".,:") in pattern.not_place_words for w in folded.split())


def _rest_ok(rest: str, kind: str) -> bool:
    """A dateline is followed by a paragraph of prose, never by a lowercase word.

    "text" and "sentence" are for forms without an agency, where a label or a headline
    can look the same ("EU PANIC: Germany demands ...", "THE POINT -- NOW ON YOUTUBE!"):
    the rest must read as a paragraph: capital/digit/quote first, 3+ words (6+ for
    "sentence"), sentence punctuation at the end, not all capitals.
    """
    if rest[:1].islower() or rest[:1] in _NOT_FIRST:
        return False
    if kind == "any":
        return True
    words = rest.split()
    if len(words) < (6 if kind == "sentence" else 3) or not rest.endswith(_SENTENCE_END):
        return False
    if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _QUOTES):
        return False
    return any(c.islower() for c in rest)


def _build(pattern: DatelinePattern, text: str, match: Any) -> DatelineMatch | None:
    end = match.end()
    if len(text) > _HEAD and end >= _HEAD:
        return None  # the match ran into the cut: not a dateline
    groups = _groups(match)
    rest = text[end:].strip()
    place = groups.get("place")
    if place is not None and place.endswith(".") and "." not in place.split()[-1][:-1]:
        place = place[:-1]  # "MOSCOW. Dec 9" (Interfax); "D.C." keeps its dot
    if place is not None and not _place_ok(place, pattern):
        return None
    if not _rest_ok(rest, pattern.rest):
        return None
    raw = " ".join(text[match.start() : end].split())
    if place is None and "month" not in groups and not rest and raw[-1:] not in "-–—―":
        return None  # "(AP)" alone is a photo credit, not a dateline
    country = groups.get("country")
    if country is not None and _fold(country).rstrip(".") in dates.WEEKDAYS:
        country = None  # "WASHINGTON, Tuesday, Dec. 9": a weekday, not a region
    date: str | None = None
    flags: list[str] = []
    if "month" in groups and "day" in groups:
        # Digits of any script ("９", "٩") and numbers written out ("二十七", "नौ") count.
        year = dates.number_value(groups["year"]) if "year" in groups else None
        day = dates.number_value(groups["day"])
        date, flags = dates.make_date(year, dates.month_number(groups["month"]), day)
    dateline = Dateline(
        raw=raw,
        place=title_place(place) if place else None,
        country=country,
        date=date,
        agency=groups.get("agency"),
    )
    return DatelineMatch(dateline, rest, pattern.id, flags)


def _candidate(text: str) -> bool:
    """Quick reject: a dateline starts with a capital (or a letter of a script without case:
    "新华社", "القاهرة"), a digit or a bracket, and has a mark early on."""
    first = text[:1]
    if not ((first.isalpha() and not first.islower()) or first.isdigit() or first in _OPENERS):
        return False
    if not _MARKS.isdisjoint(text[:80]):
        return True
    dot = text.find(". ", 0, _DOT_DATE)
    return dot > 0 and text[dot + 2 : dot + 3].isdigit()


_SETS: dict[tuple[str, ...], Any] = {}
# the set of a list of patterns already seen, by the list's identity (the entry holds the list,
# so its id is not reused): building the key of _SETS costs more than the set call it precedes
_SET_OF_LIST: dict[int, tuple[Sequence[DatelinePattern], int, Any]] = {}


def _set_options() -> Any:
    options = _options()
    options.max_mem = 256 << 20  # the union of every pattern's Unicode classes
    return options


def _possible(head: str, patterns: Sequence[DatelinePattern]) -> list[DatelinePattern]:
    """The patterns that may match at the start of `head` (every one that does, maybe a
    few more), found with one RE2 set call; only these are compiled and tried.

    Measured: trying the 29 patterns one by one cost 80 µs a line; the set, 5 µs.
    """
    hits = pattern_set(patterns).Match(head)
    return [patterns[i] for i in sorted(hits)] if hits else []


def pattern_set(patterns: Sequence[DatelinePattern]) -> Any:
    """A loose copy of every pattern (relaxed_regex) in one RE2 set, once per process.

    The set only says which patterns to try, so it may say too many, never too few: the
    copies match every line their pattern does. Compiling it takes ~0.2 s where the
    patterns themselves take ~0.65 s.
    """
    seen = _SET_OF_LIST.get(id(patterns))
    if seen is not None and seen[0] is patterns and seen[1] == len(patterns):
        return seen[2]
    key = tuple(str(p.regex.pattern) for p in patterns)
    found = _SETS.get(key)
    if found is None:
        found = re2.Set.MatchSet(_set_options())
        for source in key:
            try:
                found.Add(relaxed_regex(source))
            except Exception:  # a loose copy RE2 refuses: the pattern itself is a copy too
                found.Add(source)
        found.Compile()
        _SETS[key] = found
    _SET_OF_LIST[id(patterns)] = (patterns, len(patterns), found)
    return found


def compile_all(patterns: Sequence[DatelinePattern]) -> None:
    """Compile every pattern and the set now: done before workers fork, so they share it."""
    pattern_set(patterns)
    for pattern in patterns:
        getattr(pattern.regex, "compiled", None)


# A Unicode class stands for one character; the loose copy takes a cheap class that holds
# it: the ASCII members the class has (letters only), and anything beyond ASCII.
_BEYOND_ASCII = r"\x{80}-\x{10FFFF}"
_ASCII_MEMBERS = {"Lu": "A-Z", "Lt": "", "Ll": "a-z", "L": "A-Za-z", "Lm": "", "Lo": "",
                  "M": "", "Mn": "", "Mc": "", "Me": ""}  # fmt: skip
_ANY = r"\x00-\x{10FFFF}"


def relaxed_regex(regex: str) -> str:
    """`regex` with each Unicode class (\\p{Lu}, \\pL...) widened to a cheap class that holds it.

    What makes the patterns slow to compile is their Unicode classes, compiled again for
    every copy a counted repetition makes; a class of two ranges costs next to nothing. The
    result matches every string `regex` matches. Where widening could narrow instead (a
    class inside [^...], \\P{..}) or the syntax is not followed (\\Q...\\E), `regex` comes
    back unchanged.
    """
    out: list[str] = []
    i, n, in_class, negated = 0, len(regex), False, False
    while i < n:
        c = regex[i]
        if c == "\\" and i + 1 < n:
            kind = regex[i + 1]
            if kind == "Q" or kind == "P" or (kind == "p" and in_class and negated):
                return regex
            if kind != "p":
                out.append(regex[i : i + 2])  # an escape, copied whole: \\[ is no class
                i += 2
                continue
            if regex.startswith("{", i + 2):
                end = regex.find("}", i + 3)
                if end < 0:
                    return regex
                name, i = regex[i + 3 : end], end + 1
            else:
                name, i = regex[i + 2 : i + 3], i + 3
            ascii_members = _ASCII_MEMBERS.get(name)
            loose = _ANY if ascii_members is None else ascii_members + _BEYOND_ASCII
            out.append(loose if in_class else f"[{loose}]")
        elif in_class:
            if regex.startswith("[:", i):  # [[:alpha:]] inside a class
                end = regex.find(":]", i + 2)
                if end < 0:
                    return regex
                out.append(regex[i : end + 2])
                i = end + 2
                continue
            in_class = c != "]"
            out.append(c)
            i += 1
        elif c == "[":
            j = i + 1
            negated = regex.startswith("^", j)
            j += negated
            j += regex.startswith("]", j)  # "[]a]": a first "]" is a member
            out.append(regex[i:j])
            in_class, i = True, j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def match_dateline(line: str, patterns: Sequence[DatelinePattern]) -> DatelineMatch | None:
    """Full result of the first pattern that parses ``line``: dateline, rest, pattern id, flags.

    Unicode spaces (no-break, thin, ...) are read as plain spaces, in ``raw`` and ``rest`` too.
    """
    # One for one, so positions hold (RE2's \\s is ASCII only).
    text = line.translate(_SPACES).strip()
    if not _candidate(text):
        return None
    head = text[:_HEAD]
    for pattern in _possible(head, patterns):
        match = pattern.regex.match(head)
        if match is None:
            continue
        result = _build(pattern, text, match)
        if result is not None:
            return result
    return None


def parse_dateline(line: str, patterns: Sequence[DatelinePattern]) -> tuple[Dateline, str] | None:
    """The dateline that opens ``line`` and the body text after it, or None.

    Use :func:`match_dateline` to also get the pattern id and the flags
    (``"impossible-date"`` when the printed date cannot exist).
    """
    result = match_dateline(line, patterns)
    return None if result is None else (result.dateline, result.rest)


def example_failures(pattern: DatelinePattern, patterns: Sequence[DatelinePattern]) -> list[str]:
    """What is wrong with one pattern's examples, run with the whole file loaded (order matters)."""
    failures = []
    for example in pattern.examples:
        got = match_dateline(example.line, patterns)
        if got is None:
            failures.append(f"{pattern.id}: {example.line!r} does not parse")
            continue
        d = got.dateline
        want = {
            "pattern": pattern.id,
            "place": example.place,
            "country": example.country,
            "date": example.date,
            "agency": example.agency,
            "rest": example.rest,
            "flags": list(example.flags),
        }
        have = {
            "pattern": got.pattern_id,
            "place": d.place,
            "country": d.country,
            "date": d.date,
            "agency": d.agency,
            "rest": got.rest,
            "flags": got.flags,
        }
        if example.raw is not None:
            want["raw"], have["raw"] = example.raw, d.raw
        wrong = [f"{k}={have[k]!r} (want {want[k]!r})" for k in want if have[k] != want[k]]
        if wrong:
            failures.append(f"{pattern.id}: {example.line!r}: " + ", ".join(wrong))
    for line in pattern.keep:
        got = match_dateline(line, patterns)
        if got is not None:
            failures.append(f"{pattern.id}: keep {line!r} parses as {got.dateline.raw!r} ({got.pattern_id})")
    return failures


def check_pattern_examples(patterns: Sequence[DatelinePattern]) -> list[str]:
    """Every example and keep line of every pattern; one message per failure (``cleaner rules test``)."""
    return [failure for pattern in patterns for failure in example_failures(pattern, patterns)]


DEFAULT_RULES = bundled_rules() / "datelines.toml"
