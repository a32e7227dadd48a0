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
import sys
from pathlib import Path
from typing import Any

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
