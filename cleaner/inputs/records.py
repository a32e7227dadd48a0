"""Records back from a cleaned corpus (JSONL, also .gz and .zst), one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from cleaner.inputs.streams import open_stream, stream_damage


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Decompressed by extension with the page readers' stream; a damaged file is an error, not a short one."""
    with open_stream(path) as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:  # a cut file ends in half a line
                damage = stream_damage(fh)
                raise ValueError(f"{path}:{number}: {damage[1] if damage else exc}") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            yield record
        damage = stream_damage(fh)
        if damage:
            raise ValueError(f"{path}: {damage[0]} compressed data: {damage[1]}")
