"""Shared fixtures: the bundled rules, the seed pages, and ../shared when it is beside the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.pipeline import Cleaner, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner.load(Settings())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip saying why: CI and developers have it, a bare clone may not."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared holds the gold and the development set)")
    return path
