"""`judgeflow demo`: the example cases through every checkpoint, approved by a named demo judge.

The demo judge is not a person: every approval is recorded under the name below and the screen
says so, so a demo judgment can never pass for a real one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import judgeflow
from judgeflow.app.export import export_case
from judgeflow.app.present import describe
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision
from judgeflow.knowledge_graph.importer import kg_load

DEMO_JUDGE = Actor(role="judge", name="演示法官（demo，非真实法官）")
EXAMPLES = Path(judgeflow.__file__).resolve().parent / "examples"


def example_folders() -> list[Path]:
    """The example case folders shipped in the repository."""
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and any(p.glob("*.txt")))


def run_demo(out: Path, as_json: bool = False) -> list[Path]:
    """Draft each example case as the demo judge; write judgments and traces under `out`."""
    home = out / "home"
    if home.exists():
        shutil.rmtree(home)  # the demo's cases always start from scratch
    # The statute step reads through the knowledge graph; loading it is idempotent and kept between demos.
    graph = Path(os.environ.setdefault("JUDGEFLOW_GRAPH_HOME", str((out / "graph").resolve())))
    report = kg_load(graph)
    if not as_json:
        print(
            f"知识图谱已就绪：{report['laws']} 部法律、{report['articles']} 条法条（{report['seconds']} 秒）"
        )
    written: list[Path] = []
    summary = []
    with CaseRunner(home=home, checkpoint_url="") as runner:
        for folder in example_folders():
            status = runner.run_folder(folder)
            steps = 0
            while status.status == "waiting" and status.checkpoint is not None:
                if not as_json:
                    print("=" * 78)
                    print(describe(status))
                    print(f"\n>>> {DEMO_JUDGE.name} 批准 {status.checkpoint}（演示自动操作）\n")
                comment = "演示运行：由演示法官自动批准"
                status = runner.decide(
                    status.case_id,
                    ApproveDecision(checkpoint=status.checkpoint, actor=DEMO_JUDGE, comment=comment),
                )
                steps += 1
            files = export_case(runner.state(status.case_id), out / status.case_id)
            written += files
            summary.append(
                {
                    "case_id": status.case_id,
                    "status": status.status,
                    "decisions": steps,
                    "files": [str(f) for f in files],
                }
            )
            if not as_json:
                print("=" * 78)
                print(runner.state(status.case_id).judgment)
                print(f"\n案件 {status.case_id} 已签发（{DEMO_JUDGE.name}），文件：")
                print("\n".join(f"  {f}" for f in files))
    if as_json:
        print(json.dumps({"cases": summary}, ensure_ascii=False, indent=1))
    return written
