"""Output files, written atomically: a temporary name in the same folder, then a rename."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def dumps(record: dict[str, Any]) -> str:
    """One JSON line; key order as built, non-ASCII kept, so output is byte-stable."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Never leave a half-written file under its final name, even if the process is killed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    write_atomic(path, (dumps(r) + "\n" for r in records))


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, [json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"])
