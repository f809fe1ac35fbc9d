"""Fixtures for the model backends: a tiny random-weight model built here, and models files.

The tiny model is a 2-layer Llama with hidden size 64 and a character-level tokenizer made with the
`tokenizers` library from the characters of the example cases and the prompts; it is saved to a
temporary folder and loaded back through the real `transformers` backend. Nothing is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import CaseState, TraceEvent

REPO = Path(__file__).resolve().parents[2]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def _alphabet() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "examples").rglob("*.txt")]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "agents" / "prompts").glob("*.md")]
    chars = set("".join(texts)) | {chr(i) for i in range(32, 127)} | set("\n，。：；、“”（）【】《》｜")
    return sorted(chars)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, hidden-64 Llama with random weights and a char-level tokenizer, saved to a folder."""
    pytest.importorskip("xgrammar", reason="the local extra (torch, transformers, xgrammar) is not installed")
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-model")
    specials = ["<unk>", "<s>", "</s>"]
    vocab = {token: i for i, token in enumerate(specials + _alphabet())}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Split(pattern="", behavior="isolated")
    core.decoder = decoders.Fuse()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="<unk>"
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(folder)
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=16384,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
    )
    torch.manual_seed(1234)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


@pytest.fixture
def models_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write a models.toml from keyword tables and point JUDGEFLOW_MODELS at it."""

    def write(**tables: dict[str, Any]) -> Path:
        lines: list[str] = []
        for name, table in tables.items():
            lines.append(f"[{name}]")
            for key, value in table.items():
                if isinstance(value, dict):
                    inline = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in value.items())
                    lines.append(f"{key} = {{ {inline} }}")
                else:
                    lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        path = tmp_path / "models.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        monkeypatch.setenv("JUDGEFLOW_MODELS", str(path))
        return path

    return write


# ---------------------------------------------------------------- running a case and reading its trace


def run_example(home: Path, name: str = "guarantor", case_id: str | None = None) -> CaseState:
    """Run an example case start to signed judgment under the evaluation policy; its final state."""
    with CaseRunner(home=home) as runner:
        status = runner.run_folder(REPO / "examples" / name, case_id=case_id, policy="evaluation")
        assert status.status == "done", status.to_json()
        return runner.state(case_id or name)


def node_events(state: CaseState, node: str) -> list[TraceEvent]:
    """Every run of `node` in the trace, in order."""
    return [e for e in state.trace if e.kind == "node_run" and e.node == node]


def model_calls(state: CaseState) -> list[dict[str, Any]]:
    """Every model request the case made, in order."""
    return [call for e in state.trace for call in e.model_calls]


def assert_checked_draft(state: CaseState) -> None:
    """The flow ended with a draft the fact-checker checked after it was last written."""
    runs = [e.node for e in state.trace if e.kind == "node_run"]
    assert state.draft is not None and state.judgment
    last_write = max(i for i, n in enumerate(runs) if n == "write_draft")
    assert "check_draft" in runs[last_write:]


def assert_ledger_grounded(state: CaseState) -> None:
    """Every fact is the rules extractor's, or flagged as the model's with a verbatim quote."""
    documents = {d.id: d.text for d in state.documents}
    for fact in state.facts:
        if fact.origin.name.startswith("model:"):
            assert fact.details.get("origin") == "model", fact
            assert fact.spans, fact
            for span in fact.spans:
                assert documents[span.document_id][span.start : span.end] == span.quote, fact
        else:
            assert fact.origin.name.startswith("rules:"), fact


class FlowHelpers:
    """The helpers above, handed to tests as the `flow` fixture."""

    run_example = staticmethod(run_example)
    node_events = staticmethod(node_events)
    model_calls = staticmethod(model_calls)
    assert_checked_draft = staticmethod(assert_checked_draft)
    assert_ledger_grounded = staticmethod(assert_ledger_grounded)


@pytest.fixture
def flow() -> type[FlowHelpers]:
    """Run example cases and check what the model did (see the helpers above)."""
    return FlowHelpers
