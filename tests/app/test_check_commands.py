"""`judgeflow check FILE` and `judgeflow facts FILE`: JSON shapes, offsets into the file, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_judgment import civil, span_of
from judgeflow.app.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit status, stdout, stderr)."""
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, text: str, name: str = "judgment.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_check_json_offsets_point_into_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\ufeff" + civil(repaid_total="6000元").replace("\n", "\r\n")
    path = write(tmp_path, text)
    status, out, _ = run(capsys, "check", str(path), "--json")
    assert status == 1  # an error-severity finding, as linters report
    findings = json.loads(out)["findings"]
    assert [set(f) for f in findings] == [{"type", "severity", "start", "end", "message", "evidence"}] * len(
        findings
    )
    read_back = path.read_bytes().decode("utf-8")
    [total] = [f for f in findings if f["type"] == "computation"]
    assert read_back[total["start"] : total["end"]].endswith("6000元")
    assert total["severity"] == "error" and total["message"] and total["evidence"]


def test_check_clean_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", str(write(tmp_path, civil())), "--json")
    assert (status, json.loads(out)) == (0, {"findings": []})
    status, out, _ = run(capsys, "check", str(write(tmp_path, civil())))
    assert status == 0 and "未发现问题" in out


def test_check_text_output_names_line_and_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, civil(defendant_court="被告李刚"))
    status, out, _ = run(capsys, "check", str(path))
    assert status == 1
    assert f"{path}:10: [错误/party]" in out and "«李刚»" in out and "共 1 项" in out


def test_facts_json_values_are_normalized(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = civil()
    status, out, _ = run(capsys, "facts", str(write(tmp_path, text)), "--json")
    assert status == 0
    facts = json.loads(out)["facts"]
    assert [set(f) for f in facts] == [{"id", "kind", "value", "start", "end", "quote"}] * len(facts)
    values = {(f["kind"], f["value"]) for f in facts}
    assert {
        ("amount", "12000"),
        ("amount", "63.70"),
        ("date", "2022-03-05"),
        ("date", "2023-05-20"),
    } <= values
    loan = next(f for f in facts if f["quote"] == "2022年3月5日")
    assert (loan["start"], loan["end"]) == span_of(text, "2022年3月5日")


def test_facts_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "facts", str(write(tmp_path, "被告每月支付生活费800元，自2011年7月21日起。"))
    )
    assert status == 0 and "800" in out and "2011-07-21" in out and "共 2 项事实" in out


@pytest.mark.parametrize("command", ["check", "facts"])
def test_bad_input_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("原告张三诉被告李四民间借贷纠纷一案".encode("gbk"))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00word/document.xml")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf \r\n\t")
    cases = {
        str(tmp_path / "missing.txt"): "找不到文件",
        str(gbk): "不是 UTF-8 编码",
        str(binary): "二进制",
        str(empty): "是空的",
        str(tmp_path): "不是文件",
    }
    for path, words in cases.items():
        status, out, err = run(capsys, command, path)
        assert status == 2 and words in err and "Traceback" not in err, (path, err)
        assert err.startswith("错误：")
    status, out, err = run(capsys, command, str(gbk), "--json")
    assert status == 2 and json.loads(out)["error"] == "InputError" and "iconv" in json.loads(out)["message"]
