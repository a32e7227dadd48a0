"""Rule files: load and check them once per run, then apply them to the lines of a page.

A rule file is TOML (see rules/README.md). Regexes are compiled with RE2, a
linear-time engine, so no rule a person writes can hang a run on a hostile line.
Every problem in a rule file raises RuleError naming the file and the rule; the
run stops before any page is read.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from cleaner import cache
from cleaner.errors import RuleError
from cleaner.model import Line
from cleaner.text import squash


def bundled_rules() -> Path:
    """The bundled rules: the project's rules/ folder (global, sites, datelines), which
    pyproject.toml maps into the package as `cleaner._rules`: the folder itself in an
    editable install, its copy inside a wheel's package."""
    from importlib.resources import files

    return Path(str(files("cleaner._rules")))


DEFAULT_RULES = bundled_rules()

CATEGORIES = frozenset(
    [
        "navigation",
        "category-label",
        "outlet-label",
        "timestamp",
        "crawl-timestamp",
        "byline",
        "photo-caption",
        "player-widget",
        "share-widget",
        "social-widget",
        "topic-tag",
        "tag-line",
        "related-articles",
        "comments-widget",
        "editor-note",
        "contact-widget",
        "search-widget",
        "translate-widget",
        "newsletter",
        "advertisement",
        "cookie-notice",
        "copyright",
        "paywall",
        "read-more",
        "boilerplate",
    ]
)
MATCHERS = ("line", "regex", "prefix", "suffix", "block", "css")
ACTIONS = ("drop", "strip", "flag")
RULE_KEYS = {"id", "category", "description", "where", "action", "examples", "case", *MATCHERS}

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the error reaches the user through RuleError, not stderr
# A set's automaton holds every rule at once: RE2's 8 MB default can run out on a long line,
# and an RE2 set that runs out of memory reports no match, so it gets room to spare.
_SET_OPTIONS = re2.Options()
_SET_OPTIONS.log_errors = False
_SET_OPTIONS.max_mem = 256 << 20


def compile_regex(pattern: str, path: str, rule_id: str | None, case: bool = True, lazy: bool = False) -> Any:
    """Compile with RE2 or stop the run naming the rule: no backtracking engine for rule text.

    `lazy`: the rule files were checked before (load_rules): compiled when first used."""
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(path, rule_id, "regex must be a non-empty string")
    source = pattern if case else f"(?i){pattern}"
    if lazy:
        return LazyRE2(source)
    try:
        return re2.compile(source, options=_RE2_OPTIONS)
    except Exception as exc:  # re2 raises its own error type
        raise RuleError(path, rule_id, f"regex {pattern!r} does not compile: {re2_message(exc)}") from None


