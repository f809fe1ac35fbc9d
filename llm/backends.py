"""The one small interface to every model backend: a LangChain chat model per agent step.

`chat_model(settings)` returns a `BaseChatModel` — `ChatOpenAI` pointed at the server's `/v1` for the
`sglang` and `openai` backends, `LocalChatModel` for `transformers` — and `ask(...)` sends one
structured request through it and returns the text with its token counts. How the JSON schema travels
is the endpoint's business (`structured_output`): the OpenAI `json_schema` form, llama.cpp's
`{"type": "json_object", "schema": …}` (llama_cpp.server rejects the other form), or not at all.
SGLang's own sampling parameters (`regex`, `ebnf`, `top_k` …) go in the request body through
`extra_body`; a `regex` or `ebnf` there replaces the schema, since SGLang takes one constraint only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
import openai
from judgeflow.llm.config import ModelSettings
from judgeflow.llm.errors import ModelUnavailableError
from judgeflow.llm.local import LocalChatModel
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_openai import ChatOpenAI

GRAMMAR_KEYS = ("regex", "ebnf")


_MODELS: dict[str, BaseChatModel] = {}


def chat_model(settings: ModelSettings) -> BaseChatModel:
    """The LangChain chat model for a step's settings, made once per distinct settings (its HTTP
    client and connection pool are reused by every later step and case)."""
    key = settings.model_dump_json()
    model = _MODELS.get(key)
    if model is None:
        model = _MODELS[key] = _new_chat_model(settings)
    return model


def _new_chat_model(settings: ModelSettings) -> BaseChatModel:
    if settings.backend in ("sglang", "openai"):
        if not settings.base_url:
            raise ModelUnavailableError(
                f"{settings.backend} 后端未配置 base_url（如 http://localhost:30000/v1） / base_url missing"
            )
        return ChatOpenAI(
            model=settings.model or "default",
            base_url=settings.base_url,
            api_key=settings.resolved_api_key() or "EMPTY",
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout=settings.timeout_s,
            max_retries=0,
            streaming=settings.stream,
            stream_usage=True,
        )
    if settings.backend == "transformers":
        if not settings.model_path:
            raise ModelUnavailableError("transformers 后端未配置 model_path / model_path missing")
        return LocalChatModel(
            model_path=settings.model_path,
            device=settings.device,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
        )
    raise ModelUnavailableError(f"步骤配置为 {settings.backend}，不使用模型 / this step uses no model")


def request_options(settings: ModelSettings, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The call-time options that carry the output schema (and extra body fields) for this endpoint."""
    extra = dict(settings.extra_body)
    grammar = {k: extra[k] for k in GRAMMAR_KEYS if k in extra}
    if settings.backend == "transformers":
        if grammar:
            return grammar
        return {"response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}}
    # Both forms travel in `extra_body`, so the body is the same JSON but LangChain takes the OpenAI
    # SDK's plain `create` path: with a top-level `response_format` it takes `parse`, which also runs
    # the schema through the SDK's type transform on every call (a few ms) and raises on a truncated
    # answer (finish_reason "length") instead of returning it for the step to retry.
    if not grammar and settings.structured_mode == "json_schema":
        extra["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
    elif not grammar and settings.structured_mode == "json_object_schema":
        extra["response_format"] = {"type": "json_object", "schema": schema}
    return {"extra_body": extra} if extra else {}


@dataclass(frozen=True)
class ModelReply:
    """One answer: its text and what it cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    duration_ms: float
    finish_reason: str


def ask(model: BaseChatModel, messages: list[BaseMessage], options: dict[str, Any]) -> ModelReply:
    """Send one request; transport failures become ModelUnavailableError with a clear message."""
    started = time.perf_counter()
    try:
        answer = model.invoke(messages, **options)
    except openai.APITimeoutError:
        raise ModelUnavailableError("模型服务应答超时 / the model server timed out") from None
    except openai.APIConnectionError as exc:
        raise ModelUnavailableError(f"无法连接模型服务：{exc} / cannot reach the model server") from None
    except openai.APIStatusError as exc:
        raise ModelUnavailableError(
            f"模型服务返回 HTTP {exc.status_code}：{str(exc)[:200]} / the model server refused the request"
        ) from None
    duration_ms = (time.perf_counter() - started) * 1000
    usage: dict[str, Any] = dict(getattr(answer, "usage_metadata", None) or {})
    details: dict[str, Any] = dict(usage.get("input_token_details") or {})
    return ModelReply(
        text=answer.text,
        prompt_tokens=int(usage.get("input_tokens", 0)),
        completion_tokens=int(usage.get("output_tokens", 0)),
        cached_tokens=int(details.get("cache_read", 0) or 0),
        duration_ms=round(duration_ms, 3),
        finish_reason=str(answer.response_metadata.get("finish_reason", "")),
    )


def server_root(base_url: str) -> str:
    """The server's root URL (base_url without its trailing /v1)."""
    root = base_url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


@dataclass(frozen=True)
class Health:
    """What a health check found."""

    ok: bool
    detail: str
    models: list[str]


def check_health(settings: ModelSettings, timeout_s: float = 5.0) -> Health:
    """Ask an OpenAI-compatible server whether it is up (`/health` for SGLang) and which models it serves."""
    if settings.backend not in ("sglang", "openai"):
        return Health(
            ok=settings.backend == "rules", detail=f"{settings.backend}: no server to check", models=[]
        )
    headers = {"Authorization": f"Bearer {settings.resolved_api_key() or 'EMPTY'}"}
    try:
        with httpx.Client(timeout=timeout_s, headers=headers) as client:
            if settings.backend == "sglang":
                health = client.get(server_root(settings.base_url) + "/health")
                if health.status_code != 200:
                    return Health(False, f"/health 返回 HTTP {health.status_code}", [])
            listed = client.get(settings.base_url.rstrip("/") + "/models")
    except httpx.HTTPError as exc:
        return Health(False, f"无法连接 {settings.base_url}：{exc}", [])
    if listed.status_code != 200:
        return Health(False, f"/v1/models 返回 HTTP {listed.status_code}", [])
    models = [str(m.get("id", "")) for m in listed.json().get("data", [])]
    return Health(True, "ok", models)
