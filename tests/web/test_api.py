"""The JSON API over a real runner and flow (rules engine): the judge's path and every error path.

Each error a user can cause must come back as its HTTP status with a Chinese message and no
traceback; the same holds for the pages (an error page) and for the login form.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from web.helpers import assert_clean_error


def _start(client: Any, csrf: str, example: str = "clean-loan") -> dict[str, Any]:
    response = client.post("/api/cases", json={"example": example}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _decide(client: Any, csrf: str, body: dict[str, Any], case_id: str = "clean-loan") -> Any:
    return client.post(f"/api/cases/{case_id}/decisions", json=body, headers={"X-CSRF-Token": csrf})


def test_judge_works_a_case_through_the_api_and_the_export_shows_every_edit(
    client: Any, login: Callable[[str], str]
) -> None:
    csrf = login("wang")
    assert _start(client, csrf)["checkpoint"] == "approve_facts"
    edit = {"facts": {"F3": {"value": "75000.00"}}}
    response = _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "edit", "replacement": edit})
    assert response.json()["checkpoint"] == "approve_statutes"
    response = _decide(client, csrf, {"checkpoint": "approve_statutes", "kind": "approve"})
    assert response.json()["checkpoint"] == "approve_reasoning"
    conclusion = "对利息请求予以支持，利率按年利率6%计算（法官改写）。"
    reasoning = {"syllogisms": {"S2": {"conclusion": {"text": conclusion}}}}
    response = _decide(
        client, csrf, {"checkpoint": "approve_reasoning", "kind": "edit", "replacement": reasoning}
    )
    assert response.json()["checkpoint"] == "approve_draft"
    response = _decide(client, csrf, {"checkpoint": "approve_draft", "kind": "approve", "comment": "同意"})
    assert response.json()["status"] == "done"
    assert response.json()["signed_by"] == "judge:wang"

    judgment = client.get("/api/cases/clean-loan/export/judgment.md").text
    assert conclusion in judgment
    assert "借款本金75000元" in judgment and "审判员" in judgment and "wang" in judgment

    trace = client.get("/api/cases/clean-loan/trace", params={"kind": "decision"}).json()
    assert [e["node"] for e in trace["events"]] == [
        "approve_facts",
        "approve_statutes",
        "approve_reasoning",
        "approve_draft",
    ]
    assert '+  "value": "75000.00"' in trace["events"][0]["outputs"]["diff"]
    only_facts = client.get("/api/cases/clean-loan/trace", params={"node": "extract_facts"}).json()
    assert only_facts["events"] and {e["node"] for e in only_facts["events"]} == {"extract_facts"}

    stats = client.get("/api/cases/clean-loan/stats").json()["cases"][0]["steps"]
    by_step = {s["checkpoint"]: s for s in stats}
    assert by_step["approve_facts"]["edit"] == 1 and by_step["approve_facts"]["changed_fields"] == 1
    assert by_step["approve_statutes"]["approve_rate"] == 1.0
    assert by_step["approve_reasoning"]["chars_added"] > 0
    assert by_step["approve_draft"]["approve"] == 1

    html = client.get("/api/cases/clean-loan/export/trace.html").text
    assert "<link" not in html and "src=" not in html  # nothing to fetch: readable offline
    assert "approve_reasoning" in html and "75000.00" in html
    jsonl = client.get("/api/cases/clean-loan/export/trace.jsonl").text.splitlines()
    assert len(jsonl) == len(trace["decisions"]) + trace["total"]
    bundle = client.get("/api/cases/clean-loan/export/bundle.zip")
    assert bundle.status_code == 200 and bundle.content[:2] == b"PK"

    # Exports are pseudonymized; a judge may take the real names (the audit log records it).
    people = ["陈志明", "刘海涛"]  # the parties of examples/clean-loan
    assert people and not [p for p in people if p in judgment]
    real = client.get("/api/cases/clean-loan/export/judgment.md", params={"real_names": "true"}).text
    assert all(p in real for p in people)


def test_unsigned_requests_get_401(client: Any) -> None:
    assert_clean_error(client.get("/api/cases"), 401, "请先登录")
    response = client.post("/api/login", json={"name": "wang", "password": "wrong-password"})
    assert_clean_error(response, 401, "用户名或密码错误")
    response = client.post("/api/login", json={"name": "nobody", "password": "wrong-password"})
    assert_clean_error(response, 401, "用户名或密码错误")


def test_an_expired_session_is_refused_with_its_message(
    client: Any, login: Callable[[str], str], web_home: Path
) -> None:
    from judgeflow.app.web.accounts import AccountStore

    login("wang")
    assert client.get("/api/cases").status_code == 200
    AccountStore(web_home).expire_sessions("wang")
    assert_clean_error(client.get("/api/cases"), 401, "会话已过期，请重新登录")
    page = client.get("/cases", follow_redirects=False)
    assert page.status_code == 303 and "expired=1" in page.headers["location"]
    assert "会话已过期，请重新登录" in client.get(page.headers["location"]).text


def test_roles_are_enforced_on_the_server(client: Any, login: Callable[[str], str]) -> None:
    csrf = login("wang")
    _start(client, csrf)
    clerk = login("li")
    response = _decide(client, clerk, {"checkpoint": "approve_facts", "kind": "approve"})
    assert_clean_error(response, 403, "无权在审批节点作出决定")
    response = _decide(client, clerk, {"checkpoint": "approve_draft", "kind": "approve"})
    assert_clean_error(response, 403, "无权签发判决")
    reviewer = login("zhao")
    assert_clean_error(
        client.post("/api/cases", json={"example": "guarantor"}, headers={"X-CSRF-Token": reviewer}),
        403,
        "无权立案",
    )
    assert client.get("/api/cases/clean-loan/trace").status_code == 200  # a reviewer reads the trace
    assert_clean_error(client.get("/api/accounts"), 403, "无权管理账户")
    admin = login("root")
    created = client.post(
        "/api/accounts",
        json={"name": "sun", "role": "clerk", "password": "another-pass-1"},
        headers={"X-CSRF-Token": admin},
    )
    assert created.status_code == 201 and created.json() == {"name": "sun", "role": "clerk", "active": True}
    response = _decide(client, admin, {"checkpoint": "approve_facts", "kind": "approve"})
    assert_clean_error(response, 403, "无权在审批节点作出决定")


def test_changes_without_the_csrf_token_are_refused(client: Any, login: Callable[[str], str]) -> None:
    login("wang")
    response = client.post("/api/cases", json={"example": "clean-loan"})
    assert_clean_error(response, 403, "CSRF 校验失败")
    response = client.post("/api/cases", json={"example": "clean-loan"}, headers={"X-CSRF-Token": "forged"})
    assert_clean_error(response, 403, "CSRF 校验失败")
    page = client.post("/cases/start", data={"example": "clean-loan"})
    assert_clean_error(page, 403, "CSRF 校验失败", html=True)


def test_unknown_things_get_404(client: Any, login: Callable[[str], str]) -> None:
    login("wang")
    assert_clean_error(client.get("/api/cases/no-such-case"), 404, "找不到案件")
    assert_clean_error(client.get("/api/cases/no-such-case/trace"), 404, "找不到案件")
    assert_clean_error(client.get("/cases/no-such-case"), 404, "找不到案件", html=True)
    assert_clean_error(client.get("/api/nothing-here"), 404, "不存在")


def test_conflicting_decisions_get_409(client: Any, login: Callable[[str], str]) -> None:
    csrf = login("wang")
    _start(client, csrf)
    response = _decide(client, csrf, {"checkpoint": "approve_statutes", "kind": "approve"})
    assert_clean_error(response, 409, "当前等待的是 approve_facts")
    response = client.post("/api/cases", json={"example": "clean-loan"}, headers={"X-CSRF-Token": csrf})
    assert_clean_error(response, 409, "已存在")
    assert _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "approve"}).status_code == 200
    stale = _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "approve"})  # a second tab
    assert_clean_error(stale, 409, "该节点可能已由他人处理")


def test_invalid_input_gets_422(client: Any, login: Callable[[str], str]) -> None:
    csrf = login("wang")
    _start(client, csrf)
    assert_clean_error(_decide(client, csrf, {"kind": "approve"}), 422, "请求参数不合法")
    assert_clean_error(
        _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "maybe"}), 422, "请求参数不合法"
    )
    bad_edit = {
        "checkpoint": "approve_facts",
        "kind": "edit",
        "replacement": {"facts": {"F999": {"value": "1"}}},
    }
    assert_clean_error(_decide(client, csrf, bad_edit), 422, "事实台账中没有这些编号")
    assert_clean_error(
        _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "reject"}), 422, "退回时必须写明理由"
    )
    assert_clean_error(
        _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "edit"}), 422, "没有任何修改"
    )
    assert_clean_error(client.get("/api/cases/bad%20id!"), 422, "案件编号")
    response = client.post("/api/cases", json={"example": "missing"}, headers={"X-CSRF-Token": csrf})
    assert_clean_error(response, 422, "没有名为")
    assert_clean_error(
        client.post("/api/login", content=b"{not json", headers={"Content-Type": "application/json"}),
        422,
        "请求参数不合法",
    )


def test_uploaded_documents_start_a_case(
    client: Any, login: Callable[[str], str], example: Callable[[str], Path]
) -> None:
    csrf = login("li")  # a clerk loads materials and runs the flow
    folder = example("guarantor")
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(folder.iterdir())]
    response = client.post(
        "/api/cases/upload", data={"case_id": "上传-1"}, files=files, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 201, response.text
    assert response.json()["checkpoint"] == "approve_facts"
    bad = [("files", ("run.sh", b"echo", "text/plain"))]
    response = client.post(
        "/api/cases/upload", data={"case_id": "上传-2"}, files=bad, headers={"X-CSRF-Token": csrf}
    )
    assert_clean_error(response, 422, "只接受 .txt")


def test_logins_failures_and_account_changes_reach_the_audit_log(
    client: Any, login: Callable[[str], str], web_home: Path
) -> None:
    from judgeflow.graph.audit import AuditLog

    client.post("/api/login", json={"name": "wang", "password": "not-this-one"})
    admin = login("root")
    client.patch("/api/accounts/li", json={"role": "reviewer"}, headers={"X-CSRF-Token": admin})
    log = AuditLog(web_home)
    try:
        entries = log.entries("web:access")
        assert log.verify().ok
    finally:
        log.close()
    actions = [(e["actor"], e["action"]) for e in entries]
    assert ("web:wang", "web.login_failed") in actions
    assert ("admin:root", "web.login") in actions
    assert ("admin:root", "account.update") in actions


def test_the_openapi_schema_describes_the_api(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/cases/{case_id}/decisions" in paths and "/api/cases/{case_id}/trace" in paths
    assert not any(p.startswith("/cases") for p in paths)  # pages are not part of the API


def test_only_a_judge_exports_real_names(client: Any, login: Callable[[str], str]) -> None:
    csrf = login("wang")
    _start(client, csrf)
    _decide(client, csrf, {"checkpoint": "approve_facts", "kind": "approve"})
    _decide(client, csrf, {"checkpoint": "approve_statutes", "kind": "approve"})
    _decide(client, csrf, {"checkpoint": "approve_reasoning", "kind": "approve"})
    client.post("/api/logout", headers={"X-CSRF-Token": csrf})
    login("zhao")  # a reviewer
    assert client.get("/api/cases/clean-loan/export/judgment.md").status_code == 200
    refused = client.get("/api/cases/clean-loan/export/judgment.md", params={"real_names": "true"})
    assert_clean_error(refused, 403, "无权")