class LazyRE2:
    """A rule's RE2 regex, compiled when a line first needs it (the rules' RE2 sets are built
    from `pattern`, so most rules never compile on their own). `pattern` is the source."""

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: Any = None

    def __getattr__(self, name: str) -> Any:  # search, match, groupindex...: the compiled regex's
        if name.startswith("_"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = re2.compile(self.pattern, options=_RE2_OPTIONS)
        return getattr(self._compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return LazyRE2, (self.pattern,)


def re2_message(exc: BaseException) -> str:
    """RE2's error as text: its message comes as bytes (str() would print b'...')."""
    arg = exc.args[0] if exc.args else exc
    return arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)


@dataclass
class Rule:
    id: str
    category: str
    description: str
    matcher: str  # one of MATCHERS
    action: str
    path: str  # the file it came from
    site: str | None  # None for global rules
    head: int | None = None  # only within the first N non-blank lines of a page
    tail: int | None = None  # only within the last N non-blank lines
    literals: frozenset[str] = frozenset()  # line matcher (squashed, casefolded when case=False)
    case: bool = True
    regex: Any = None  # compiled RE2 for regex/prefix/suffix/block start
    block_end: Any = None
    css: str | None = None
    examples_change: list[tuple[str, str | None]] = field(default_factory=list)
    examples_keep: list[str] = field(default_factory=list)
    pattern: Any = None  # the matcher's value as written in the rule file, for `rules show`

    def matches(self, text: str) -> Any:
        """The match object (or True) when the rule hits this line, else None."""
        if self.matcher == "line":
            key = text if self.case else text.casefold()
            return True if key in self.literals else None
        if self.regex is not None:
            return self.regex.search(text)
        return None

    def in_position(self, index: int, total: int) -> bool:
        if self.head is not None and index >= self.head:
            return False
        return not (self.tail is not None and index < total - self.tail)

    def to_doc(self) -> dict[str, Any]:
        """What `cleaner rules show` prints."""
        return {
            "id": self.id,
            "category": self.category,
            "description": self.description,
            "matcher": self.matcher,
            "match": self.pattern,  # the line(s), regex, prefix, suffix, block or selector
            "case": self.case,
            "action": self.action,
            "site": self.site,
            "file": self.path,
            "where": {k: v for k, v in (("head", self.head), ("tail", self.tail)) if v is not None},
            "examples": {
                "change": [c if r is None else {"line": c, "result": r} for c, r in self.examples_change],
                "keep": self.examples_keep,
            },
        }


@dataclass
class Site:
    name: str
    outlet: str | None
    domains: list[str]
    fingerprints: list[Any]  # compiled RE2: a text dump with no URL is this site when enough match
    min_fingerprints: int
    path: str


@dataclass
class RuleSet:
    rules: list[Rule]
    sites: dict[str, Site]
    digest: str  # sha256 over every rule file: recorded in each record and the manifest
    root: Path
    _compiled: dict[str | None, CompiledRules] = field(default_factory=dict, repr=False)
    _fingerprints: tuple[Any, list[str]] | None = field(default=None, repr=False)

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def for_site(self, site: str | None) -> list[Rule]:
        """The site's own rules first (they know more), then the global ones."""
        own = [r for r in self.rules if site is not None and r.site == site]
        return own + [r for r in self.rules if r.site is None]

    def css_for(self, site: str | None) -> list[str]:
        return [r.css for r in self.for_site(site) if r.matcher == "css" and r.css]

    def detect_site(self, lines: Sequence[str], url: str | None = None) -> Site | None:
        """The site a page comes from: by its URL's domain, else by fingerprints in the dump."""
        if url:
            host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
            for site in self.sites.values():
                if any(host == d or host.endswith("." + d) for d in site.domains):
                    return site
        best: tuple[int, str] | None = None
        found, owners = self.fingerprint_set()
        hits = Counter(owners[i] for i in found.Match("\n".join(lines)) or ())
        for site in self.sites.values():
            count = hits.get(site.name, 0)
            if site.fingerprints and count >= site.min_fingerprints and (best is None or count > best[0]):
                best = (count, site.name)
        return self.sites[best[1]] if best else None

    def fingerprint_set(self) -> tuple[Any, list[str]]:
        """Every site's fingerprints in one RE2 set, with the site each belongs to: a page's
        text is scanned once, not once per fingerprint (measured: 0.19 ms a page before)."""
        if self._fingerprints is None:
            found, owners = re2.Set.SearchSet(_SET_OPTIONS), []
            for site in self.sites.values():
                for fingerprint in site.fingerprints:
                    raw = fingerprint.pattern
                    found.Add(raw if isinstance(raw, str) else raw.decode())
                    owners.append(site.name)
            found.Compile()
            self._fingerprints = (found, owners)
        return self._fingerprints

    def apply(self, lines: list[Line], site: str | None, hits: dict[str, int] | None = None) -> list[str]:
        """Apply global and site rules to the lines in place; returns the flags raised."""
        return self.compiled(site).apply(lines, hits)

    def compiled(self, site: str | None) -> CompiledRules:
        """The rules for a site compiled into one RE2 set, once per process (~0.1 s each)."""
        if site not in self._compiled:
            self._compiled[site] = CompiledRules(self.for_site(site))
        return self._compiled[site]


class CompiledRules:
    """Rules compiled for one site: one RE2 set names every rule a line matches, in one call.

    Measured on the 181 development dumps: one RE2 call per rule per line cost 2.7 s;
    the set costs about 1 µs a line once its automaton is warm. (Joining the rules into
    one pattern scanned over the whole page was slower: the counted repetitions blow up
    the automaton.) Literal lines are a dict lookup.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = [r for r in rules if r.matcher != "css"]
        self.blocks = [r for r in self.rules if r.matcher == "block"]
        self.literals: dict[str, list[int]] = {}
        self.folded: dict[str, list[int]] = {}
        self.set_index: list[int] = []
        self.regex_set = re2.Set.SearchSet(_SET_OPTIONS)
        for i, rule in enumerate(self.rules):
            if rule.matcher == "line":
                table = self.literals if rule.case else self.folded
                for literal in rule.literals:
                    table.setdefault(literal, []).append(i)
            elif rule.matcher != "block":
                raw = rule.regex.pattern
                self.regex_set.Add(raw if isinstance(raw, str) else raw.decode())
                self.set_index.append(i)
        self.regex_set.Compile()

    def candidates(self, text: str, hits: list[int] | None = None) -> list[int]:
        """Indices (in rule order) of the rules whose matcher hits this text; [] for most lines.

        `hits`: the regex set's answer for this text when the caller already has it.
        """
        if hits is None:
            hits = self.regex_set.Match(text)
        literal = self.literals.get(text)
        folded = self.folded.get(text.casefold()) if self.folded else None
        if hits is None and literal is None and folded is None:
            return []
        found = set(literal or ()) | set(folded or ())
        if hits:
            found.update(self.set_index[h] for h in hits)
        return sorted(found)

    def apply(self, lines: list[Line], hits: dict[str, int] | None = None) -> list[str]:
        flags: list[str] = []
        live = [ln for ln in lines if ln.text]
        total = len(live)
        for block in self.blocks:
            _apply_block(block, live, total, hits)
        match, literals, folded = self.regex_set.Match, self.literals, self.folded
        for index, line in enumerate(live):
            if line.removed:
                continue
            text = line.text
            set_hits = match(text)  # most lines: no rule can match, one set call says so
            if set_hits is None and text not in literals and not (folded and text.casefold() in folded):
                continue
            todo = self.candidates(text, set_hits)
            done: set[int] = set()
            while todo:
                todo = [i for i in todo if i not in done and self.rules[i].in_position(index, total)]
                if not todo:
                    break
                done.add(todo[0])
                flag = _act(self.rules[todo[0]], line, hits)
                if flag:
                    flags.append(flag)
                if line.removed:
                    break
                todo = self.candidates(line.text)  # a strip changed the text: ask again
        return flags


def _act(rule: Rule, line: Line, hits: dict[str, int] | None) -> str | None:
    """Do what one rule says to one line it matched; returns a flag for `flag` rules.

    The line is a candidate: the set (which misses rather than errs) found the rule's
    pattern in it, so only a strip needs the match again, for where to cut.
    """
    match: Any = rule.matches(line.text) if rule.action == "strip" else True
    if match is None:
        return None
    if hits is not None:
        hits[rule.id] = hits.get(rule.id, 0) + 1
    if rule.action == "drop":
        line.remove(rule.id, rule.category)
    elif rule.action == "flag":
        return rule.id
    else:  # strip: cut the matched text; an emptied line is removed
        rest = "" if match is True else squash(line.text[: match.start()] + " " + line.text[match.end() :])
        if rest:
            line.flags.append(f"stripped:{rule.id}")
            line.text = rest
        else:
            line.remove(rule.id, rule.category)
    return None


def apply_rules(rules: Iterable[Rule], lines: list[Line], hits: dict[str, int] | None = None) -> list[str]:
    """Mark lines removed (drop), trim them (strip) or raise flags; the first rule to remove a line wins."""
    return CompiledRules(rules).apply(lines, hits)


def _apply_block(rule: Rule, live: list[Line], total: int, hits: dict[str, int] | None) -> None:
    """A block runs from a line matching `start` to one matching `end` (or the page's end)."""
    index = 0
    while index < total:
        line = live[index]
        if line.removed or not rule.in_position(index, total) or not rule.regex.search(line.text):
            index += 1
            continue
        stop = index
        while stop < total and not (
            stop > index and rule.block_end and rule.block_end.search(live[stop].text)
        ):
            stop += 1
        stop = min(stop, total - 1)
        if hits is not None:
            hits[rule.id] = hits.get(rule.id, 0) + 1
        for inner in live[index : stop + 1]:
            inner.remove(rule.id, rule.category)
        index = stop + 1


# ---------------------------------------------------------------- loading and checking


def load_rules(root: Path) -> RuleSet:
    """Read every *.toml under root/global and root/sites; datelines.toml is read by cleaner.dateline."""
    if not root.is_dir():
        raise RuleError(str(root), None, "rules folder does not exist")
    files = sorted(root.glob("global/*.toml")) + sorted(root.glob("sites/*.toml"))
    digest = hashlib.sha256()
    for extra in sorted(root.glob("*.toml")):
        digest.update(extra.name.encode() + b"\0" + extra.read_bytes())
    rules: list[Rule] = []
    sites: dict[str, Site] = {}
    seen: dict[str, str] = {}
    read = [(path, path.read_bytes()) for path in files]
    # Files checked before (same bytes, same RE2 build) are known to compile: their regexes
    # then compile when first used, most never (15 ms of a run's start; cleaner.cache).
    checked_key = cache.digest("rules", cache.module_build(re2._re2), *(raw for _, raw in read))
    lazy = cache.remembered("checked", checked_key)
    for path, raw in read:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + raw)
        rel = str(path)
        try:
            data = cache.load_toml(raw)
        except ValueError as exc:  # tomllib.TOMLDecodeError or UnicodeDecodeError
            raise RuleError(rel, None, f"not valid TOML: {exc}") from None
        unknown = set(data) - {"site", "rule"}
        if unknown:
            raise RuleError(rel, None, f"unknown top-level keys {sorted(unknown)}")
        site_name = None
        if "site" in data:
            site = _parse_site(data["site"], rel, lazy)
            site_name = site.name
            sites[site.name] = site
        elif path.parent.name == "sites":
            raise RuleError(rel, None, "a site file needs a [site] table")
        entries = data.get("rule", [])
        if not isinstance(entries, list):
            raise RuleError(rel, None, "rules must be written as [[rule]] tables")
        for entry in entries:
            rule = _parse_rule(entry, rel, site_name, lazy)
            if rule.id in seen:
                raise RuleError(rel, rule.id, f"duplicate id (also in {seen[rule.id]})")
            seen[rule.id] = rel
            rules.append(rule)
    if not lazy:
        cache.remember("checked", checked_key)
    return RuleSet(rules=rules, sites=sites, digest=digest.hexdigest()[:16], root=root)


def _parse_site(table: Any, path: str, lazy: bool = False) -> Site:
    if not isinstance(table, dict) or not isinstance(table.get("name"), str):
        raise RuleError(path, None, "[site] needs a name")
    domains = table.get("domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise RuleError(path, None, "[site] domains must be a list of strings")
    prints = [
        compile_regex(f"(?m){p}", path, f"site {table['name']} fingerprint", lazy=lazy)
        for p in table.get("fingerprints", [])
    ]
    return Site(
        name=table["name"],
        outlet=table.get("outlet"),
        domains=[d.lower() for d in domains],
        fingerprints=prints,
        min_fingerprints=int(table.get("min_fingerprints", 1)),
        path=path,
    )


def _parse_rule(entry: Any, path: str, site: str | None, lazy: bool = False) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(path, None, "a [[rule]] must be a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError(path, None, "a rule has no id")
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise RuleError(path, rule_id, f"unknown keys {sorted(unknown)}")
    for key in ("category", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RuleError(path, rule_id, f"missing field {key!r}")
    if entry["category"] not in CATEGORIES:
        raise RuleError(path, rule_id, f"unknown category {entry['category']!r} (see rules/README.md)")
    matchers = [m for m in MATCHERS if m in entry]
    if len(matchers) != 1:
        raise RuleError(path, rule_id, f"needs exactly one matcher of {MATCHERS}, has {matchers or 'none'}")
    matcher = matchers[0]
    action = entry.get("action", "drop")
    if action not in ACTIONS:
        raise RuleError(path, rule_id, f"action must be one of {ACTIONS}, not {action!r}")
    case = bool(entry.get("case", True))
    rule = Rule(
        id=rule_id,
        category=entry["category"],
        description=entry["description"].strip(),
        matcher=matcher,
        action=action,
        path=path,
        site=site,
        case=case,
    )
    where = entry.get("where", {})
    if not isinstance(where, dict) or set(where) - {"head", "tail"}:
        raise RuleError(path, rule_id, "where takes head = N and/or tail = N")
    for key, value in where.items():
        if not isinstance(value, int) or value < 1:
            raise RuleError(path, rule_id, f"where.{key} must be a positive integer")
        setattr(rule, key, value)
    value = rule.pattern = entry[matcher]
    if matcher == "line":
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) and v.strip() for v in items):
            raise RuleError(path, rule_id, "line must be a string or a list of strings")
        rule.literals = frozenset(squash(v) if case else squash(v).casefold() for v in items)
    elif matcher == "regex":
        rule.regex = compile_regex(value, path, rule_id, case, lazy)
    elif matcher in ("prefix", "suffix"):
        if not isinstance(value, str) or not value:
            raise RuleError(path, rule_id, f"{matcher} must be a non-empty string")
        escaped = re2.escape(value)
        rule.regex = compile_regex(
            "^" + escaped if matcher == "prefix" else escaped + "$", path, rule_id, case, lazy
        )
    elif matcher == "block":
        if not isinstance(value, dict) or "start" not in value or set(value) - {"start", "end"}:
            raise RuleError(path, rule_id, "block takes start = regex and optionally end = regex")
        rule.regex = compile_regex(value["start"], path, rule_id, case, lazy)
        if "end" in value:
            rule.block_end = compile_regex(value["end"], path, rule_id, case, lazy)
    else:
        if not isinstance(value, str) or not value.strip():
            raise RuleError(path, rule_id, "css must be a selector string")
        if site is None:
            raise RuleError(path, rule_id, "css rules belong in site files (generic selectors cost F1)")
        from cleaner.extract.html import validate_css

        try:
            validate_css(value)
        except ValueError as exc:
            raise RuleError(path, rule_id, str(exc)) from None
        rule.css = value
    _parse_examples(rule, entry.get("examples"), path)
    return rule


def _parse_examples(rule: Rule, examples: Any, path: str) -> None:
    """Each rule carries lines it must change and lines it must leave alone; both run as tests."""
    if not isinstance(examples, dict):
        raise RuleError(path, rule.id, "missing examples (a table with change = [...] and keep = [...])")
    change, keep = examples.get("change"), examples.get("keep")
    if not isinstance(change, list) or not change:
        raise RuleError(path, rule.id, "examples.change needs at least one line the rule must change")
    if not isinstance(keep, list) or not keep:
        raise RuleError(path, rule.id, "examples.keep needs at least one line the rule must leave")
    for item in change:
        if isinstance(item, str):
            rule.examples_change.append((item, None))
        elif isinstance(item, dict) and isinstance(item.get("line"), str):
            rule.examples_change.append((item["line"], item.get("result")))
        else:
            raise RuleError(path, rule.id, "examples.change items are strings or {line, result} tables")
    if not all(isinstance(k, str) for k in keep):
        raise RuleError(path, rule.id, "examples.keep items must be strings")
    rule.examples_keep = list(keep)


def run_example(rule: Rule, text: str) -> Line:
    """Apply one rule alone to one example (a block example is a page of lines split on ' / ')."""
    pieces = text.split("\n") if rule.matcher == "block" else [text]
    lines = [Line(number=i + 1, text=squash(p)) for i, p in enumerate(pieces)]
    apply_rules([rule], lines)
    return lines[0]


def check_examples(rules: Iterable[Rule]) -> list[str]:
    """Run every rule's examples with only that rule on; returns one message per failure."""
    failures = []
    for rule in rules:
        if rule.matcher == "css":  # examples are HTML snippets the selector must (not) find
            from selectolax.lexbor import LexborHTMLParser

            for text, _ in rule.examples_change:
                if not LexborHTMLParser(text).css(rule.css or ""):
                    failures.append(f"{rule.id}: selector should find an element in {text!r}")
            for text in rule.examples_keep:
                if LexborHTMLParser(text).css(rule.css or ""):
                    failures.append(f"{rule.id}: selector should find nothing in {text!r}")
            continue
        for text, result in rule.examples_change:
            line = run_example(rule, text)
            if result is None and not line.removed and rule.action != "flag":
                failures.append(f"{rule.id}: should change {text!r}")
            if result is not None and (line.removed or line.text != squash(result)):
                failures.append(f"{rule.id}: {text!r} gave {line.text!r}, expected {result!r}")
        for text in rule.examples_keep:
            line = run_example(rule, text)
            if line.removed or line.text != squash(text):
                failures.append(f"{rule.id}: should keep {text!r}")
    return failures
