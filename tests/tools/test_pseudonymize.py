"""Pseudonymization: every category found, stable indexed pseudonyms, a local mapping, exact reversal."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from judgeflow.tools import ToolInputError
from judgeflow.tools.pseudonymize import (
    Pseudonymizer,
    address_base,
    detect,
    looks_like_name,
    person_base,
    redact_for_endpoint,
)

COMPLAINT = (
    "民事起诉状\n"
    "原告：赵明远，男，1978年10月2日出生，汉族，住浙江省杭州市拱墅区莫干山路1102号和睦新村12幢3单元402室，"
    "公民身份号码330105197810021234，联系电话13812345678。\n"
    "委托诉讼代理人：王敏，江苏衡言律师事务所律师。\n"
    "被告：钱国栋，男，1983年6月25日出生，汉族，住浙江省杭州市上城区清泰街326号5幢701室，"
    "公民身份号码330102198306******，联系电话139******07。\n"
    "事实与理由：2023年1月10日，原告通过招商银行账户6225 8812 3456 7890向被告钱国栋转账150000元。"
    "被告驾驶的浙A12345号车辆作为担保交付原告保管，证人孙丽娟在场。原告陈述诉讼请求，被告何时还款未明。\n"
    "此致\n浙江省杭州市拱墅区人民法院\n具状人：赵明远\n"
)
PLANTED = [
    "赵明远",
    "钱国栋",
    "王敏",
    "孙丽娟",
    "浙江省杭州市拱墅区莫干山路1102号和睦新村12幢3单元402室",
    "浙江省杭州市上城区清泰街326号5幢701室",
    "330105197810021234",
    "330102198306******",
    "13812345678",
    "139******07",
    "6225 8812 3456 7890",
    "浙A12345",
]


def test_every_category_is_found_in_a_complaint() -> None:
    found = {(f.category, f.text) for f in detect(COMPLAINT)}
    assert ("person", "赵明远") in found and ("person", "王敏") in found and ("person", "孙丽娟") in found
    assert ("id_number", "330105197810021234") in found and ("id_number", "330102198306******") in found
    assert ("phone", "13812345678") in found and ("phone", "139******07") in found
    assert ("bank_account", "6225 8812 3456 7890") in found and ("plate", "浙A12345") in found
    assert ("address", "浙江省杭州市拱墅区莫干山路1102号和睦新村12幢3单元402室") in found


def test_nothing_planted_survives_and_ordinary_words_do() -> None:
    pseudonymizer = Pseudonymizer()
    out = pseudonymizer.apply(COMPLAINT)
    assert [p for p in PLANTED if p in out] == []
    for kept in (
        "浙江省杭州市拱墅区人民法院",
        "陈述诉讼请求",
        "何时还款",
        "150000元",
        "2023年1月10日",
        "招商银行",
    ):
        assert kept in out
    assert "住浙江省杭州市拱墅区某处，" in out and "原告：赵某某，" in out and "委托诉讼代理人：王某，" in out
    assert "〔身份证号1〕" in out and "〔电话1〕" in out and "〔银行账号1〕" in out and "〔车牌号1〕" in out


def test_reverse_restores_the_text_exactly() -> None:
    pseudonymizer = Pseudonymizer()
    assert pseudonymizer.reverse(pseudonymizer.apply(COMPLAINT)) == COMPLAINT


def test_pseudonyms_follow_court_style() -> None:
    assert person_base("张三") == "张某"
    assert person_base("张三丰") == "张某某"
    assert person_base("欧阳明远") == "欧阳某某"
    assert person_base("阿依古丽·买买提") == "阿某"
    assert address_base("江苏省南京市鼓楼区中山北路216号3幢502室") == "江苏省南京市鼓楼区某处"
    assert address_base("北京市朝阳区某路1号") == "北京市朝阳区某处"


def test_people_sharing_a_pseudonym_are_indexed_and_stay_stable(tmp_path: Path) -> None:
    path = tmp_path / "case" / "pseudonyms.json"
    first = Pseudonymizer(path)
    first.learn_all("person", ["张三", "张四", "李四五"])
    assert first.mapping == {"张三": "张某1", "张四": "张某2", "李四五": "李某某"}
    assert first.learn("person", "张五") == "张某3"
    assert first.learn("person", "王六") == "王某"
    assert first.learn("person", "王七") == "王某2"  # 王某 is taken and stays 王六's
    first.save()
    again = Pseudonymizer(path)
    assert again.mapping == first.mapping
    assert again.apply("张三与张四") == "张某1与张某2"


def test_the_mapping_is_private_to_this_user(tmp_path: Path) -> None:
    path = tmp_path / "pseudonyms.json"
    pseudonymizer = Pseudonymizer(path)
    pseudonymizer.apply(COMPLAINT)
    pseudonymizer.save()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert {e["category"] for e in entries} == {
        "person",
        "id_number",
        "phone",
        "address",
        "bank_account",
        "plate",
    }


def test_a_damaged_mapping_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "pseudonyms.json"
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(ToolInputError, match="化名对照表"):
        Pseudonymizer(path)


def test_officials_are_kept_and_pieces_of_known_names_are_not_new_people() -> None:
    pseudonymizer = Pseudonymizer(keep=["沈立群"])
    pseudonymizer.learn_all("person", ["钱国栋"])
    out = pseudonymizer.apply("审判员：沈立群\n原告与被告钱国栋系大学同学，被告钱国栋归还借款。")
    assert "沈立群" in out and "钱国栋" not in out and "钱某某归还" in out
    assert set(pseudonymizer.mapping) == {"钱国栋"}


@pytest.mark.parametrize("word", ["陈述", "何时", "申请回避", "王法官", "张某", "原告", "钱国栋归"])
def test_words_that_are_not_names(word: str) -> None:
    assert word not in {f.text for f in detect(f"原告{word}，被告未到庭。")}


def test_what_looks_like_a_name() -> None:
    assert all(looks_like_name(n) for n in ("张三", "赵明远", "欧阳明远", "阿依古丽·买买提"))
    assert not any(looks_like_name(n) for n in ("申请回避", "王法官", "张某", "钱国栋归", "原告", "Zhang"))


def test_categories_outside_the_rules_are_left() -> None:
    pseudonymizer = Pseudonymizer(categories=["person"])
    out = pseudonymizer.apply(COMPLAINT)
    assert "赵明远" not in out and "13812345678" in out and "浙A12345" in out


def test_redact_for_endpoint() -> None:
    text = "原告赵明远，联系电话13812345678。"
    assert redact_for_endpoint(text, {"赵明远": "赵某某"}, endpoint_is_local=True) == text
    remote = redact_for_endpoint(text, {"赵明远": "赵某某"}, endpoint_is_local=False)
    assert remote == "原告赵某某，联系电话〔电话1〕。"
    pseudonymizer = Pseudonymizer()
    sent = redact_for_endpoint(text, pseudonymizer, endpoint_is_local=False)
    assert "赵明远" not in sent and pseudonymizer.reverse(sent) == text


def test_tagger_off_still_catches_patterns_and_known_people() -> None:
    pseudonymizer = Pseudonymizer(use_tagger=False)
    pseudonymizer.learn_all("person", ["孙丽娟"])
    out = pseudonymizer.apply(COMPLAINT)
    assert [p for p in PLANTED if p in out] == []
