"""A real SGLang server on a GPU, driven through the `sglang` backend (skipped without one).

Needs: `sglang` importable, a CUDA device, and JUDGEFLOW_TEST_SGLANG_MODEL naming a folder of weights.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from judgeflow.llm.backends import check_health
from judgeflow.llm.config import ModelSettings

pytestmark = pytest.mark.gpu
MODEL_ENV = "JUDGEFLOW_TEST_SGLANG_MODEL"


def _skip_reason() -> str:
    try:
        import sglang  # noqa: F401
    except ImportError:
        return "sglang is not installed"
    import torch

    if not torch.cuda.is_available():
        return "no CUDA device"
    if not os.environ.get(MODEL_ENV):
        return f"{MODEL_ENV} names no model folder"
    return ""


@pytest.fixture(scope="module")
def sglang_url() -> Iterator[str]:
    reason = _skip_reason()
    if reason:
        pytest.skip(f"needs a real SGLang server: {reason}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "sglang.launch_server", "--model-path", os.environ[MODEL_ENV]]
    server = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)])
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 600
        while not check_health(ModelSettings(backend="sglang", base_url=url), timeout_s=2).ok:
            assert server.poll() is None, "the SGLang server exited while starting"
            assert time.monotonic() < deadline, "the SGLang server did not become healthy in 10 minutes"
            time.sleep(2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_a_case_runs_on_a_real_sglang_server(
    sglang_url: str, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    models_file(default={"backend": "sglang", "base_url": sglang_url, "model": "default", "max_tokens": 1024})
    state = flow.run_example(home)
    calls = flow.model_calls(state)
    assert calls and all(c["outcome"] in ("accepted", "rejected") for c in calls)
    assert any(c["cached_tokens"] > 0 for c in calls[1:]), "SGLang's radix cache should reuse the case prefix"
    flow.assert_checked_draft(state)
    flow.assert_ledger_grounded(state)
