"""Extraction (HTML only): the page tree pruned and cut into article blocks, and the page's metadata."""
