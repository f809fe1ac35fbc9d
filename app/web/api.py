"""The JSON API under /api (described by the OpenAPI schema at /openapi.json).

Requests carry the session cookie that `POST /api/login` sets; every request that changes
something also carries the session's CSRF token in the `X-CSRF-Token` header (the login answer
returns it). Each route is a thin call into service.Workbench, the same functions the pages use.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from judgeflow.app.web.accounts import Account, Session
from judgeflow.app.web.app import (
    CSRF_HEADER,
    check_csrf,
    current_session,
    set_session_cookie,
    workbench,
)
from judgeflow.app.web.service import TraceFilter, Workbench
from judgeflow.graph.runner import CaseStatus
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", tags=["api"])

SessionDep = Annotated[Session, Depends(current_session)]
BenchDep = Annotated[Workbench, Depends(workbench)]


def csrf_session(
    session: SessionDep, token: Annotated[str | None, Header(alias=CSRF_HEADER)] = None
) -> Session:
    """The session of a request that changes something, after checking its CSRF header."""
    check_csrf(session, token)
    return session


CsrfDep = Annotated[Session, Depends(csrf_session)]


class LoginBody(BaseModel):
    """Name and password of a workbench account."""

    name: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)


class StartBody(BaseModel):
    """Start a case from an example folder."""

    example: str = Field(description="Name of the example folder (see GET /api/examples).")
    case_id: str = Field(default="", description="Case id (default: the example's name).")


class DecisionBody(BaseModel):
    """A decision at the waiting checkpoint; `replacement` follows docs/EDITS.md for edits."""

    checkpoint: Literal["approve_facts", "approve_statutes", "approve_reasoning", "approve_draft"]
    kind: Literal["approve", "edit", "reject"]
    comment: str = Field(default="", max_length=4000)
    replacement: dict[str, Any] | None = None


class AccountBody(BaseModel):
    """A new account."""

    name: str
    role: Literal["judge", "clerk", "reviewer", "admin"]
    password: str


class AccountPatch(BaseModel):
    """Changes to an account (any of role, active, password)."""

    role: Literal["judge", "clerk", "reviewer", "admin"] | None = None
    active: bool | None = None
    password: str | None = None


def account_json(account: Account) -> dict[str, Any]:
    """An account as the API shows it (never its password hash)."""
    return {"name": account.name, "role": account.role, "active": account.active}


def status_json(status: CaseStatus) -> dict[str, Any]:
    """A case's status with the content of its waiting checkpoint and the state's main parts."""
    state = status.state
    return {
        **status.to_json(),
        "info": state.info.model_dump(mode="json"),
        "documents": [d.model_dump(mode="json") for d in state.documents],
        "judgment": state.judgment,
    }


@router.post("/login", summary="登录：设置会话 Cookie，返回 CSRF 令牌")
def login(body: LoginBody, request: Request, bench: BenchDep) -> JSONResponse:
    client = request.client.host if request.client else ""
    session = bench.login(body.name, body.password, client)
    response = JSONResponse({"account": account_json(session.account), "csrf_token": session.csrf})
    set_session_cookie(response, session.token)
    return response


@router.post("/logout", summary="退出登录")
def logout(session: CsrfDep, request: Request, bench: BenchDep) -> dict[str, str]:
    bench.logout(session, request.cookies.get("jf_session", ""))
    return {"message": "已退出登录"}


@router.get("/me", summary="当前账户与 CSRF 令牌")
def me(session: SessionDep) -> dict[str, Any]:
    return {"account": account_json(session.account), "csrf_token": session.csrf}


@router.get("/examples", summary="可用于立案的示例案件")
def examples(session: SessionDep, bench: BenchDep) -> dict[str, list[str]]:
    return {"examples": bench.list_examples()}


@router.get("/cases", summary="案件列表：状态与等待的审批节点")
def list_cases(session: SessionDep, bench: BenchDep) -> dict[str, Any]:
    return {"cases": bench.list_cases(session.account)}


@router.post("/cases", status_code=201, summary="从示例文件夹立案并运行到第一个审批节点")
def start_case(body: StartBody, session: CsrfDep, bench: BenchDep) -> dict[str, Any]:
    return status_json(bench.start_example(session.account, body.example, body.case_id))


@router.post("/cases/upload", status_code=201, summary="上传文书（.txt，可附 case.json）立案")
async def upload_case(
    session: CsrfDep,
    bench: BenchDep,
    case_id: Annotated[str, Form()],
    files: Annotated[list[UploadFile], File()],
) -> dict[str, Any]:
    contents = [(f.filename or "", await f.read()) for f in files]
    return status_json(bench.start_upload(session.account, case_id, contents))


@router.get("/cases/{case_id}", summary="案件状态与当前审批节点的内容")
def show_case(case_id: str, session: SessionDep, bench: BenchDep) -> dict[str, Any]:
    return status_json(bench.status(session.account, case_id))


@router.post("/cases/{case_id}/decisions", summary="批准 / 编辑 / 退回当前节点（approve_draft 批准即签发）")
def decide(case_id: str, body: DecisionBody, session: CsrfDep, bench: BenchDep) -> dict[str, Any]:
    status = bench.decide(
        session.account, case_id, body.checkpoint, body.kind, body.comment, body.replacement
    )
    return status_json(status)


@router.get("/cases/{case_id}/trace", summary="案件轨迹：节点运行与决定（可按节点、类型筛选）")
def trace(
    case_id: str,
    session: SessionDep,
    bench: BenchDep,
    node: str | None = None,
    kind: Literal["node_run", "decision"] | None = None,
) -> dict[str, Any]:
    return bench.trace(session.account, case_id, TraceFilter(node=node or None, kind=kind))


@router.get("/cases/{case_id}/stats", summary="单个案件的采纳率与修改幅度")
def case_stats(case_id: str, session: SessionDep, bench: BenchDep) -> dict[str, Any]:
    return bench.stats(session.account, case_id)


@router.get("/stats", summary="全部案件的采纳率与修改幅度")
def all_stats(session: SessionDep, bench: BenchDep) -> dict[str, Any]:
    return bench.stats(session.account)


RealNames = Annotated[
    bool, Query(description="保留真实个人信息（仅法官；默认化名导出）/ keep personal data (judges only)")
]


@router.get(
    "/cases/{case_id}/export/trace.jsonl", summary="导出轨迹（JSONL）", response_class=PlainTextResponse
)
def export_jsonl(
    case_id: str, session: SessionDep, bench: BenchDep, real_names: RealNames = False
) -> Response:
    body = bench.export_trace_jsonl(session.account, case_id, real_names)
    return _download(body.encode("utf-8"), f"{case_id}.trace.jsonl", "application/x-ndjson; charset=utf-8")


@router.get(
    "/cases/{case_id}/export/trace.html",
    summary="导出轨迹（单个离线 HTML 文件）",
    response_class=HTMLResponse,
)
def export_html(
    case_id: str, session: SessionDep, bench: BenchDep, real_names: RealNames = False
) -> Response:
    body = bench.export_trace_html(session.account, case_id, real_names)
    return _download(body.encode("utf-8"), f"{case_id}.trace.html", "text/html; charset=utf-8")


@router.get(
    "/cases/{case_id}/export/judgment.md", summary="导出判决书（Markdown）", response_class=PlainTextResponse
)
def export_judgment(
    case_id: str, session: SessionDep, bench: BenchDep, real_names: RealNames = False
) -> Response:
    body = bench.export_judgment(session.account, case_id, real_names)
    return _download(body.encode("utf-8"), f"{case_id}.judgment.md", "text/markdown; charset=utf-8")


@router.get(
    "/cases/{case_id}/export/bundle.zip", summary="导出全部材料（判决书、来源说明、轨迹 JSONL 与 HTML）"
)
def export_bundle(
    case_id: str, session: SessionDep, bench: BenchDep, real_names: RealNames = False
) -> Response:
    return _download(
        bench.export_bundle(session.account, case_id, real_names),
        f"{case_id}.bundle.zip",
        "application/zip",
    )


@router.get("/accounts", summary="账户列表（管理员）")
def list_accounts(session: SessionDep, bench: BenchDep) -> dict[str, Any]:
    return {"accounts": [account_json(a) for a in bench.list_accounts(session.account)]}


@router.post("/accounts", status_code=201, summary="新建账户（管理员）")
def add_account(body: AccountBody, session: CsrfDep, bench: BenchDep) -> dict[str, Any]:
    return account_json(bench.add_account(session.account, body.name, body.role, body.password))


@router.patch("/accounts/{name}", summary="修改账户角色、状态或密码（管理员）")
def update_account(name: str, body: AccountPatch, session: CsrfDep, bench: BenchDep) -> dict[str, Any]:
    account = bench.update_account(session.account, name, body.role, body.active, body.password)
    return account_json(account)


def _download(body: bytes, filename: str, media_type: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
