"""Benchmark commands (`python -m judgeflow.benchmarks.<name>`): they print figures, they are not tests."""
