"""Scorecards: the metrics engine, its rollups and benchmarks (SPEC §4)."""
