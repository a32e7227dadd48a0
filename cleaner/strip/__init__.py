"""Stripping: rule files and generic heuristics mark each chrome line with the id that removed it."""
