"""Benchmark of the rules engine: per-case wall time and peak memory over the example cases.

    python -m judgeflow.app.bench [--repeat N] [--examples DIR]

Each case runs start to signed judgment under the evaluation policy (automatic approvals), pinned
to one CPU core. It is measured twice in the same run: with the durable SQLite checkpointer (what
users get) and with LangGraph's in-memory saver (no durability), and the ratio is printed. Peak
memory is measured for a whole `judgeflow demo` run in a child process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from judgeflow.agents.intake import load_case_folder
from judgeflow.app.demo import EXAMPLES
from judgeflow.graph.flow import compile_flow
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import CaseState
from langgraph.checkpoint.memory import InMemorySaver


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"core {core}"
    return "unpinned"


def time_durable(folder: Path, repeat: int) -> list[float]:
    """Seconds per full case run with the SQLite checkpointer, one fresh home per run."""
    info, documents = load_case_folder(folder)
    times = []
    for n in range(repeat):
        with tempfile.TemporaryDirectory() as home, CaseRunner(home=Path(home), checkpoint_url="") as runner:
            started = time.perf_counter()
            status = runner.start(f"bench-{n}", info, documents, policy="evaluation")
            times.append(time.perf_counter() - started)
            assert status.status == "done", status.status
    return times


def time_in_memory(folder: Path, repeat: int) -> list[float]:
    """Seconds per full case run with LangGraph's in-memory saver (no durability)."""
    info, documents = load_case_folder(folder)
    graph = compile_flow(InMemorySaver())
    times = []
    for n in range(repeat):
        state = CaseState(case_id=f"mem-{n}", policy="evaluation", info=info, documents=documents)
        started = time.perf_counter()
        graph.invoke(state, {"configurable": {"thread_id": f"mem-{n}"}})
        times.append(time.perf_counter() - started)
    return times


def demo_peak_memory_mb() -> float:
    """Peak resident memory (MB) of a whole `judgeflow demo` run in a child process."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [sys.executable, "-m", "judgeflow.app.cli", "demo", "--out", out, "--json"],
            check=True,
            capture_output=True,
        )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print a table of figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (median reported)")
    parser.add_argument("--examples", type=Path, default=EXAMPLES, help="folder of case folders")
    args = parser.parse_args(argv)
    pinned = _pin_to_one_core()
    folders = sorted(p for p in args.examples.iterdir() if p.is_dir() and any(p.glob("*.txt")))
    warm = time_durable(folders[0], 1)[0]  # first run pays for imports and statute-db warm-up
    print(
        f"rules engine, {len(folders)} cases, {args.repeat} runs each, {pinned}; first (cold) run {warm:.3f} s"
    )
    print(f"{'case':<22}{'sqlite p50 s':>14}{'max s':>9}{'in-memory p50 s':>18}{'ratio':>8}")
    results: dict[str, Any] = {"cases": {}}
    for folder in folders:
        durable = time_durable(folder, args.repeat)
        memory = time_in_memory(folder, args.repeat)
        d50, m50 = statistics.median(durable), statistics.median(memory)
        results["cases"][folder.name] = {
            "sqlite_p50_s": d50,
            "sqlite_max_s": max(durable),
            "memory_p50_s": m50,
        }
        print(f"{folder.name:<22}{d50:>14.3f}{max(durable):>9.3f}{m50:>18.3f}{d50 / m50:>8.2f}")
    in_process = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    demo = demo_peak_memory_mb()
    results.update(bench_process_peak_mb=in_process, demo_peak_mb=demo)
    print(
        f"peak memory: this benchmark process {in_process:.0f} MB; whole `judgeflow demo` run {demo:.0f} MB"
    )
    return results


if __name__ == "__main__":
    main()
