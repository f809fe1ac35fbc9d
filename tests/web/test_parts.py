"""The workbench's pieces on their own: highlighting runs, page forms → edits, statistics, accounts, `judgeflow user`."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from judgeflow.app.web.highlight import runs
from judgeflow.app.web.stats import changed_fields, diff_size


def test_runs_cut_text_at_every_span_boundary() -> None:
    text = "原告陈志明借款80000元"
    result = runs(text, [(2, 5, "F1"), (0, 5, "F0"), (7, 12, "F3"), (50, 60, "F9")])
    assert "".join(r.text for r in result) == text
    assert [(r.text, r.keys) for r in result] == [
        ("原告", ["F0"]),
        ("陈志明", ["F0", "F1"]),
        ("借款", []),
        ("80000", ["F3"]),
        ("元", []),
    ]
    assert [r.anchors for r in result] == [["F0"], ["F1"], [], ["F3"], []]


def test_edit_size_counts_fields_and_diff_characters() -> None:
    assert changed_fields({"facts": {"F3": {"value": "1", "label": "x"}, "F4": {"value": "2"}}}) == 3
    assert changed_fields({"add": [{"law": "民法典", "article": 509}], "remove": ["民法典:674"]}) == 3
    diff = "--- a (machine)\n+++ a (judge)\n@@ -1 +1 @@\n-旧文本\n+新的文本\n 不变"
    assert diff_size(diff) == {"lines_added": 1, "lines_removed": 1, "chars_added": 4, "chars_removed": 3}


def test_page_forms_become_edits_of_only_what_changed(runner: Any, example: Any) -> None:
    from judgeflow.app.web.forms import draft_edit, facts_edit, statutes_edit, syllogisms_edit
    from judgeflow.errors import InputError
    from judgeflow.graph.state import Actor, ApproveDecision

    state = runner.run_folder(example("clean-loan")).state
    unchanged = {f"fact:{f.id}:value": f.value for f in state.facts}
    assert facts_edit(state, unchanged) == {}
    assert facts_edit(state, {**unchanged, "fact:F3:value": " 75000.00 "}) == {
        "facts": {"F3": {"value": "75000.00"}}
    }
    assert statutes_edit(state, {}, ["民法典:674"]) == {"remove": ["民法典:674"]}
    with pytest.raises(InputError):
        statutes_edit(state, {"add_law": "民法典", "add_article": "五百零九"}, [])
    judge = Actor(role="judge", name="wang")
    for checkpoint in ("approve_facts", "approve_statutes"):
        state = runner.decide(state.case_id, ApproveDecision(checkpoint=checkpoint, actor=judge)).state
    s2 = state.syllogisms[1]
    form = (
        {"syl:S2:conclusion.disposition": "不予支持", "syl:S2:ca:0:response": "改写的回应"}
        if s2.counter_arguments
        else {"syl:S2:conclusion.disposition": "不予支持"}
    )
    edit = syllogisms_edit(state, form)["syllogisms"]
    assert edit["S2"]["conclusion"] == {"disposition": "不予支持"}
    assert set(edit) == {"S2"}
    state = runner.decide(state.case_id, ApproveDecision(checkpoint="approve_reasoning", actor=judge)).state
    assert state.draft is not None
    same = {f"section:{s.name}": s.text.replace("\n", "\r\n") for s in state.draft.sections}
    assert draft_edit(state, same) == {}  # CRLF from a browser's textarea is no change


def test_accounts_store_only_salted_hashes_and_sessions_expire(tmp_path: Path) -> None:
    from judgeflow.app.web.accounts import AccountStore, SessionExpired
    from judgeflow.errors import InputError

    store = AccountStore(tmp_path, lifetime=3600)
    store.add("wang", "judge", "secret-password-1")
    store.add("li", "judge", "secret-password-1")
    with pytest.raises(InputError):
        store.add("wang", "judge", "another-password")
    with pytest.raises(InputError):
        store.add("x", "judge", "short")
    with pytest.raises(InputError):
        store.add("y", "emperor", "long-enough-1")
    raw = store.path.read_bytes()
    assert b"secret-password-1" not in raw
    with sqlite3.connect(store.path) as conn:
        hashes = conn.execute("SELECT salt, password_hash FROM accounts ORDER BY name").fetchall()
    assert hashes[0][0] != hashes[1][0] and hashes[0][1] != hashes[1][1]  # same password, different salts
    assert store.verify("wang", "wrong-password") is None
    account = store.verify("wang", "secret-password-1")
    assert account is not None and account.role == "judge"
    session = store.open_session(account)
    assert store.session(session.token).csrf == session.csrf
    store.update("wang", active=False)  # a disabled account loses its sessions and cannot sign in
    with pytest.raises(SessionExpired):
        store.session(session.token)
    assert store.verify("wang", "secret-password-1") is None
    short = AccountStore(tmp_path, lifetime=0)
    session = short.open_session(short.verify("li", "secret-password-1"))  # type: ignore[arg-type]
    with pytest.raises(SessionExpired):
        short.session(session.token)


def test_user_command_reads_the_password_from_stdin(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from judgeflow.app.cli import main
    from judgeflow.app.web.accounts import AccountStore
    from judgeflow.graph.audit import AuditLog

    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["user", "add", "王法官", "--role", "judge"]) == 0
    assert "已创建账户 王法官" in capsys.readouterr().out
    assert AccountStore(home).verify("王法官", "a-good-password") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["user", "add", "王法官", "--role", "judge"]) == 2
    assert "已存在" in capsys.readouterr().err
    assert main(["user", "set-role", "王法官", "--role", "reviewer", "--json"]) == 0
    assert '"role": "reviewer"' in capsys.readouterr().out
    log = AuditLog(home)
    try:
        actions = [e["action"] for e in log.entries("web:access")]
    finally:
        log.close()
    assert actions == ["account.add", "account.update"]


def test_a_sentencing_step_set_in_the_page_becomes_a_recomputing_edit(runner: Any, example: Any) -> None:
    from judgeflow.app.web.forms import edit_from_form
    from judgeflow.graph.state import Actor, ApproveDecision, EditDecision

    judge = Actor(role="judge", name="陈立平")
    runner.run_folder(example("theft-confession"))
    for checkpoint in ("approve_facts", "approve_statutes"):
        status = runner.decide("theft-confession", ApproveDecision(checkpoint=checkpoint, actor=judge))
    state = status.state
    assert any(c.editable for c in state.syllogisms[0].computation)
    assert edit_from_form("approve_reasoning", state, {}) == {}  # nothing typed, nothing edited
    edit = edit_from_form("approve_reasoning", state, {"syl:S1:step:starting_point": "20"})
    assert edit == {"syllogisms": {"S1": {"sentencing": {"starting_point": "20"}}}}
    before = state.syllogisms[0].sentence
    status = runner.decide(
        "theft-confession", EditDecision(checkpoint="approve_reasoning", actor=judge, replacement=edit)
    )
    after = runner.state("theft-confession").syllogisms[0].sentence
    assert before is not None and after is not None and after.months > before.months
