"""Sentencing on JuDGE: facts → the calculator's proposal → prison and fine closeness to the real judgment.

    python -m judgeflow.benchmarks.judge_sentencing [--data PATH] [--limit N] [--half first|second]
        [--show N] [--by-charge]

For each case the prosecution's facts are read with `read_criminal_facts`, and the calculator runs once
per defendant and charge (數罪 combined by `combine`); the case's term and fine are the totals over
defendants, as `judge_scoring.prison_months` reads the real judgment. Two rows:

- ``pipeline``: the charge ranked first by `read_signals(fact).ranked_charges()`, as the flow will use it;
- ``gold charge``: the charges read from the real judgment's 判决主文, to measure the calculator alone.

A charge the calculator does not support gives no sentence (closeness 0 where the judgment has one);
the table says how many. ``--half`` scores the first or the second half of the file alone, so that
rules studied on one half can be checked on the other; ``--by-charge`` adds the gold-charge scores per
charge (the first charge of the judgment, in the calculator's name), largest loss first.
Exits with a message when the data file is absent.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from judgeflow.agents.criminal.facts import CriminalFacts, read_criminal_facts
from judgeflow.agents.criminal.reasoning import offence_input
from judgeflow.benchmarks._common import DEFAULT_JUDGE_DEV, read_jsonl, table
from judgeflow.benchmarks.judge_scoring import JudgmentReading, read_judgment, score
from judgeflow.knowledge_graph.case_signals import read_signals
from judgeflow.tools.sentencing import (
    SentenceProposal,
    SentencingUnavailable,
    canonical_charge,
    combine,
    propose_sentence,
)


def predict(facts: CriminalFacts, charges: Sequence[str]) -> tuple[JudgmentReading, int]:
    """Total term and fine over defendants; the number of charges the calculator could not take."""
    names: list[str | None] = list(facts.names) or [None]
    months = 0.0
    fine = Decimal(0)
    any_term = any_fine = False
    unsupported = 0
    for name in names:
        proposals: list[SentenceProposal] = []
        for charge in charges:
            try:
                proposals.append(propose_sentence(offence_input(facts, name, charge)))
            except SentencingUnavailable:
                unsupported += 1
        if not proposals:
            continue
        combined = combine(proposals)
        months += combined.months
        any_term = True
        if combined.fine_yuan:
            fine += combined.fine_yuan
            any_fine = True
    return JudgmentReading(
        prison=months if any_term else None, fine=float(fine) if any_fine else None
    ), unsupported


def _pipeline_charges(fact: str) -> list[str]:
    ranked = read_signals(fact).ranked_charges()
    return [ranked[0].entry] if ranked else []


def by_charge(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Gold-charge closeness per charge: cases, mean prison and fine, and the closeness lost."""
    groups: dict[str, list[tuple[JudgmentReading, JudgmentReading]]] = {}
    for row in rows:
        gold = read_judgment(row["document"])
        charges = sorted(gold.charges)
        if not charges:
            continue
        pred, _ = predict(read_criminal_facts(row["fact"]), charges)
        key = canonical_charge(charges[0]) or charges[0]
        groups.setdefault(key + ("等数罪" if len(charges) > 1 else ""), []).append((pred, gold))
    out = []
    for key, pairs in groups.items():
        s = score(pairs)
        lost = (1 - s.prison) * s.counts["prison"] + (1 - s.fine) * s.counts["fine"]
        out.append(
            (
                lost,
                [
                    key,
                    str(len(pairs)),
                    f"{s.prison:.3f}",
                    f"{s.fine:.3f}" if s.counts["fine"] else "-",
                    str(s.counts["fine"]),
                    f"{lost:.1f}",
                ],
            )
        )
    return [r for _, r in sorted(out, key=lambda x: -x[0])]


def select_half(rows: list[dict[str, Any]], half: str | None) -> list[dict[str, Any]]:
    """The first or the second half of the rows (the first gets the middle row when odd); all if None."""
    if half is None:
        return rows
    middle = (len(rows) + 1) // 2
    return rows[:middle] if half == "first" else rows[middle:]


def run(rows: list[dict[str, Any]], show: int = 0) -> list[list[str]]:
    """Table rows for both charge sources."""
    out = []
    for label, source in (("pipeline", "signals"), ("gold charge", "gold")):
        pairs = []
        unsupported = 0
        missing: Counter[str] = Counter()
        for row in rows:
            gold = read_judgment(row["document"])
            facts = read_criminal_facts(row["fact"])
            charges = _pipeline_charges(row["fact"]) if source == "signals" else sorted(gold.charges)
            pred, n_unsupported = predict(facts, charges)
            unsupported += n_unsupported
            missing.update(c for c in charges if canonical_charge(c) is None)
            pairs.append((pred, gold))
        s = score(pairs)
        out.append(
            [
                label,
                f"{s.prison:.3f}",
                str(s.counts["prison"]),
                f"{s.fine:.3f}",
                str(s.counts["fine"]),
                str(unsupported),
            ]
        )
        if show and source == "gold":
            print(
                "不支持的罪名（按出现次数）：" + "、".join(f"{c}×{n}" for c, n in missing.most_common(show))
            )
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_JUDGE_DEV, help="JuDGE-style JSONL file")
    parser.add_argument("--limit", type=int, default=None, help="first N cases only")
    parser.add_argument(
        "--half", choices=("first", "second"), default=None, help="score one half of the file only"
    )
    parser.add_argument("--show", type=int, default=0, help="list the N most frequent unsupported charges")
    parser.add_argument("--by-charge", action="store_true", help="add gold-charge scores per charge")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(
            f"跳过：数据文件不存在：{args.data}（pass --data PATH） / skipped: no data file", file=sys.stderr
        )
        return 0
    rows = select_half(read_jsonl(args.data, args.limit), args.half)
    headers = ["charge source", "prison", "cases", "fine", "cases", "unsupported charge×defendant"]
    half = f", {args.half} half" if args.half else ""
    print(f"JuDGE sentencing, {len(rows)} cases{half} ({args.data})")
    print(table(headers, run(rows, args.show)))
    if args.by_charge:
        print(table(["charge", "cases", "prison", "fine", "fine cases", "lost"], by_charge(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
