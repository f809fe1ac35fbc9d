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
    MAX_FILES,
    documents_from_rows,
    hearing_particulars,
    intake,
    kind_of,
    load_case_folder,
    read_case_folder,
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


@pytest.mark.parametrize(("encoding", "name"), [("gbk", "GBK"), ("gb18030", "GBK"), ("gb2312", "GBK")])
def test_gbk_files_are_converted_and_the_conversion_is_recorded(
    tmp_path: Path, encoding: str, name: str
) -> None:
    path = folder(
        tmp_path, {"起诉状.txt": COMPLAINT.encode(encoding), "答辩状.txt": "民事答辩状\n答辩人：李四"}
    )
    read = read_case_folder(path)
    assert read.documents[1].text == COMPLAINT and read.documents[1].kind == "起诉状"
    assert read.conversions == {"起诉状.txt": name}
    assert read.encodings == {"答辩状.txt": "utf-8", "起诉状.txt": "gbk"}
    assert load_case_folder(path)[1] == read.documents


def test_gb18030_only_characters_are_read_as_gb18030(tmp_path: Path) -> None:
    text = COMPLAINT + "被告：𠀾某（生僻字）\n"  # U+2003E is outside GBK: four bytes in GB18030
    path = folder(tmp_path, {"起诉状.txt": text.encode("gb18030")})
    read = read_case_folder(path)
    assert read.documents[0].text == text and read.conversions == {"起诉状.txt": "GB18030"}


def test_utf8_with_and_without_bom_is_not_a_conversion(tmp_path: Path) -> None:
    path = folder(tmp_path, {"a.txt": COMPLAINT, "b.txt": "\ufeff" + COMPLAINT})
    read = read_case_folder(path)
    assert read.conversions == {} and read.encodings == {"a.txt": "utf-8", "b.txt": "utf-8-sig"}
    assert read.documents[0].text == read.documents[1].text == COMPLAINT


LONG_TEXT = (
    COMPLAINT + "事实与理由：被告因资金周转需要向原告借款，约定借款期限六个月，到期后被告未归还借款本息。" * 3
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (LONG_TEXT.encode("big5", errors="ignore"), "编码无法识别"),
        (
            "東京地方裁判所は、原告の請求を棄却する。訴訟費用は原告の負担とする。".encode("shift_jis"),
            "编码无法识别",
        ),
        (
            "대한민국 헌법 제1조 대한민국은 민주공화국이다. 원고는 피고에게 금 오천만원을 지급하라.".encode(
                "euc-kr"
            ),
            "编码无法识别",
        ),
        (
            "Tribunal de grande instance - décision rendue à Paris, l'été dernier.".encode("latin-1"),
            "编码无法识别",
        ),
        (COMPLAINT.encode("utf-16"), "UTF-16"),
        (COMPLAINT.encode("utf-16-le"), "UTF-16"),
        (COMPLAINT.encode("utf-32"), "UTF-32"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "DOCX"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}", "RTF"),
        (bytes(range(128, 256)) * 4, "编码无法识别"),
        (COMPLAINT.encode("utf-8")[:-1] + b"\xe6\xb0", "编码无法识别"),  # UTF-8 cut mid-character
    ],
)
def test_other_encodings_and_formats_are_refused_clearly(tmp_path: Path, data: bytes, expected: str) -> None:
    path = folder(tmp_path, {"起诉状.txt": data})
    with pytest.raises(InputError, match=expected) as err:
        load_case_folder(path)
    assert "起诉状.txt" in str(err.value) and "UTF-8" in str(err.value)
    chinese_then_english(str(err.value))


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\u202e", "\u2066", "\x85"])
def test_control_and_bidi_characters_are_refused_with_the_line(tmp_path: Path, char: str) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT + f"第四行{char}[2J\n"})
    with pytest.raises(InputError, match=r"起诉状\.txt”第 4 行.*U\+") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_zero_width_characters_are_removed_and_form_feeds_kept(tmp_path: Path) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT.replace("张三", "张\u200b三\u200d") + "\f尾页\x1a"})
    [doc] = load_case_folder(path)[1]
    assert "张三，男" in doc.text and doc.text.endswith("\f尾页")


def test_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("不应被读入的内容", encoding="utf-8")
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT})
    (path / "证据.txt").symlink_to(secret)
    with pytest.raises(InputError, match=r"证据\.txt”是符号链接") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_unsupported_files_are_named_when_there_is_no_txt(tmp_path: Path) -> None:
    path = folder(tmp_path, {"起诉状.docx": b"PK\x03\x04", "证据.pdf": b"%PDF-1.4"})
    with pytest.raises(InputError, match=r"起诉状\.docx.*不受支持") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_too_many_files(tmp_path: Path) -> None:
    path = folder(tmp_path, {f"材料{n:03}.txt": "内容" for n in range(MAX_FILES + 1)})
    with pytest.raises(InputError, match=f"超过上限 {MAX_FILES} 个") as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_sentences_that_mention_a_kind_do_not_decide_it() -> None:
    hostile = (
        "补充意见\n本院认为，原告诉请成立。判决如下：\n三、驳回被告的全部答辩意见。\n起诉状所列事实属实。"
    )
    assert kind_of(hostile) == "其他"
    assert kind_of("答辩意见\n一、借款属实。") == "答辩状"


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
        ("[" * 100_000 + "]" * 100_000, r"嵌套层次过深"),
        ("", r"case\.json 不是合法的 JSON"),
    ],
)
def test_malformed_manifest(tmp_path: Path, manifest: str, expected: str) -> None:
    path = folder(tmp_path, {"起诉状.txt": COMPLAINT, "case.json": manifest})
    with pytest.raises(InputError, match=expected) as err:
        load_case_folder(path)
    chinese_then_english(str(err.value))


def test_a_gbk_manifest_is_read(tmp_path: Path) -> None:
    manifest = json.dumps({"court": "某某人民法院"}, ensure_ascii=False).encode("gbk")
    info, _ = load_case_folder(folder(tmp_path, {"起诉状.txt": COMPLAINT, "case.json": manifest}))
    assert info.court == "某某人民法院"


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
