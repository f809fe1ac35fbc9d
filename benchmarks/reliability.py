"""Reliability: crashes, hostile and malformed input, personal data in exports, audit tampering.

    python -m judgeflow.benchmarks.reliability [--kills 100] [--malformed 1200] [--planted 30]
                                               [--tamper-rounds 10] [--seed 0] [--json]

Prints, with the goal beside each figure:
- SIGKILL trials: children working a case are killed at random moments (at least --kills land
  mid-run), then at every checkpoint write of a run (before and after it); approvals the child had
  acknowledged and that are missing afterwards (goal 0), corrupt databases, broken audit chains,
  cases stuck after a kill;
- generated malformed inputs tried (goal ≥ 1,000) and unhandled exceptions (goal 0; a clean
  JudgeflowError counts as handled);
- planted personal-data strings found in pseudonymized exports, in `case export-all`, or in text
  prepared for a non-local model endpoint, and in the requests the model layer really sends to
  one (a scripted server on loopback configured as not local) (goal 0);
- audit tampering cases tried and detected (goal all).
Everything runs in a temporary folder; nothing under JUDGEFLOW_HOME is touched.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from judgeflow.benchmarks._common import table

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _signed_cases(home: Path) -> None:
    """A home whose audit log holds three signed cases, an export and a deletion."""
    from judgeflow.graph.data_requests import delete_case, export_all
    from judgeflow.graph.runner import CaseRunner
    from judgeflow.graph.state import Actor, ApproveDecision

    judge = Actor(role="judge", name="王法官")
    with CaseRunner(home=home) as runner:
        for name in ("clean-loan", "guarantor", "repayment-over-cap"):
            status = runner.run_folder(EXAMPLES / name)
            while status.checkpoint is not None:
                status = runner.decide(name, ApproveDecision(checkpoint=status.checkpoint, actor=judge))
        export_all(runner, "guarantor", home / "export")
        delete_case(runner, "guarantor", judge, confirm=True)


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run every section; the figures as a JSON object."""
    from judgeflow.benchmarks._kill_trials import run_kill_trials, run_write_boundary_trials, summary
    from judgeflow.benchmarks._malformed import run_malformed
    from judgeflow.benchmarks._personal_data import run_planted
    from judgeflow.benchmarks._tampering import run_tampering

    figures: dict[str, Any] = {}
    started = time.monotonic()
    kills = run_kill_trials(work / "kill", EXAMPLES / "guarantor", args.kills, seed=args.seed)
    figures["kill"] = summary(kills) | {"seconds": round(time.monotonic() - started, 1)}
    started = time.monotonic()
    writes = run_write_boundary_trials(work / "writes", EXAMPLES / "clean-loan", args.writes)
    figures["writes"] = summary(writes) | {"seconds": round(time.monotonic() - started, 1)}
    started = time.monotonic()
    bad = run_malformed(EXAMPLES, work / "malformed", work / "malformed-home", args.malformed, seed=args.seed)
    figures["malformed"] = {
        "tried": bad.tried,
        "accepted": bad.accepted,
        "handled": bad.handled,
        "unhandled": bad.unhandled,
        "unhandled_by_kind": dict(bad.unhandled_by_kind),
        "failures": bad.failures,
        "kinds": len(bad.by_kind),
        "seconds": round(time.monotonic() - started, 1),
    }
    started = time.monotonic()
    planted = run_planted(EXAMPLES, work / "planted", work / "planted-home", args.planted, seed=args.seed)
    figures["planted"] = vars(planted) | {"seconds": round(time.monotonic() - started, 1)}
    started = time.monotonic()
    _signed_cases(work / "audit-home")
    pristine = work / "audit-pristine"
    pristine.mkdir()
    for name in ("audit.sqlite", "audit.head"):
        shutil.copy(work / "audit-home" / name, pristine / name)
    tamper = run_tampering(pristine, work / "tamper", args.tamper_rounds, seed=args.seed)
    figures["tamper"] = {
        "tried": tamper.tried,
        "detected": tamper.detected,
        "crashed": tamper.crashed,
        "kinds": len(tamper.by_kind),
        "missed": dict(tamper.missed),
        "anchor_tried": tamper.anchor_tried,
        "anchor_detected": tamper.anchor_detected,
        "seconds": round(time.monotonic() - started, 1),
    }
    return figures


