"""The workbench's pages (server-rendered, Chinese): login, cases, checkpoints, trace, statistics, accounts.

Pages call the same service.Workbench functions as the JSON API. Forms carry the session's CSRF
token in a hidden field; the login form carries a token of its own (a cookie and a field that
must match), so a foreign site cannot sign a browser into an account of its choosing.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from judgeflow.app.web.accounts import Session
from judgeflow.app.web.app import (
    EXPIRED_MESSAGE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    base_context,
    check_csrf,
    cookie_secure,
    current_session,
    set_session_cookie,
    workbench,
)
from judgeflow.app.web.forms import edit_from_form
from judgeflow.app.web.highlight import runs
from judgeflow.app.web.service import AuthenticationError, TraceFilter
from judgeflow.errors import InputError
from judgeflow.graph.approvals import CHECKPOINT_TITLES
from judgeflow.graph.runner import CaseStatus
from judgeflow.graph.state import CHECKPOINTS, CaseState
from judgeflow.policies.case_policy import get_policy
from judgeflow.policies.roles import may
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

router = APIRouter(include_in_schema=False)

STATUS_ZH = {"waiting": "等待审批", "interrupted": "中断（可继续）", "done": "已签发"}
KIND_ZH = {"node_run": "节点运行", "decision": "审批决定"}
DECISION_ZH = {"approve": "批准", "edit": "编辑", "reject": "退回"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def render(
    request: Request, name: str, context: dict[str, Any], session: Session | None, status: int = 200
) -> Response:
    """A page from the templates, with the signed-in account and labels every page uses."""
    templates: Jinja2Templates = request.app.state.templates
    base = base_context(session) | {"status_zh": STATUS_ZH, "titles": CHECKPOINT_TITLES}
    return templates.TemplateResponse(request, name, base | context, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (a POST followed by a GET)."""
    return RedirectResponse(url, status_code=303)


async def form_session(request: Request) -> tuple[Session, FormData]:
    """The session and the submitted form of a page POST, after checking the form's CSRF token."""
    session = current_session(request)
    form = await request.form()
    token = form.get("csrf_token")
    check_csrf(session, token if isinstance(token, str) else None)
    return session, form


