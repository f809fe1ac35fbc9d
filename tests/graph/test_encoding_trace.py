"""A GB18030/GBK case file is converted on intake, and the conversion is on record."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from judgeflow.graph.runner import CaseRunner


def test_a_gb18030_file_is_converted_and_the_trace_says_so(
    runner: CaseRunner, example: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "gbk-case"
    shutil.copytree(example("clean-loan"), folder)
    complaint = folder / "起诉状.txt"
    complaint.write_bytes(complaint.read_text(encoding="utf-8").encode("gb18030"))
    state = runner.run_folder(folder).state
    converted = next(d for d in state.documents if d.filename == "起诉状.txt")
    assert converted.encoding in ("GBK", "GB18030") and converted.text.startswith("民事起诉状")
    assert all(d.encoding.startswith("UTF-8") for d in state.documents if d is not converted)
    intake = next(t for t in state.trace if t.node == "intake")
    assert intake.outputs["converted_from"] == {"起诉状.txt": converted.encoding}
    assert f"起诉状.txt（{converted.encoding}）" in intake.summary
    assert state.facts_of("claim")  # the converted text is extracted like any other
