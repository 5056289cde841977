"""Benchmarks: speed goals measured here, not in timed tests (see docs/benchmarks.md)."""
