"""Benchmarks: each `bench_*.py` module here with a `main()` is run by `python -m benchmarks`."""
