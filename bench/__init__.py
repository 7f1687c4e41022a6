"""Benchmarks that print ratios measured in one run (issue 7): `make bench`, or `BENCH_SMOKE=1 make bench`."""
