"""The `transformers` backend: local weights from a folder, wrapped as a LangChain chat model.

Generation is constrained by xgrammar: a JSON schema (from `response_format`, in either the OpenAI
`json_schema` form or llama.cpp's `json_object` + `schema` form), a regular expression (`regex`) or an
EBNF grammar (`ebnf`) becomes a token mask applied at every step, so even a model with random weights
can only write text the grammar accepts. Nothing is downloaded: the loader reads `model_path` with
`local_files_only=True` and with the hub switched off. torch, transformers and xgrammar come with the
`local` extra and are imported only when a local model is first used.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from judgeflow.llm.errors import ModelUnavailableError
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


@dataclass
class LoadedModel:
    """Weights, tokenizer and grammar compiler of one local model, shared by every caller."""

    model: Any
    tokenizer: Any
    compiler: Any
    device: str
    lock: threading.Lock = field(default_factory=threading.Lock)


@lru_cache(maxsize=4)
def load_local_model(model_path: str, device: str = "cpu") -> LoadedModel:
    """Load weights and tokenizer from a folder (never from a hub) and prepare the grammar compiler."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if not Path(model_path, "config.json").is_file():
        raise ModelUnavailableError(
            f"本地模型目录 {model_path} 中没有 config.json；请在模型配置的 model_path 中填写已下载的权重目录 "
            "/ model_path must be a folder with local weights"
        )
    try:
        import torch
        import xgrammar
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:
        raise ModelUnavailableError(
            f"本地模型后端需要 torch、transformers 与 xgrammar（{exc.name} 未安装）；请运行 make setup "
            "或 pip install -e '.[local]' 后再 pip install --no-deps xgrammar / install the local extra"
        ) from None
    tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    model: Any = AutoModelForCausalLM.from_pretrained(model_path, local_files_only=True, dtype=torch.float32)
    model = model.to(device).eval()
    info = xgrammar.TokenizerInfo.from_huggingface(tokenizer, vocab_size=model.config.vocab_size)
    return LoadedModel(model, tokenizer, xgrammar.GrammarCompiler(info), device)


def json_schema_of(response_format: dict[str, Any] | None) -> dict[str, Any] | None:
    """The JSON schema inside either response_format form, {} for schema-less JSON, None for plain text."""
    if not response_format:
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        schema = response_format.get("json_schema", {}).get("schema")
        return dict(schema) if isinstance(schema, dict) else {}
    if kind == "json_object":
        schema = response_format.get("schema")
        return dict(schema) if isinstance(schema, dict) else {}
    return None


def compile_constraint(
    loaded: LoadedModel,
    response_format: dict[str, Any] | None = None,
    regex: str | None = None,
    ebnf: str | None = None,
    any_whitespace: bool = False,
) -> Any:
    """The xgrammar CompiledGrammar for a request's constraint, or None when it has none."""
    if regex:
        return loaded.compiler.compile_regex(regex)
    if ebnf:
        return loaded.compiler.compile_grammar(ebnf)
    schema = json_schema_of(response_format)
    if schema is None:
        return None
    if not schema:
        return loaded.compiler.compile_builtin_json_grammar()
    return loaded.compiler.compile_json_schema(json.dumps(schema), any_whitespace=any_whitespace)


@dataclass(frozen=True)
class Generated:
    """One local generation: the text, token counts and why it stopped."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str
    prompt_ids: tuple[int, ...] = ()


def generate(
    loaded: LoadedModel,
    messages: list[dict[str, str]],
    max_tokens: int,
    temperature: float = 0.0,
    constraint: Any = None,
) -> Generated:
    """Run the chat template and generate, masking every step with the constraint's grammar."""
    import torch
    import xgrammar.contrib.hf

    tokenizer = loaded.tokenizer
    encoded = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")
    input_ids = encoded if torch.is_tensor(encoded) else encoded["input_ids"]
    input_ids = input_ids.to(loaded.device)
    processors = [xgrammar.contrib.hf.LogitsProcessor(constraint)] if constraint is not None else []
    sampling: dict[str, Any] = (
        {"do_sample": True, "temperature": temperature} if temperature > 0 else {"do_sample": False}
    )
    with loaded.lock, torch.no_grad():
        output = loaded.model.generate(
            input_ids,
            attention_mask=torch.ones_like(input_ids),
            max_new_tokens=max_tokens,
            logits_processor=processors,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
            **sampling,
        )
    new = output[0, input_ids.shape[1] :].tolist()
    stopped = bool(new) and new[-1] == tokenizer.eos_token_id
    text = tokenizer.decode(new, skip_special_tokens=True)
    return Generated(
        text=text,
        prompt_tokens=int(input_ids.shape[1]),
        completion_tokens=len(new),
        finish_reason="stop" if stopped or len(new) < max_tokens else "length",
        prompt_ids=tuple(input_ids[0].tolist()),
    )


def to_chat_dicts(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages as the role/content dicts a chat template reads."""
    return [{"role": ROLES.get(m.type, m.type), "content": m.text} for m in messages]


class LocalChatModel(BaseChatModel):
    """A chat model on local weights, constrained by xgrammar (the `transformers` backend).

    Accepts the same call-time options as the OpenAI-compatible backends: `response_format`
    (either form), `regex`, `ebnf`, `max_tokens`, `temperature`.
    """

    model_path: str
    device: str = "cpu"
    max_tokens: int = 512
    temperature: float = 0.0
    any_whitespace: bool = False

    @property
    def _llm_type(self) -> str:
        return "judgeflow-transformers"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "device": self.device}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        loaded = load_local_model(self.model_path, self.device)
        constraint = compile_constraint(
            loaded,
            response_format=kwargs.get("response_format"),
            regex=kwargs.get("regex"),
            ebnf=kwargs.get("ebnf"),
            any_whitespace=self.any_whitespace,
        )
        result = generate(
            loaded,
            to_chat_dicts(messages),
            max_tokens=int(kwargs.get("max_tokens") or self.max_tokens),
            temperature=float(kwargs.get("temperature", self.temperature)),
            constraint=constraint,
        )
        message = AIMessage(
            content=result.text,
            usage_metadata={
                "input_tokens": result.prompt_tokens,
                "output_tokens": result.completion_tokens,
                "total_tokens": result.prompt_tokens + result.completion_tokens,
            },
            response_metadata={
                "finish_reason": result.finish_reason,
                "model_name": Path(self.model_path).name,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
