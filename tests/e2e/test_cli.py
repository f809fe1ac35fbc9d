"""The CLI end to end in subprocesses: a full case, a process killed mid-flow, and bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

JUDGEFLOW = [sys.executable, "-m", "judgeflow.app.cli"]


def cli(*args: str, home: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JUDGEFLOW_HOME": str(home)}
    result = subprocess.run([*JUDGEFLOW, *args], capture_output=True, text=True, env=env, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"judgeflow {' '.join(args)} failed: {result.stderr}")
    return result


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(result.stdout)


def test_a_case_through_the_cli_to_an_exported_judgment(home: Path, example: Any, tmp_path: Path) -> None:
    status = as_json(cli("run", str(example("guarantor")), "--case-id", "g1", "--json", home=home))
    assert status["checkpoint"] == "approve_facts"
    facts = status["view"]["content"]["facts"]
    guarantor = next(f for f in facts if f["kind"] == "party" and f["details"].get("capacity") == "保证人")
    edit = tmp_path / "edit.json"
    edit.write_text(
        json.dumps({"facts": {guarantor["id"]: {"details": {"address": "浙江省杭州市西湖区文三路88号"}}}}),
        encoding="utf-8",
    )
    status = as_json(cli("edit", "g1", "--file", str(edit), "--as", "judge:王法官", "--json", home=home))
    assert status["checkpoint"] == "approve_statutes"
    status = as_json(cli("approve", "g1", "--as", "judge:王法官", "--json", home=home))
    assert status["checkpoint"] == "approve_reasoning"
    status = as_json(
        cli("reject", "g1", "--comment", "保证期间的计算请复核", "--as", "judge:王法官", "--json", home=home)
    )
    assert status["checkpoint"] == "approve_reasoning"
    cli("approve", "g1", "--as", "judge:王法官", home=home)
    clerk = cli("approve", "g1", "--as", "clerk:李书记员", home=home, check=False)
    assert clerk.returncode == 2 and "无权签发" in clerk.stderr and "Traceback" not in clerk.stderr
    done = as_json(cli("approve", "g1", "--as", "judge:王法官", "--json", home=home))
    assert done["status"] == "done" and done["signed_by"] == "judge:王法官"
    history = as_json(cli("history", "g1", "--json", home=home))
    assert [d["kind"] for d in history["decisions"]] == ["edit", "approve", "reject", "approve", "approve"]
    shared = tmp_path / "shared"
    as_json(cli("export", "g1", "--out", str(shared), "--json", home=home))  # pseudonymized by default
    assert "浙江省杭州市西湖区文三路88号" not in (shared / "g1.judgment.md").read_text(encoding="utf-8")
    refused = cli(
        "export", "g1", "--out", str(shared), "--real-names", "--as", "clerk:李书记员", home=home, check=False
    )
    assert refused.returncode == 2 and "无权导出" in refused.stderr
    out = tmp_path / "out"
    files = as_json(
        cli("export", "g1", "--out", str(out), "--real-names", "--as", "judge:王法官", "--json", home=home)
    )["files"]
    names = sorted(Path(f).name for f in files)
    assert names == [
        "g1.judgment.docx",
        "g1.judgment.md",
        "g1.provenance.md",
        "g1.state.json",
        "g1.trace.jsonl",
    ]
    judgment = (out / "g1.judgment.md").read_text(encoding="utf-8")
    assert "浙江省杭州市西湖区文三路88号" in judgment  # the edit at approve_facts reached the judgment
    trace = [json.loads(line) for line in (out / "g1.trace.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["record"] == "decision" and r["kind"] == "edit" and r["diff"] for r in trace)


KILL_DURING_REASONING = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import judgeflow.agents.build_reasoning as reasoning

    def die(state):  # a real SIGKILL in the middle of a node run
        os.kill(os.getpid(), signal.SIGKILL)

    reasoning.build_reasoning = die
    from judgeflow.graph.runner import CaseRunner
    from judgeflow.graph.state import Actor, ApproveDecision

    with CaseRunner(home=Path(sys.argv[1])) as runner:
        runner.decide(sys.argv[2], ApproveDecision(checkpoint="approve_statutes", actor=Actor(role="judge", name="王法官")))
    """
)


