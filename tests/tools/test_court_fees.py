"""案件受理费 under 《诉讼费用交纳办法》第十三条, each bracket on its own slice, halved under 简易程序."""

from __future__ import annotations

from decimal import Decimal

import pytest
from judgeflow.tools import ToolInputError
from judgeflow.tools.court_fees import acceptance_fee


@pytest.mark.parametrize(
    ("amount", "full", "halved"),
    [
        ("0", "50", "25"),
        ("5000", "50", "25"),
        ("10000", "50", "25"),
        ("50000", "1050", "525"),
        ("100000", "2300", "1150"),
        ("150000", "3300", "1650"),
        ("200000", "4300", "2150"),
        ("500000", "8800", "4400"),
        ("1000000", "13800", "6900"),
        ("2000000", "22800", "11400"),
        ("5000000", "46800", "23400"),
        ("10000000", "81800", "40900"),
        ("20000000", "141800", "70900"),
        ("30000000", "191800", "95900"),
        ("12345.67", "108.64", "54.32"),
    ],
)
def test_acceptance_fee(amount: str, full: str, halved: str) -> None:
    assert acceptance_fee(Decimal(amount), simple_procedure=False) == Decimal(full)
    assert acceptance_fee(Decimal(amount), simple_procedure=True) == Decimal(halved)


def test_fee_is_in_cents() -> None:
    assert str(acceptance_fee(Decimal("50000"), simple_procedure=False)) == "1050.00"


@pytest.mark.parametrize("amount", ["-1", "NaN", "Infinity"])
def test_fee_rejects_bad_amounts(amount: str) -> None:
    with pytest.raises(ToolInputError):
        acceptance_fee(Decimal(amount), simple_procedure=False)
