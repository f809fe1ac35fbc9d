"""Models configuration and the project's tools as LangChain tools."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from judgeflow.agents.model_steps.tools import langchain_tools, run_tool
from judgeflow.errors import InputError
from judgeflow.llm.backends import request_options
from judgeflow.llm.config import ModelSettings, settings_for
from judgeflow.tools.registry import all_tools


def test_without_a_models_file_every_step_is_rules(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUDGEFLOW_MODELS", raising=False)
    assert settings_for("extract_facts").backend == "rules"


def test_home_models_file_and_step_tables_override_default(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JUDGEFLOW_MODELS", raising=False)
    home.mkdir(parents=True)
    (home / "models.toml").write_text(
        '[default]\nbackend = "sglang"\nbase_url = "http://gpu:30000/v1"\nmodel = "m"\n'
        "[write_draft]\ntemperature = 0.3\n",
        encoding="utf-8",
    )
    assert settings_for("extract_facts").temperature == 0.0
    draft = settings_for("write_draft")
    assert (draft.backend, draft.base_url, draft.temperature) == ("sglang", "http://gpu:30000/v1", 0.3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[default\n", "不是合法的 TOML"),
        ("[draft]\nbackend = 'rules'\n", "未知步骤"),
        ("[default]\nbackend = 'gpt'\n", "设置无效"),
        ("[default]\ntemperature = 9\n", "temperature"),
    ],
)
def test_a_bad_models_file_is_an_input_error(
    text: str, expected: str, models_file: Callable[..., Path], tmp_path: Path
) -> None:
    path = models_file()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        settings_for("extract_facts")


def test_structured_output_modes_shape_the_request() -> None:
    schema = {"type": "object", "properties": {}}
    base = {"backend": "openai", "base_url": "http://x/v1"}
    plain = request_options(ModelSettings.model_validate({**base, "structured_output": "none"}), "s", schema)
    assert plain == {}
    llama = request_options(
        ModelSettings.model_validate({**base, "structured_output": "json_object_schema"}), "s", schema
    )
    assert llama == {"extra_body": {"response_format": {"type": "json_object", "schema": schema}}}
    openai = request_options(ModelSettings.model_validate(base), "s", schema)
    form = openai["extra_body"]["response_format"]
    assert form == {"type": "json_schema", "json_schema": {"name": "s", "schema": schema, "strict": True}}
    assert "api_key" not in ModelSettings(api_key="secret").public()


def test_every_registered_tool_is_a_langchain_tool_that_runs() -> None:
    tools = {t.name: t for t in langchain_tools()}
    assert set(tools) == {spec.name for spec in all_tools()}
    found = run_tool(tools, "find_amounts", {"text": "借款人民币50000元，已还1万元"})
    assert [m["value"] for m in found] == ["50000", "10000"]
    assert tools["parse_period"].args_schema is not None
