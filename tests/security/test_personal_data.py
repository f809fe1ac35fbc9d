"""Planted personal data never appears in what leaves the machine (exports, model-endpoint text)."""

from __future__ import annotations

from pathlib import Path

from judgeflow.benchmarks._personal_data import run_planted

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_planted_personal_data_stays_on_the_machine(tmp_path: Path) -> None:
    stats = run_planted(EXAMPLES, tmp_path / "work", tmp_path / "home", cases=4, seed=3)
    assert stats.cases == stats.drafted == 4 and stats.planted >= 40
    assert stats.leaks == {
        "export": 0,
        "export-all": 0,
        "endpoint": 0,
        "endpoint, no ledger": 0,
        "model requests": 0,
    }, stats.examples
    assert stats.refused == 0
    assert stats.model_requests >= 4 * 3  # every model step of every case reached the endpoint
