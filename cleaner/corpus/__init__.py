"""Corpus-wide steps: dedup, repeated lines per site, the plan over spooled chunks, per-site tallies."""
