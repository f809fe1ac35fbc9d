"""Orchestrator overhead and concurrency against an OpenAI-compatible server that answers in fixed time.

    python -m judgeflow.benchmarks.model_overhead [--delay-ms 200] [--concurrency 1 4 16] [--rounds 2]

Starts the compat server (`judgeflow.llm.compat_server`, FixedTimeResponder: it waits `--delay-ms`, then
returns the smallest JSON the request's schema accepts), points every model step at it as an `sglang`
backend, and runs the example cases (examples/*) start to signed judgment under the evaluation policy.

- Overhead: per case, (wall time − time spent waiting on model calls) ÷ wall time, cases run one at a
  time after one untimed warm-up case. Goal: < 2 %. The compat server runs in this process, so its own
  work per request (reading the JSON, the prefix cache, writing the answer: what it spends beyond the
  fixed delay) is measured by the server and shown apart from the client's (HTTP, the OpenAI SDK,
  LangChain); both are inside the model calls' time.
- Concurrency: N cases at once (N threads, each with its own runner and home) against the one server,
  `--rounds` cases per thread; cases per minute = cases ÷ wall time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from judgeflow.benchmarks._common import table
from judgeflow.graph.runner import CaseRunner
from judgeflow.llm.compat_server import CompatServer, FixedTimeResponder, running_server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example_folders() -> list[Path]:
    """The example case folders, by name."""
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir())


def run_case(home: Path, folder: Path, case_id: str) -> tuple[float, float, float, int, float]:
    """Run one case to its signed judgment: (wall s, s in model calls, s in the model layer, model calls,
    s inside the graph's nodes).

    The model layer is `refine_with_model` as a whole: prompts, tools, the calls, parsing, grounding.
    Time outside every node is the orchestrator's own: LangGraph, checkpoints, the runner, the audit log.
    """
    started = time.perf_counter()
    with CaseRunner(home=home) as runner:
        status = runner.run_folder(folder, case_id=case_id, policy="evaluation")
    wall = time.perf_counter() - started
    if status.status != "done":
        raise SystemExit(f"{case_id} stopped at {status.status}")
    trace = status.state.trace  # the state the run ended with (read back once by the runner)
    calls = [c for e in trace for c in e.model_calls]
    layer = sum(float(e.outputs.get("model_layer_ms", 0.0)) for e in trace) / 1000
    nodes = sum(e.duration_ms for e in trace if e.kind == "node_run") / 1000
    return wall, sum(c.get("duration_ms", 0.0) for c in calls) / 1000, layer, len(calls), nodes


def overhead(work: Path, delay_s: float, server: CompatServer) -> list[list[str]]:
    """One row per example, then the total.

    Columns: model calls; wall; server time (calls × the fixed delay); the compat server's own time
    beyond the delay; client time per call beyond both (HTTP, the OpenAI SDK, LangChain); the model
    layer's own work (prompts, tools, grounding); what is outside model calls altogether (rules
    engine, graph, checkpoints, model layer) as a share of wall; the orchestrator's own share.
    """
    folders = example_folders()
    run_case(work / "warm-up", folders[0], "warm-up")
    rows: list[list[str]] = []
    sums = [0.0] * 6
    for folder in folders:
        seen = _handled(server)
        wall, model, layer, calls, nodes = run_case(work / "overhead", folder, folder.name)
        served = sum(server.handling_s[seen : _handled(server)])
        case = [wall, model, layer, float(calls), nodes, served]
        sums = [a + b for a, b in zip(sums, case, strict=True)]
        rows.append(_row(folder.name, wall, model, layer, calls, delay_s, nodes, served))
    rows.append(_row("all", sums[0], sums[1], sums[2], int(sums[3]), delay_s, sums[4], sums[5]))
    return rows


def _handled(server: CompatServer, wait_s: float = 1.0) -> int:
    """How many requests the server has finished: every one it received, once each has been timed
    (the client may read an answer a moment before the server's handler records its time)."""
    deadline = time.perf_counter() + wait_s
    while len(server.handling_s) < len(server.requests) and time.perf_counter() < deadline:
        time.sleep(0.001)
    return len(server.handling_s)


def _row(
    name: str,
    wall: float,
    model: float,
    layer: float,
    calls: int,
    delay_s: float,
    nodes: float,
    served: float,
) -> list[str]:
    server_own = served - calls * delay_s
    client = model - served
    orchestration = max(0.0, wall - nodes)
    return [
        name,
        str(calls),
        f"{wall:.3f}",
        f"{calls * delay_s:.3f}",
        f"{server_own:.3f}",
        f"{client:.3f}",
        f"{layer - model:.3f} ({(layer - model) / wall * 100:.2f} %)",
        f"{wall - model:.3f} ({(wall - model) / wall * 100:.2f} %)",
        f"{orchestration:.3f} ({orchestration / wall * 100:.2f} %)",
    ]


def concurrency(work: Path, workers: int, rounds: int) -> tuple[int, float]:
    """Run workers × rounds cases, `workers` at a time; (cases, wall seconds)."""
    folders = example_folders()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for r in range(rounds):
                folder = folders[(n + r) % len(folders)]
                run_case(work / f"c{workers}-w{n}", folder, f"{folder.name}-{r}")
        except BaseException as exc:  # reported after the join
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return workers * rounds, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    """Print the overhead table and the concurrency table."""
    parser = argparse.ArgumentParser(
        prog="python -m judgeflow.benchmarks.model_overhead", description=__doc__
    )
    parser.add_argument("--delay-ms", type=float, default=200.0, help="the server's fixed answer time")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--rounds", type=int, default=2, help="cases per thread in the concurrency runs")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(FixedTimeResponder(args.delay_ms / 1000)) as server,
    ):
        work = Path(tmp)
        models = work / "models.toml"
        models.write_text(
            f'[default]\nbackend = "sglang"\nbase_url = "{server.base_url}"\nmodel = "fixed-time"\n',
            encoding="utf-8",
        )
        os.environ["JUDGEFLOW_MODELS"] = str(models)
        print(
            f"server answers in {args.delay_ms:.0f} ms; examples: {', '.join(p.name for p in example_folders())}\n"
        )
        headers = [
            "case",
            "calls",
            "wall s",
            "server s",
            "server's own s",
            "client s",
            "model layer s",
            "outside model calls s",
            "orchestrator s (outside every node)",
        ]
        print(table(headers, overhead(work, args.delay_ms / 1000, server)))
        rows = []
        for n in args.concurrency:
            cases, wall = concurrency(work, n, args.rounds)
            rows.append([str(n), str(cases), f"{wall:.2f}", f"{cases / wall * 60:.1f}"])
        print()
        print(table(["cases at once", "cases", "wall s", "cases per minute"], rows))
        print(f"\nrequests served: {len(server.requests)}")


if __name__ == "__main__":
    main()
