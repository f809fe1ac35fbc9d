"""Which model runs which agent step: per-step settings read from a TOML file.

The file is named by `JUDGEFLOW_MODELS`, else `$JUDGEFLOW_HOME/models.toml` (default
`~/.judgeflow/models.toml`). Without a file every step runs on the `rules` engine. A table per
agent step (`extract_facts`, `build_reasoning`, `write_draft`) overrides the `[default]` table:

    [default]
    backend = "sglang"
    base_url = "http://localhost:30000/v1"
    model = "Qwen/Qwen2.5-7B-Instruct"

    [write_draft]
    temperature = 0.3

A missing or malformed file named explicitly is an InputError (a user can cause it); nothing here
contacts a server or reads weights.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from judgeflow.errors import InputError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

Backend = Literal["rules", "sglang", "openai", "transformers"]
StructuredMode = Literal["json_schema", "json_object_schema", "none"]
MODEL_STEPS: tuple[str, ...] = ("extract_facts", "build_reasoning", "write_draft")


class ModelSettings(BaseModel):
    """How one agent step reaches its model (or that it uses none)."""

    model_config = ConfigDict(extra="forbid")

    backend: Backend = Field(default="rules", description="rules = no model (the default).")
    model: str = Field(
        default="", description="Model name sent to the server (or a label for local weights)."
    )
    base_url: str = Field(
        default="", description="OpenAI-compatible base URL ending in /v1 (sglang, openai)."
    )
    api_key: str = Field(default="EMPTY", description="API key; local servers accept any value.")
    api_key_env: str = Field(default="", description="Read the API key from this environment variable.")
    model_path: str = Field(default="", description="Folder of local weights and tokenizer (transformers).")
    device: str = Field(default="cpu", description="torch device for local weights: cpu, cuda, cuda:1 …")
    structured_output: StructuredMode | None = Field(
        default=None,
        description="How the schema is sent: json_schema (OpenAI form), json_object_schema (llama.cpp), none. "
        "Default: json_schema for sglang/openai, grammar-constrained for transformers.",
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0, description="Sampling temperature.")
    max_tokens: int = Field(default=2048, ge=1, description="Most tokens one answer may have.")
    timeout_s: float = Field(default=120.0, gt=0, description="Seconds to wait for one answer.")
    max_attempts: int = Field(
        default=3, ge=1, le=5, description="Answers asked for per step (the first + retries with the reason)."
    )
    stream: bool = Field(default=False, description="Stream the answer (server-sent events).")
    extra_body: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields, e.g. SGLang's regex / ebnf / top_k."
    )
    local: bool | None = Field(
        default=None,
        description="Whether the endpoint runs inside the court (case text is sent as it is). Unset: "
        "local weights and loopback servers are local; any other endpoint gets pseudonymized text.",
    )

    @property
    def uses_model(self) -> bool:
        """False for the rules engine."""
        return self.backend != "rules"

    @property
    def endpoint_is_local(self) -> bool:
        """True when case text may be sent unchanged (see `local`)."""
        if self.local is not None:
            return self.local
        if self.backend == "transformers":
            return True
        from urllib.parse import urlparse

        host = urlparse(self.base_url).hostname or ""
        return host in ("localhost", "127.0.0.1", "::1")

    @property
    def structured_mode(self) -> StructuredMode:
        """The structured-output mode in force for this backend."""
        return self.structured_output or "json_schema"

    def resolved_api_key(self) -> str:
        """The API key, read from `api_key_env` when that is set."""
        if self.api_key_env:
            return os.environ.get(self.api_key_env, "")
        return self.api_key

    def label(self) -> str:
        """`backend/model` as the trace shows it."""
        name = self.model or Path(self.model_path).name or "-"
        return f"{self.backend}/{name}"

    def public(self) -> dict[str, Any]:
        """The settings as recorded in the trace (never the API key)."""
        return self.model_dump(exclude={"api_key", "api_key_env"})


def config_path() -> Path | None:
    """The models file in force: $JUDGEFLOW_MODELS, else $JUDGEFLOW_HOME/models.toml if it exists."""
    named = os.environ.get("JUDGEFLOW_MODELS", "").strip()
    if named:
        return Path(named).expanduser()
    home = Path(os.environ.get("JUDGEFLOW_HOME") or Path.home() / ".judgeflow").expanduser()
    candidate = home / "models.toml"
    return candidate if candidate.is_file() else None


def read_models_file(path: Path) -> dict[str, dict[str, Any]]:
    """The tables of a models file; an unreadable file is an InputError saying what to fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"模型配置文件 {path} 不存在；请检查 JUDGEFLOW_MODELS / model config file not found"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"模型配置文件 {path} 不是合法的 TOML：{exc} / invalid TOML") from None
    unknown = sorted(k for k in data if k != "default" and k not in MODEL_STEPS)
    if unknown:
        raise InputError(
            f"模型配置文件 {path} 含未知步骤 {unknown}；可配置的步骤：default、{'、'.join(MODEL_STEPS)} "
            "/ unknown step tables"
        )
    if not all(isinstance(v, dict) for v in data.values()):
        raise InputError(
            f"模型配置文件 {path} 的每一项都应是表（[default]、[extract_facts] …） / tables only"
        )
    return data


def settings_for(step: str, path: Path | None = None) -> ModelSettings:
    """The settings of one agent step: its table over `[default]`, or the rules engine without a file."""
    path = path if path is not None else config_path()
    if path is None:
        return ModelSettings()
    tables = read_models_file(path)
    merged = {**tables.get("default", {}), **tables.get(step, {})}
    try:
        return ModelSettings.model_validate(merged)
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InputError(
            f"模型配置文件 {path} 中 [{step}] 的设置无效：{problems} / invalid model settings"
        ) from None
