"""Errors that stop a run (exit 2) versus reasons a single page is rejected."""

from __future__ import annotations


class RuleError(Exception):
    """A rule file is broken: the run stops before any page is read."""

    def __init__(self, path: str, rule_id: str | None, problem: str) -> None:
        self.path, self.rule_id, self.problem = path, rule_id, problem
        where = f"{path}: rule {rule_id}" if rule_id else path
        super().__init__(f"{where}: {problem}")


class PageRejected(Exception):
    """This page cannot be cleaned; it goes to rejects.jsonl with the reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class ResumeMismatch(Exception):
    """--resume of a spool made by another run (other rules, options or inputs): mixing the two
    would give a corpus cleaned half one way, half the other; the run stops (exit 2)."""

    def __init__(self, out_dir: str, changes: list[str]) -> None:
        self.changes = changes
        super().__init__(
            f"cannot --resume in {out_dir}: the run there was started with other "
            + "; ".join(changes)
            + ". Run again without --resume to start over (the spooled pages are discarded)."
        )