def test_a_process_killed_mid_flow_resumes_with_every_approval_intact(home: Path, example: Any) -> None:
    cli("run", str(example("repayment-over-cap")), "--case-id", "k1", home=home)
    cli("approve", "k1", "--as", "judge:王法官", home=home)
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_REASONING, str(home), "k1"], timeout=120)
    assert killed.returncode == -signal.SIGKILL
    shown = as_json(cli("show", "k1", "--json", home=home))
    assert shown["status"] == "interrupted"
    resumed = as_json(cli("run", str(example("repayment-over-cap")), "--case-id", "k1", "--json", home=home))
    assert resumed["checkpoint"] == "approve_reasoning"
    history = as_json(cli("history", "k1", "--json", home=home))
    assert [(d["checkpoint"], d["kind"]) for d in history["decisions"]] == [
        ("approve_facts", "approve"),
        ("approve_statutes", "approve"),
    ]


def test_bad_input_gives_a_clear_message_and_saves_nothing(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-case"
    empty.mkdir()
    (empty / "起诉状.txt").write_text("", encoding="utf-8")
    result = cli("run", str(empty), home=home, check=False)
    assert result.returncode == 2 and "起诉状.txt" in result.stderr and "Traceback" not in result.stderr
    utf16 = tmp_path / "utf16-case"  # GBK/GB18030 are converted; other encodings are refused
    utf16.mkdir()
    (utf16 / "起诉状.txt").write_bytes("民事起诉状\n原告：张三".encode("utf-16"))
    result = cli("run", str(utf16), home=home, check=False)
    assert result.returncode == 2 and "UTF-16" in result.stderr and "UTF-8" in result.stderr
    result = cli("show", "nobody", home=home, check=False)
    assert result.returncode == 2 and "找不到案件" in result.stderr
    assert json.loads(cli("list", "--json", home=home).stdout) == {"cases": []}


def test_malformed_edit_file_and_a_case_not_waiting(home: Path, example: Any, tmp_path: Path) -> None:
    cli("run", str(example("clean-loan")), "--case-id", "c1", home=home)
    before = cli("show", "c1", "--json", home=home).stdout
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = cli("edit", "c1", "--file", str(broken), "--as", "judge:王法官", home=home, check=False)
    assert result.returncode == 2 and "不是合法的 JSON" in result.stderr
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"facts": {"F1": {"value": None}}}), encoding="utf-8")
    result = cli("edit", "c1", "--file", str(invalid), "--as", "judge:王法官", home=home, check=False)
    assert result.returncode == 2 and "未作任何更改" in result.stderr
    assert cli("show", "c1", "--json", home=home).stdout == before
    for _ in range(4):
        cli("approve", "c1", "--as", "judge:王法官", "--comment", "确认", home=home)
    result = cli("approve", "c1", "--as", "judge:王法官", home=home, check=False)
    assert result.returncode == 2 and "不在审批节点" in result.stderr


def test_batch_writes_one_row_per_case(home: Path, example: Any, tmp_path: Path) -> None:
    rows = []
    for name in ("clean-loan", "guarantor"):
        folder = example(name)
        docs = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(folder.glob("*.txt"))]
        rows.append(json.dumps({"id": name, "documents": docs}, ensure_ascii=False))
    rows.append("{broken")
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = as_json(cli("batch", str(source), "--out", str(out), "--json", home=home))
    assert summary == {"ok": 2, "failed": 1}
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results[:2]] == ["clean-loan", "guarantor"]
    assert all("判决如下" in r["document"] and r["articles"] for r in results[:2])
    assert results[2]["error"]


def test_two_approvals_racing_on_one_checkpoint_one_wins(home: Path, example: Any) -> None:
    cli("run", str(example("clean-loan")), "--case-id", "race", home=home)
    env = {**os.environ, "JUDGEFLOW_HOME": str(home)}
    racers = [
        subprocess.Popen(
            [*JUDGEFLOW, "approve", "race", "--at", "approve_facts", "--as", f"judge:法官{n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    outcomes = [(p.wait(timeout=120), p.communicate()[1]) for p in racers]
    assert sorted(rc for rc, _ in outcomes) == [0, 2]
    loser = next(err for rc, err in outcomes if rc == 2)
    assert "正由另一操作处理" in loser or "当前等待的是 approve_statutes" in loser
    history = as_json(cli("history", "race", "--json", home=home))
    assert [(d["checkpoint"], d["kind"]) for d in history["decisions"]] == [("approve_facts", "approve")]
