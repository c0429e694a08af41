"""Benchmarks and benchmark inputs (bench/corpus.py generates a synthetic knowledge base)."""
