"""Benchmarks for Self-Assess (`make bench`; not part of `make test`). See bench/run.py."""
