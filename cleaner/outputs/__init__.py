"""Outputs: the writers (JSONL, compressed, Parquet, shards), each file written atomically."""
