"""Inputs: files, folders, JSONL and WARC containers read into pages, and their bytes decoded to text."""