def report(figures: dict[str, Any]) -> str:
    """The figures as a table, goals beside them, then the distinct notes with their counts."""
    k, w, m, p, t = (figures[s] for s in ("kill", "writes", "malformed", "planted", "tamper"))
    leaks = p["leaks"]
    rows = [
        ["SIGKILL at random points: kills landed / trials", f"{k['killed']} / {k['trials']}", ">= 100"],
        ["  approvals acknowledged / lost", f"{k['acknowledged']} / {k['lost']}", "lost 0"],
        ["SIGKILL at each checkpoint write: kills / trials", f"{w['killed']} / {w['trials']}", "-"],
        ["  approvals acknowledged / lost", f"{w['acknowledged']} / {w['lost']}", "lost 0"],
        ["  decisions duplicated", str(k["duplicated"] + w["duplicated"]), "0"],
        ["  databases failing PRAGMA integrity_check", str(k["corrupt"] + w["corrupt"]), "0"],
        ["  audit chains broken by a kill", str(k["audit_broken"] + w["audit_broken"]), "0"],
        ["  cases stuck after a kill (random / at writes)", f"{k['stuck']} / {w['stuck']}", "0"],
        ["  audit log vs decisions after final resume", str(k["audit_mismatch"] + w["audit_mismatch"]), "0"],
        ["Malformed inputs tried (kinds)", f"{m['tried']} ({m['kinds']})", ">= 1000"],
        [
            "  accepted / refused clearly / unhandled",
            f"{m['accepted']} / {m['handled']} / {m['unhandled']}",
            "unhandled 0",
        ],
        [
            "Planted personal-data strings (cases drafted)",
            f"{p['planted']} ({p['drafted']}/{p['cases']})",
            "-",
        ],
        [
            "  found in pseudonymized export / export-all",
            f"{leaks['export']} / {leaks['export-all']}",
            "0 / 0",
        ],
        ["  found in text for a non-local endpoint", f"{leaks['endpoint']}", "0"],
        ["  ... same, before any ledger exists", f"{leaks['endpoint, no ledger']}", "0"],
        [
            "  found in requests the model layer sent to a non-local endpoint",
            f"{leaks['model requests']}",
            "0",
        ],
        [
            "Audit tampering cases tried (kinds) / detected",
            f"{t['tried']} ({t['kinds']}) / {t['detected']}",
            "all",
        ],
        [
            "  tail + head rewritten with new hashes",
            f"{t['anchor_tried']} / {t['anchor_detected']}",
            "needs anchor",
        ],
    ]
    lines = [table(["measure", "figure", "goal"], rows)]
    seconds = {s: figures[s]["seconds"] for s in ("kill", "writes", "malformed", "planted", "tamper")}
    lines.append("seconds: " + ", ".join(f"{s} {v}" for s, v in seconds.items()))
    notes = Counter(
        re.sub(r"^(kill|write)-[\w-]+: ", "", note).split(" after trial")[0]
        for note in [*k["notes"], *w["notes"], *m["failures"], *p["examples"]]
    )
    lines += [f"  unhandled ({n}x): {kind}" for kind, n in Counter(m["unhandled_by_kind"]).most_common()]
    lines += [f"  note ({n}x): {note}" for note, n in notes.most_common()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point: measure, print, and exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(prog="python -m judgeflow.benchmarks.reliability", description=__doc__)
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs that must land mid-run")
    parser.add_argument(
        "--writes", type=int, default=40, help="checkpoint writes to kill at (before and after)"
    )
    parser.add_argument("--malformed", type=int, default=1200, help="malformed inputs to try")
    parser.add_argument("--planted", type=int, default=30, help="synthetic cases with planted personal data")
    parser.add_argument("--tamper-rounds", type=int, default=10, help="rounds of every tampering kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="judgeflow-reliability-") as folder:
        figures = measure(args, Path(folder))
    print(json.dumps(figures, ensure_ascii=False, indent=1) if args.json else report(figures))
    k, w, m, p, t = (figures[s] for s in ("kill", "writes", "malformed", "planted", "tamper"))
    missed = (
        k["lost"]
        + w["lost"]
        + k["corrupt"]
        + w["corrupt"]
        + k["stuck"]
        + w["stuck"]
        + m["unhandled"]
        + sum(p["leaks"].values())
        + (t["tried"] - t["detected"])
    )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
