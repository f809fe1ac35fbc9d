"""Data-subject requests: export everything stored about a case; delete its content, audit intact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from judgeflow.app.cli import main
from judgeflow.app.privacy_commands import docx_text, pseudonymized_export
from judgeflow.errors import CaseNotFoundError, InputError, PermissionDeniedError
from judgeflow.graph.data_requests import case_dir, delete_case, export_all, registered_exports
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision
from judgeflow.policies.redaction import redaction_rules
from judgeflow.policies.roles import may

JUDGE = Actor(role="judge", name="王法官")
# The guarantor case's personal data, as filed.
PERSONAL = [
    "赵明远",
    "钱国栋",
    "林慧敏",
    "莫干山路1102号",
    "清泰街326号",
    "江南大道3688号",
    "330105197810******",
]


def signed(runner: CaseRunner, folder: Path, case_id: str) -> None:
    status = runner.run_folder(folder, case_id)
    while status.checkpoint is not None:
        status = runner.decide(case_id, ApproveDecision(checkpoint=status.checkpoint, actor=JUDGE))


@pytest.fixture
def two_cases(runner: CaseRunner, example: Any) -> CaseRunner:
    signed(runner, example("guarantor"), "g")
    signed(runner, example("clean-loan"), "c")
    return runner


def texts(files: list[Path]) -> str:
    return "\n".join(docx_text(f) if f.suffix == ".docx" else f.read_text(encoding="utf-8") for f in files)


def test_export_all_holds_everything_and_no_personal_data(two_cases: CaseRunner, tmp_path: Path) -> None:
    files = export_all(two_cases, "g", tmp_path / "out")
    names = sorted(str(f.relative_to(tmp_path / "out")) for f in files)
    assert names == sorted(
        [
            "audit.jsonl",
            "checkpoints.jsonl",
            "exports.json",
            "judgment.md",
            "manifest.json",
            "state.json",
            "documents/D1-庭审笔录.txt",
            "documents/D2-答辩状.txt",
            "documents/D3-证据目录.txt",
            "documents/D4-起诉状.txt",
        ]
    )
    everything = texts(files)
    assert [p for p in PERSONAL if p in everything] == []
    assert "赵某某" in everything and "住浙江省杭州市拱墅区某处" in everything and "沈立群" in everything
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pseudonymized"] is True and "pseudonyms.json" not in manifest["files"]
    rows = (tmp_path / "out" / "checkpoints.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(list(two_cases.graph.get_state_history({"configurable": {"thread_id": "g"}})))
    state = json.loads((tmp_path / "out" / "state.json").read_text(encoding="utf-8"))
    assert len(state["decisions"]) == 4 and state["signed_by"] == "judge:王法官"
    assert two_cases.audit.entries("g")[-1]["action"] == "case.export_all"
    assert two_cases.audit.verify().ok


def test_an_internal_export_keeps_the_data_and_the_mapping(two_cases: CaseRunner, tmp_path: Path) -> None:
    files = export_all(two_cases, "g", tmp_path / "out", pseudonymize=False)
    everything = texts(files)
    assert all(p in everything for p in PERSONAL)
    mapping = json.loads((tmp_path / "out" / "pseudonyms.json").read_text(encoding="utf-8"))
    assert mapping["赵明远"] == "赵某某"


def test_export_all_refuses_a_used_folder_and_an_unknown_case(two_cases: CaseRunner, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="不是空文件夹"):
        export_all(two_cases, "g", tmp_path / "used")
    with pytest.raises(CaseNotFoundError):
        export_all(two_cases, "nobody", tmp_path / "new")


def test_the_pseudonymized_export_of_a_judgment(two_cases: CaseRunner, home: Path, tmp_path: Path) -> None:
    files = pseudonymized_export(two_cases.state("g"), tmp_path / "out", home)
    assert sorted(f.name for f in files) == [
        "g.judgment.docx",
        "g.judgment.md",
        "g.provenance.md",
        "g.state.json",
        "g.trace.jsonl",
    ]
    everything = texts(files)
    assert [p for p in PERSONAL if p in everything] == []
    assert "原告：赵某某" in docx_text(tmp_path / "out" / "g.judgment.docx")
    assert set(registered_exports(home, "g")) == {f.resolve() for f in files}
    assert redaction_rules("civil_simple").must_pseudonymize(endpoint_is_local=False)
    assert not redaction_rules("civil_simple").must_pseudonymize(endpoint_is_local=True)


def test_deleting_a_case_erases_its_content_and_keeps_the_audit_chain(
    two_cases: CaseRunner, home: Path, tmp_path: Path
) -> None:
    stored_before = b"".join(p.read_bytes() for p in home.glob("checkpoints.sqlite*"))  # with the WAL
    assert "钱国栋".encode() in stored_before
    exported = pseudonymized_export(two_cases.state("g"), tmp_path / "export", home)
    exported += export_all(two_cases, "g", tmp_path / "all", pseudonymize=False)
    other_before = two_cases.state("c").judgment
    entries_before = len(two_cases.audit.entries())

    report = delete_case(two_cases, "g", JUDGE, confirm=True)

    assert report.checkpoints > 10 and report.exports == len(exported)
    assert not any(f.exists() for f in exported)
    assert not case_dir(home, "g").exists()
    with pytest.raises(CaseNotFoundError):
        two_cases.status("g")
    for stored in home.glob("checkpoints.sqlite*"):  # secure delete: not even in free pages or the WAL
        assert "钱国栋".encode() not in stored.read_bytes() and "赵明远".encode() not in stored.read_bytes()
    assert two_cases.state("c").judgment == other_before and two_cases.list_cases() == ["c"]
    entries = two_cases.audit.entries()
    assert len(entries) == entries_before + 1
    last = entries[-1]
    assert (last["case_id"], last["actor"], last["action"]) == ("g", "judge:王法官", "case.delete")
    assert json.loads(last["detail"])["checkpoints"] == report.checkpoints
    assert not any(p in json.dumps(entries, ensure_ascii=False) for p in PERSONAL)
    assert two_cases.audit.verify().ok and two_cases.audit.verify("g").ok


def test_only_a_judge_deletes_and_only_when_confirmed(two_cases: CaseRunner) -> None:
    assert may("judge", "delete") and not may("clerk", "delete") and not may("reviewer", "delete")
    with pytest.raises(PermissionDeniedError, match="无权删除"):
        delete_case(two_cases, "g", Actor(role="clerk", name="李书记员"), confirm=True)
    with pytest.raises(InputError, match="--confirm"):
        delete_case(two_cases, "g", JUDGE, confirm=False)
    with pytest.raises(CaseNotFoundError):
        delete_case(two_cases, "nobody", JUDGE, confirm=True)
    assert two_cases.status("g").status == "done"


def test_the_cli_commands(two_cases: CaseRunner, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "export-all", "g", "--out", str(tmp_path / "out"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["pseudonymized"] is True and len(printed["files"]) == 10
    assert main(["case", "export-all", "g", "--out", str(tmp_path / "raw"), "--no-pseudonymize"]) == 0
    assert "内部导出" in capsys.readouterr().out
    assert main(["case", "delete", "g", "--as", "clerk:李书记员", "--confirm"]) == 2
    assert "无权删除" in capsys.readouterr().err
    assert main(["case", "delete", "g", "--as", "judge:王法官"]) == 2
    assert "--confirm" in capsys.readouterr().err
    assert main(["case", "delete", "g", "--as", "judge", "--confirm"]) == 2
    assert "ROLE:NAME" in capsys.readouterr().err
    assert main(["case", "delete", "g", "--as", "judge:王法官", "--confirm", "--json"]) == 0
    deleted = json.loads(capsys.readouterr().out)
    assert (
        deleted["case_id"] == "g" and deleted["checkpoints_deleted"] > 10 and deleted["exports_deleted"] == 21
    )
    assert main(["audit", "verify"]) == 0
    assert not (tmp_path / "raw" / "state.json").exists()


def test_a_case_id_used_again_after_deletion_is_audited_afresh(two_cases: CaseRunner, example: Any) -> None:
    delete_case(two_cases, "g", JUDGE, confirm=True)
    signed(two_cases, example("guarantor"), "g")
    actions = [e["action"] for e in two_cases.audit.entries("g")]
    assert actions == ["case.start", *["decision"] * 4, "case.delete", "case.start", *["decision"] * 4]
    assert two_cases.audit.verify().ok and two_cases.audit.verify("g").ok
