"""The record's one schema: `record.schema.json` (shipped in the package) says every key of a
corpus or duplicates record and its one type; Parquet columns and `datasets` features are
derived from it, so every output of every run has the same columns with the same types.

JSON has no type for a null, and pyarrow reads an ISO date string as a timestamp: a file
whose `dateline` is always null, or whose `published` values all look like dates, is typed
differently from the next. `features()` gives `datasets.load_dataset("json", ...)` the types.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record (draft 2020-12)."""
    from importlib.resources import files

    return dict(json.loads(files("cleaner.outputs").joinpath("record.schema.json").read_text("utf-8")))


def fields() -> list[str]:
    """The top-level keys, in the order records are written."""
    return list(record_schema()["properties"])


@cache
def arrow_schema() -> Any:
    """The pyarrow schema of a record: struct and list columns, nullable where the schema allows null."""
    import pyarrow as pa

    def arrow_type(spec: dict[str, Any]) -> Any:
        kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        kind = next(k for k in kinds if k != "null")
        if kind == "object":
            return pa.struct([pa.field(k, arrow_type(v)) for k, v in spec["properties"].items()])
        if kind == "array":
            return pa.list_(arrow_type(spec["items"]))
        return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}[
            kind
        ]

    return pa.schema([pa.field(k, arrow_type(v)) for k, v in record_schema()["properties"].items()])


def features() -> Any:
    """The `datasets.Features` of a record, for `load_dataset("json", ..., features=features())`."""
    import datasets

    return datasets.Features.from_arrow_schema(arrow_schema())
