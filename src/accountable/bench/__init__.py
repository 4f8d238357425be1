"""The benchmarks: `accountable bench` and the cases it measures on a scratch database."""
