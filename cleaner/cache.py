"""The user's cache folder: answers that are slow to get and safe to remember across runs.

An entry's name is a digest of everything its answer depends on (the rule file's bytes,
the engine's build, the cleaner's version), so a stale entry is never found, only left
behind. An entry that cannot be read counts as absent and one that cannot be written is
skipped: the cache saves time and never changes an answer. Entries are written atomically
(temporary name, then rename). The folder is $XDG_CACHE_HOME/news-corpus-cleaner (else
~/.cache/...); CLEANER_CACHE=off turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Any, AnyStr

from cleaner.version import __version__

APP = "news-corpus-cleaner"


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off (or no absolute folder is known)."""
    if os.environ.get("CLEANER_CACHE", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / APP if os.path.isabs(base) else None  # the XDG spec ignores relative paths


def digest(*parts: str | bytes) -> str:
    """The key of an entry: every part it depends on, plus the Python and cleaner versions."""
    h = hashlib.sha256()
    for part in (sys.version, __version__, *parts):
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def module_build(module: object) -> str:
    """What identifies an installed library's build: its file's path, size and mtime (an
    upgrade or reinstall changes them), read without the cost of importlib.metadata."""
    path = str(getattr(module, "__file__", "") or "")
    try:
        stat = os.stat(path)
    except OSError:
        return path
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def remembered(kind: str, key: str) -> bool:
    """True when an entry for this key was written before (a readable one, naming the key)."""
    return recall(kind, key) == b""


def remember(kind: str, key: str, value: bytes = b"") -> None:
    """Write the entry for this key (with a value, or none: remembered() asks only whether it
    was written); any failure (read-only home, full disk) is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile  # only when writing: most runs read the cache, and tempfile costs ~8 ms to import

    try:
        (folder / kind).mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder / kind, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(key.encode("ascii") + (b"\n" + value if value else b""))
            os.replace(tmp, folder / kind / key)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def recall(kind: str, key: str) -> bytes | None:
    """The value remembered for this key (b"" for an entry without one), or None when there is
    no readable entry naming the key."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / kind / key).read_bytes()
    except OSError:
        return None
    head, newline, value = data.partition(b"\n")
    return value if head == key.encode("ascii") and (value or not newline) else None


def load_toml(raw: bytes) -> dict[str, Any]:
    """tomllib.loads of a rule file's bytes, remembered as JSON (30 ms for the rules and
    datelines files in pure-Python tomllib, 1 ms to read back). Raises what tomllib and the
    UTF-8 decoding raise; only a file that parsed, into JSON's types, is remembered."""
    import json

    key = digest("toml", raw)
    cached = recall("toml", key)
    if cached:
        try:
            data = json.loads(cached)
            if isinstance(data, dict):
                return data
        except ValueError:
            pass
    import tomllib

    data = tomllib.loads(raw.decode("utf-8"))
    try:
        value = json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):  # a TOML date or time, inf or nan: not worth remembering
        return data
    remember("toml", key, value)
    return data


# ---------------------------------------------------------------- compiled regexes

# Python compiles a regex in Python code (re._parser, re._compiler): the cleaner's own
# module-level regexes cost ~60% of its import time (0.04-0.07 s a process here). What the
# compiler makes (the pattern's code words, groups, flags) is remembered in one entry and
# handed straight to _sre.compile, the step re.compile ends with; the result is the same
# re.Pattern (== compares pattern, flags and code, and is checked before an entry is kept).
_REGEX_KIND = "regex"
_regex_table: dict[tuple[str | bytes, int], tuple[Any, ...]] | None = None
_regex_new: dict[tuple[str | bytes, int], tuple[Any, ...]] = {}


def _regex_key() -> str:
    import _sre

    return digest("regex", str(_sre.MAGIC), str(getattr(_sre, "CODESIZE", "")))


def _load_regexes() -> dict[tuple[str | bytes, int], tuple[Any, ...]]:
    global _regex_table
    if _regex_table is None:
        _regex_table = {}
        value = recall(_REGEX_KIND, _regex_key())
        if value:
            import marshal

            try:
                loaded = marshal.loads(value)
                if isinstance(loaded, dict):
                    _regex_table = loaded
            except (ValueError, EOFError, TypeError):
                pass
    return _regex_table


def _save_regexes() -> None:
    """At exit, when this process compiled regexes the entry did not hold: the entry with them."""
    if _regex_new:
        import marshal

        try:
            value = marshal.dumps({**_load_regexes(), **_regex_new})
        except ValueError:  # a value marshal cannot write: nothing remembered
            return
        remember(_REGEX_KIND, _regex_key(), value)


def regex(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """re.compile(pattern, flags), from the user's cache folder when this Python compiled it
    before (microseconds instead of milliseconds); the cache off, an entry unreadable or an
    unknown Python: re.compile itself."""
    import _sre

    key = (pattern, int(flags))
    known = _load_regexes().get(key) if cache_dir() is not None else None
    if known is not None:
        try:
            compiled: re.Pattern[AnyStr] = _sre.compile(pattern, *known)
            return compiled
        except Exception:  # an entry from another build: compiled below
            pass
    expected = re.compile(pattern, flags)
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, int(flags))
        groups = parsed.state.groupdict
        index = [None] * parsed.state.groups
        for name, number in groups.items():
            index[number] = name
        code = [int(word) for word in _compiler._code(parsed, int(flags))]  # some are named int constants
        made = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(groups), tuple(index))
        if _sre.compile(pattern, *made) == expected:
            if not _regex_new:
                import atexit

                atexit.register(_save_regexes)
            _regex_new[key] = made
    except Exception:  # internals of another Python: nothing remembered
        pass
    return expected