def _fields(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


# -- login ---------------------------------------------------------------------------------------
@router.get("/login")
def login_page(request: Request, expired: int = 0, next: str = "/cases", error: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    context = {
        "login_csrf": token,
        "next": next if next.startswith("/") and not next.startswith("//") else "/cases",
        "message": EXPIRED_MESSAGE if expired else "",
        "error": error,
    }
    response = render(request, "login.html", context, None, status=401 if error else 200)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=cookie_secure())
    return response


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await request.form()
    name, password, token = (str(form.get(k) or "") for k in ("name", "password", "login_csrf"))
    target = str(form.get("next") or "/cases")
    if not target.startswith("/") or target.startswith("//"):
        target = "/cases"
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not token or not expected or not secrets.compare_digest(token, expected):
        return redirect("/login?error=" + quote("登录表单已失效，请重新输入"))
    client = request.client.host if request.client else ""
    try:
        session = await run_in_threadpool(workbench(request).login, name, password, client)
    except AuthenticationError as exc:
        return login_page(request, 0, target, str(exc))
    response = redirect(target)
    set_session_cookie(response, session.token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    session, _ = await form_session(request)
    await run_in_threadpool(workbench(request).logout, session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- cases ---------------------------------------------------------------------------------------
@router.get("/")
def home() -> Response:
    return redirect("/cases")


@router.get("/cases")
def cases_page(request: Request) -> Response:
    session = current_session(request)
    bench = workbench(request)
    rows = bench.list_cases(session.account)
    return render(request, "cases.html", {"cases": rows, "examples": bench.list_examples()}, session)


@router.post("/cases/start")
async def start_example(request: Request) -> Response:
    session, form = await form_session(request)
    fields = _fields(form)
    bench = workbench(request)
    status = await run_in_threadpool(
        bench.start_example, session.account, fields.get("example", ""), fields.get("case_id", "").strip()
    )
    return redirect(f"/cases/{quote(status.case_id)}")


@router.post("/cases/upload")
async def start_upload(request: Request) -> Response:
    session, form = await form_session(request)
    files = [(f.filename or "", await f.read()) for f in form.getlist("files") if isinstance(f, UploadFile)]
    files = [(name, data) for name, data in files if name]
    case_id = str(form.get("case_id") or "").strip()
    status = await run_in_threadpool(workbench(request).start_upload, session.account, case_id, files)
    return redirect(f"/cases/{quote(status.case_id)}")


def _document_runs(state: CaseState) -> list[dict[str, Any]]:
    """Each document cut into runs by the facts whose spans cover them."""
    documents = []
    for doc in state.documents:
        spans = [(s.start, s.end, f.id) for f in state.facts for s in f.spans if s.document_id == doc.id]
        documents.append({"doc": doc, "runs": runs(doc.text, spans)})
    return documents


def _draft_sections(state: CaseState) -> list[dict[str, Any]]:
    """Each draft section cut into runs by the findings that fall into it (finding numbers as keys)."""
    if state.draft is None:
        return []
    sections = []
    for section in state.draft.sections:
        start = state.draft.section_start(section.name)
        text = section.text
        spans = [
            (f.start - start, f.end - start, f"N{n}")
            for n, f in enumerate(state.findings, start=1)
            if start <= f.start < start + len(text) + 1
        ]
        sections.append({"name": section.name, "text": text, "runs": runs(text, spans)})
    return sections


def case_context(status: CaseStatus, session: Session, selected_fact: str) -> dict[str, Any]:
    """What the case page shows for the case's current checkpoint."""
    state = status.state
    policy = get_policy(state.policy)
    role = session.account.role
    checkpoint = status.checkpoint
    can_decide = (
        bool(checkpoint) and may(role, "decide") and policy.may_decide(role, checkpoint or "approve_facts")
    )
    can_sign = can_decide and may(role, "sign")
    severities = {f"N{n}": f.severity for n, f in enumerate(state.findings, start=1)}
    return {
        "status": status,
        "state": state,
        "checkpoint": checkpoint,
        "deciders": sorted(policy.deciders.get(checkpoint, frozenset())) if checkpoint else [],
        "can_decide": can_decide and (checkpoint != "approve_draft" or can_sign),
        "selected_fact": selected_fact,
        "documents": _document_runs(state) if checkpoint == "approve_facts" else [],
        "facts_by_id": {f.id: f for f in state.facts},
        "statutes_by_id": {s.id: s for s in state.statutes},
        "claims": state.facts_of("claim"),
        "sections": _draft_sections(state),
        "severities": severities,
        "severity_zh": SEVERITY_ZH,
        "blocking": any(f.blocking for f in state.findings),
        "dispositions": ["支持", "部分支持", "不予支持"],
        "step_units": {
            "starting_point": "月",
            "base": "月",
            "result": "月",
            "adj": "比例",
            "fine": "元",
            "probation": "月",
        },
    }


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str, fact: str = "") -> Response:
    session = current_session(request)
    status = workbench(request).status(session.account, case_id)
    return render(request, "case.html", case_context(status, session, fact), session)


@router.post("/cases/{case_id}/decide")
async def decide(request: Request, case_id: str) -> Response:
    session, form = await form_session(request)
    fields = _fields(form)
    bench = workbench(request)
    checkpoint = fields.get("checkpoint", "")
    kind = fields.get("action", "")
    replacement = None
    if kind in ("edit", "approve") and checkpoint in CHECKPOINTS:
        status = await run_in_threadpool(bench.status, session.account, case_id)
        removed = [v for v in form.getlist("remove") if isinstance(v, str)]
        if status.checkpoint == checkpoint:  # else runner.decide reports the stale page (409)
            replacement = edit_from_form(checkpoint, status.state, fields, removed)
        if kind == "approve" and replacement:
            raise InputError("您修改了内容：请点击“保存修改并继续”保存修改，或刷新页面放弃修改后再批准")
    await run_in_threadpool(
        bench.decide, session.account, case_id, checkpoint, kind, fields.get("comment", ""), replacement
    )
    return redirect(f"/cases/{quote(case_id)}")


# -- trace and statistics ------------------------------------------------------------------------
@router.get("/cases/{case_id}/trace")
def trace_page(request: Request, case_id: str, node: str = "", kind: str = "") -> Response:
    session = current_session(request)
    if kind and kind not in KIND_ZH:
        raise InputError(f"未知的事件类型 {kind!r}；可选：node_run、decision")
    trace = workbench(request).trace(session.account, case_id, TraceFilter(node or None, kind or None))
    return render(
        request, "trace.html", {"trace": trace, "kind_zh": KIND_ZH, "decision_zh": DECISION_ZH}, session
    )


@router.get("/stats")
def stats_page(request: Request, case: str = "") -> Response:
    session = current_session(request)
    stats = workbench(request).stats(session.account, case or None)
    return render(request, "stats.html", {"stats": stats, "case": case}, session)


# -- accounts ------------------------------------------------------------------------------------
@router.get("/accounts")
def accounts_page(request: Request) -> Response:
    session = current_session(request)
    accounts = workbench(request).list_accounts(session.account)
    return render(request, "accounts.html", {"accounts": accounts}, session)


@router.post("/accounts")
async def add_account(request: Request) -> Response:
    session, form = await form_session(request)
    fields = _fields(form)
    await run_in_threadpool(
        workbench(request).add_account,
        session.account,
        fields.get("name", "").strip(),
        fields.get("role", ""),
        fields.get("password", ""),
    )
    return redirect("/accounts")


@router.post("/accounts/{name}")
async def update_account(request: Request, name: str) -> Response:
    session, form = await form_session(request)
    fields = _fields(form)
    role = fields.get("role") or None
    active = {"1": True, "0": False}.get(fields.get("active", ""))
    password = fields.get("password") or None
    await run_in_threadpool(workbench(request).update_account, session.account, name, role, active, password)
    return redirect("/accounts")
