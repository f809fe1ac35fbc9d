"""The web workbench application: sessions, CSRF, error pages, and the page and API routers.

`create_app(home)` builds the FastAPI app over one JUDGEFLOW_HOME. Every error a user can cause
becomes an HTTP status with a Chinese message — JSON under /api, an error page elsewhere — and
no response ever carries a traceback (unexpected errors are logged on the server only).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from judgeflow.app.web.accounts import Session, SessionExpired
from judgeflow.app.web.bundle import STATIC, template_environment
from judgeflow.app.web.service import AuthenticationError, Workbench
from judgeflow.errors import (
    CaseNotFoundError,
    ConflictError,
    JudgeflowError,
    NotWaitingError,
    PermissionDeniedError,
)
from judgeflow.graph.runner import judgeflow_home
from judgeflow.policies.roles import ROLE_NAMES_ZH, may
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("judgeflow.web")

SESSION_COOKIE = "jf_session"
LOGIN_CSRF_COOKIE = "jf_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
EXPIRED_MESSAGE = "会话已过期，请重新登录"
LOGIN_REQUIRED = "请先登录"

STATUS_OF: list[tuple[type[JudgeflowError], int]] = [
    (CaseNotFoundError, 404),
    (PermissionDeniedError, 403),
    (ConflictError, 409),
    (NotWaitingError, 409),
]
HTTP_MESSAGES = {
    404: "页面或资源不存在",
    405: "不支持该请求方法",
    413: "上传内容过大",
}


class NotSignedIn(Exception):
    """No session, or the session has expired; pages redirect to the login page, the API answers 401."""

    def __init__(self, expired: bool) -> None:
        super().__init__(EXPIRED_MESSAGE if expired else LOGIN_REQUIRED)
        self.expired = expired


class CsrfError(Exception):
    """A form or API call without the session's CSRF token."""


def status_of(exc: JudgeflowError) -> int:
    """The HTTP status for an error a user caused (422 for invalid input of any other kind)."""
    return next((code for cls, code in STATUS_OF if isinstance(exc, cls)), 422)


def wants_json(request: Request) -> bool:
    """True for the JSON API (and the OpenAPI documents), False for pages."""
    return request.url.path.startswith("/api")


def cookie_secure() -> bool:
    """Whether cookies carry the Secure flag ($JUDGEFLOW_COOKIE_SECURE=1 behind HTTPS)."""
    return os.environ.get("JUDGEFLOW_COOKIE_SECURE", "") == "1"


def workbench(request: Request) -> Workbench:
    """The app's Workbench."""
    bench: Workbench = request.app.state.workbench
    return bench


def current_session(request: Request) -> Session:
    """The live session of the request's cookie; NotSignedIn when absent or expired."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotSignedIn(expired=False)
    try:
        session = workbench(request).accounts.session(token)
    except SessionExpired:
        raise NotSignedIn(expired=True) from None
    request.state.session = session
    return session


def check_csrf(session: Session, token: str | None) -> None:
    """Raise CsrfError unless `token` is the session's CSRF token."""
    if not token or not secrets.compare_digest(token, session.csrf):
        raise CsrfError


def set_session_cookie(response: Response, token: str) -> None:
    """Put the session token into an HttpOnly cookie (a browser-session cookie; the server expires it)."""
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=cookie_secure(), path="/"
    )


def error_response(request: Request, status: int, message: str, error: str) -> Response:
    """A JSON error under /api, an error page elsewhere; never a traceback."""
    if wants_json(request):
        return JSONResponse({"error": error, "message": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    session = getattr(request.state, "session", None)
    context = base_context(session) | {"status": status, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def base_context(session: Session | None) -> dict[str, Any]:
    """What every page's layout uses: the signed-in account and the role labels and checks."""
    return {
        "session": session,
        "roles": ROLE_NAMES_ZH,
        "may": (lambda action: session is not None and may(session.account.role, action)),
    }


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "NotSignedIn", "message": str(exc)}, status_code=401)
        target = "/login?expired=1" if exc.expired else "/login"
        if request.method == "GET":
            target += ("&" if "?" in target else "?") + "next=" + quote(request.url.path)
        response = RedirectResponse(target, status_code=303)
        if exc.expired:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.exception_handler(AuthenticationError)
    async def bad_login(request: Request, exc: AuthenticationError) -> Response:
        return error_response(request, 401, str(exc), "AuthenticationError")

    @app.exception_handler(CsrfError)
    async def csrf(request: Request, exc: CsrfError) -> Response:
        return error_response(
            request, 403, "CSRF 校验失败：请刷新页面后重试（缺少或错误的表单令牌）", "CsrfError"
        )

    @app.exception_handler(JudgeflowError)
    async def judgeflow_error(request: Request, exc: JudgeflowError) -> Response:
        return error_response(request, status_of(exc), str(exc), type(exc).__name__)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "；".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or '请求'}：{e.get('msg', '')}"
            for e in exc.errors()[:5]
        )
        return error_response(request, 422, f"请求参数不合法：{problems}", "RequestValidationError")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = HTTP_MESSAGES.get(exc.status_code, f"请求无法处理（HTTP {exc.status_code}）")
        return error_response(request, exc.status_code, message, "HTTPError")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            request, 500, "服务器内部错误，请稍后重试或联系管理员（详情已记录在服务器日志）", "InternalError"
        )


def create_app(home: Path | None = None) -> FastAPI:
    """The workbench app over `home` (default: JUDGEFLOW_HOME)."""
    from judgeflow.app.web.api import router as api_router
    from judgeflow.app.web.pages import router as pages_router

    app = FastAPI(
        title="judgeflow 裁判文书辅助起草工作台",
        description="法官逐节点审批的裁判文书起草系统的 JSON 接口；页面调用同一组函数。",
        version="0.1.0",
    )
    app.state.workbench = Workbench(home or judgeflow_home())
    app.state.templates = Jinja2Templates(env=template_environment())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_handlers(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    return app


def serve(host: str, port: int, home: Path | None = None) -> None:
    """Run the workbench with uvicorn until interrupted."""
    import uvicorn

    logging.basicConfig(level=logging.INFO)
    config: dict[str, Any] = {"host": host, "port": port, "log_level": "warning"}
    uvicorn.run(create_app(home), **config)
