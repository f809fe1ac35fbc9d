"""Intake: case folders and batch rows → Documents and CaseInfo; every bad input gives a clear InputError."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import judgeflow
import pytest
from judgeflow.agents.intake import (
    MAX_FILE_BYTES,
    documents_from_rows,
    hearing_particulars,
    intake,
    kind_of,
    load_case_folder,
)
from judgeflow.errors import InputError
from judgeflow.graph.state import CaseInfo, CaseState, Document

EXAMPLES = Path(judgeflow.__file__).resolve().parent / "examples"
FILES = ["庭审笔录.txt", "答辩状.txt", "证据目录.txt", "起诉状.txt"]  # sorted by name (code point order)
COMPLAINT = "民事起诉状\n原告：张三，男，1980年1月1日出生，汉族，住北京市朝阳区某路1号。\n诉讼请求：1. 判令被告还款。\n"


def folder(tmp_path: Path, files: dict[str, str | bytes], name: str = "case") -> Path:
    """A case folder with the given files (text is written as UTF-8, bytes as they are)."""
    path = tmp_path / name
    path.mkdir()
    for filename, content in files.items():
        target = path / filename
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return path


def chinese_then_english(message: str) -> None:
    """Messages lead with Chinese (a Chinese word within the first few characters) and carry an
    English version after ' / '."""
    chinese, _, english = message.partition(" / ")
    assert re.search(r"[\u4e00-\u9fff]{2}", chinese[:12]), message
    assert re.search(r"[A-Za-z]{4,}", english) and not re.search(r"[A-Za-z]{5,}", chinese[:6]), message


# ---------------------------------------------------------------- the examples


@pytest.mark.parametrize("name", ["clean-loan", "repayment-over-cap", "guarantor"])
def test_examples_load_in_file_order_with_manifest_kinds(name: str) -> None:
    info, docs = load_case_folder(EXAMPLES / name)
    assert [d.filename for d in docs] == FILES
    assert [d.id for d in docs] == ["D1", "D2", "D3", "D4"]
    assert [d.kind for d in docs] == ["庭审笔录", "答辩状", "证据目录", "起诉状"]
    assert info.cause == "民间借贷纠纷" and info.procedure == "简易程序"
    assert all("\r" not in d.text and not d.text.startswith("\ufeff") for d in docs)


def test_clean_loan_manifest_particulars() -> None:
    info, _ = load_case_folder(EXAMPLES / "clean-loan")
    assert info.court == "浙江省杭州市西湖区人民法院"
    assert info.case_number == "（2024）浙0106民初3456号"
    assert (info.filing_date, info.hearing_date) == ("2024-06-03", "2024-07-10")
    assert (info.judges, info.clerk) == (["吴晓燕"], "郑佳")


@pytest.mark.parametrize("name", ["clean-loan", "repayment-over-cap", "guarantor"])
def test_examples_are_consistent_with_their_hearing_record(name: str) -> None:
    info, docs = load_case_folder(EXAMPLES / name)
    read = hearing_particulars(docs)
    assert read["case_number"] == info.case_number
    assert read["hearing_date"] == info.hearing_date
    assert read["judges"] == info.judges and read["clerk"] == info.clerk
    assert read["court"] == info.court
    assert read["hearing_attendance"].endswith("到庭参加诉讼")


def test_kinds_are_recognized_from_content_without_a_manifest(tmp_path: Path) -> None:
    copy = tmp_path / "no-manifest"
    shutil.copytree(EXAMPLES / "guarantor", copy)
    (copy / "case.json").unlink()
    for old, new in zip(FILES, ["a.txt", "b.txt", "c.txt", "d.txt"], strict=True):
        (copy / old).rename(copy / new)
    (copy / "e.txt").write_text("情况说明\n本人于某日收到通知。", encoding="utf-8")
    info, docs = load_case_folder(copy)
    assert info == CaseInfo()
    assert [d.kind for d in docs] == ["庭审笔录", "答辩状", "证据目录", "起诉状", "其他"]


def test_kind_of_title_lines_and_file_names() -> None:
    assert kind_of("民事起诉状\n原告：甲") == "起诉状"
    assert kind_of("某某人民法院\n开庭笔录\n时间：") == "庭审笔录"
    assert kind_of("原告证据清单\n1. 借条") == "证据目录"
    assert kind_of("民事答辩状\n答辩人：乙") == "答辩状"
    assert kind_of("一些文字", "证据目录（补充）.txt") == "证据目录"
    assert kind_of("一些文字", "说明.txt") == "其他"


def test_bom_and_crlf_are_normalized(tmp_path: Path) -> None:
    raw = ("\ufeff" + COMPLAINT.replace("\n", "\r\n") + "末行\r旧式换行").encode("utf-8")
    _, docs = load_case_folder(folder(tmp_path, {"起诉状.txt": raw}))
    assert docs[0].text == COMPLAINT + "末行\n旧式换行"
    assert docs[0].kind == "起诉状"


def test_non_txt_files_and_subfolders_are_ignored(tmp_path: Path) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "scan.pdf": b"%PDF-1.4", "notes.md": "x"})
    (path / "sub").mkdir()
    (path / "sub" / "other.txt").write_text("x", encoding="utf-8")
    _, docs = load_case_folder(path)
    assert [d.filename for d in docs] == ["起诉状.txt"]


def test_intake_writes_nothing(tmp_path: Path) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "case.json": json.dumps({"court": "某人民法院"})})
    before = sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    load_case_folder(path)
    after = sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    assert before == after


# ---------------------------------------------------------------- folder errors


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="案件文件夹不存在") as err:
        load_case_folder(tmp_path / "nowhere")
    chinese_then_english(str(err.value))


def test_path_is_a_file_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "起诉状.txt"
    file.write_text(COMPLAINT, encoding="utf-8")
    with pytest.raises(InputError, match="不是文件夹") as err:
        load_case_folder(file)
    chinese_then_english(str(err.value))


def test_no_txt_files(tmp_path: Path) -> None:
    path = folder(tmp_path, {"case.json": "{}", "起诉状.docx": b"PK\x03\x04"})
    with pytest.raises(InputError, match=r"没有 \.txt 文书") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


@pytest.mark.parametrize("content", ["", "  \n\t\u3000\n", "\ufeff"])
def test_empty_or_whitespace_file_is_named(tmp_path: Path, content: str) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "答辩状.txt": content})
    with pytest.raises(InputError, match=r"答辩状\.txt") as err:
        load_case_folder(path)
    assert "为空或只有空白" in str(err.value)
    chinese_then_english(str(err.value))


def test_gb18030_file_is_named_with_the_fix(tmp_path: Path) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT.encode("gb18030")})
    with pytest.raises(InputError) as err:
        load_case_folder(path)
    message = str(err.value)
    assert "起诉状.txt" in message and "UTF-8" in message and "iconv -f GB18030 -t UTF-8" in message
    chinese_then_english(message)


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "证据.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    with pytest.raises(InputError, match=r"证据\.txt.*二进制") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_file_over_two_megabytes(tmp_path: Path) -> None:
    big = "民" * (MAX_FILE_BYTES // 3 + 10)  # 3 bytes a character in UTF-8
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "庭审笔录.txt": big})
    with pytest.raises(InputError, match=r"庭审笔录\.txt.*过大.*2 MB") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_case_over_ten_megabytes(tmp_path: Path) -> None:
    almost = "民" * ((MAX_FILE_BYTES - 1024) // 3)
    path = folder(tmp_path, {f"材料{n}.txt": almost for n in range(6)})
    with pytest.raises(InputError, match=r"合计过大.*10 MB") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


# ---------------------------------------------------------------- case.json errors


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ('{"court": "某法院",', r"case\.json 不是合法的 JSON（第 1 行"),
        ('["court"]', r"case\.json 须为 JSON 对象"),
        ('{"court": "某法院", "judge": "王某"}', r"未知字段“judge”"),
        ('{"procedure": "速裁程序"}', r"字段“procedure”不合要求"),
        ('{"judges": "王某"}', r"字段“judges”不合要求"),
        ('{"documents": {"起诉书.txt": "起诉状"}}', r"不存在的文件“起诉书\.txt”"),
        ('{"documents": {"起诉状.txt": "判决书"}}', r"文书类型“判决书”无法识别"),
        ('{"documents": ["起诉状.txt"]}', r"documents 须为"),
    ],
)
def test_malformed_manifest(tmp_path: Path, manifest: str, expected: str) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "case.json": manifest})
    with pytest.raises(InputError, match=expected) as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_manifest_kinds_accept_the_usual_names(tmp_path: Path) -> None:
    manifest = json.dumps({"documents": {"a.txt": "开庭笔录", "b.txt": "证据清单"}}, ensure_ascii=False)
    path = folder(tmp_path, {"a.txt": "内容甲", "b.txt": "内容乙", "case.json": manifest})
    _, docs = load_case_folder(path)
    assert [d.kind for d in docs] == ["庭审笔录", "证据目录"]


# ---------------------------------------------------------------- batch rows


def test_rows_become_documents() -> None:
    docs = documents_from_rows(
        [
            {"text": COMPLAINT, "name": "起诉状.txt"},
            {"text": "\ufeff事实：甲借乙一万元。\r\n", "kind": "事实"},
            {"text": "说明", "kind": "开庭笔录", "name": "hearing"},
        ]
    )
    assert [(d.id, d.kind, d.filename) for d in docs] == [
        ("D1", "起诉状", "起诉状.txt"),
        ("D2", "事实", "文书2"),
        ("D3", "庭审笔录", "hearing"),
    ]
    assert docs[1].text == "事实：甲借乙一万元。\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], "没有文书"),
        (["文本"], "须为 JSON 对象"),
        ([{"name": "a"}], "缺少文本字段 text"),
        ([{"text": "  ", "name": "空白.txt"}], "空白.txt"),
        ([{"text": "甲\x00乙", "name": "bin"}], "二进制"),
        ([{"text": "甲", "kind": "判决书"}], "文书类型“判决书”无法识别"),
        ([{"text": "甲", "txt": "乙"}], "未知字段“txt”"),
        ([{"text": "民" * (MAX_FILE_BYTES // 3 + 10), "name": "big"}], "过大"),
    ],
)
def test_bad_rows(rows: list[dict[str, str]], expected: str) -> None:
    with pytest.raises(InputError, match=expected) as err:
        documents_from_rows(rows)
    chinese_then_english(str(err.value))


# ---------------------------------------------------------------- the graph node


def test_intake_node_fills_empty_particulars_from_the_hearing_record() -> None:
    _, docs = load_case_folder(EXAMPLES / "repayment-over-cap")
    out = intake(CaseState(case_id="c", documents=docs))
    info = out["info"]
    assert info.court == "江苏省南京市鼓楼区人民法院"
    assert info.case_number == "（2024）苏0106民初5218号"
    assert info.hearing_date == "2024-04-16"
    assert (info.judges, info.clerk) == (["顾海峰"], "唐雨欣")
    assert info.hearing_attendance == "原告周建国及其委托诉讼代理人王敏、被告孙丽娟到庭参加诉讼"
    assert info.filing_date == ""  # not in the documents: left for the clerk
    [event] = out["trace"]
    assert event.node == "intake" and event.kind == "node_run"
    assert set(event.outputs["filled"]) >= {"court", "case_number", "hearing_date", "judges", "clerk"}


def test_intake_node_keeps_what_the_manifest_says() -> None:
    info, docs = load_case_folder(EXAMPLES / "guarantor")
    given = info.model_copy(update={"judges": ["另一法官"], "hearing_attendance": "双方到庭"})
    out = intake(CaseState(case_id="g", info=given, documents=docs))
    assert out["info"].judges == ["另一法官"]
    assert out["info"].hearing_attendance == "双方到庭"
    assert out["info"].case_number == info.case_number


def test_intake_node_without_documents() -> None:
    with pytest.raises(InputError, match="没有任何文书"):
        intake(CaseState(case_id="empty"))


def test_intake_node_rejects_a_blank_document() -> None:
    blank = Document(id="D1", kind="其他", filename="blank.txt", text=" \n ")
    with pytest.raises(InputError, match=r"blank\.txt"):
        intake(CaseState(case_id="b", documents=[blank]))
