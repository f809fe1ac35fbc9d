"""Parsing cross references out of statute text, and reading article numbers from the source."""

from __future__ import annotations

from judgeflow.knowledge_graph.citations_parse import Reference, parse_references
from judgeflow.knowledge_graph.importer import article_key, short_name


def _short(refs: list[Reference]) -> list[tuple[str, str | None, int, str, int | None]]:
    return [(r.kind, r.law, r.number, r.suffix, r.relative) for r in refs]


def test_same_law_reference() -> None:
    refs = parse_references("对借款期限没有约定或者约定不明确，依据本法第五百一十条的规定仍不能确定的")
    assert _short(refs) == [("same_law", None, 510, "", None)]
    assert refs[0].quote == "本法第五百一十条"


def test_paragraphs_items_lists_and_zhi_yi() -> None:
    text = "依照本法第一百三十三条之一第一款第（二）项、第二百六十四条和第二百六十六条的规定"
    assert _short(parse_references(text)) == [
        ("same_law", None, 133, "之一", None),
        ("same_law", None, 264, "", None),
        ("same_law", None, 266, "", None),
    ]


def test_ranges() -> None:
    refs = parse_references("违反本法第十条至第十三条规定的")
    assert [r.number for r in refs] == [10, 11, 12, 13]
    assert refs[1].quote == "第十条至第十三条"


def test_previous_paragraph_and_article() -> None:
    text = "对前款第三项、第四项行为负有直接责任的，依照前款的规定处罚。有前两款行为的；前条规定"
    refs = _short(parse_references(text))
    assert refs.count(("previous_paragraph", None, 0, "", 0)) == 3
    assert ("same_law", None, 0, "", -1) in refs
    assert parse_references("在目前条件下，前提条件是") == []


def test_other_law_in_brackets_and_by_short_name() -> None:
    text = "依照《中华人民共和国治安管理处罚法》第二十三条、第二十四条的规定处罚；构成犯罪的，依照刑法第一百一十四条追究"
    assert _short(parse_references(text, ["刑法", "民法典"])) == [
        ("other_law", "中华人民共和国治安管理处罚法", 23, "", None),
        ("other_law", "中华人民共和国治安管理处罚法", 24, "", None),
        ("other_law", "刑法", 114, "", None),
    ]


def test_bare_references_and_law_titles() -> None:
    assert _short(parse_references("依照第十条的规定")) == [("same_law", None, 10, "", None)]
    assert parse_references("将刑法第一百六十八条修改为", [], bare_is_same_law=False) == []
    assert parse_references("《关于第七条的解释》") == []  # numbers inside a title are not references


def test_article_keys_and_short_names() -> None:
    assert article_key("第一百三十三条之一", 133) == (133, "之一")
    assert article_key("第六百六十七条", 667) == (667, "")
    assert article_key("条目三", 3) == (3, "")
    assert article_key("全文", None) == (0, "")
    assert short_name("中华人民共和国民事诉讼法") == "民事诉讼法"
    assert short_name("全国人民代表大会常务委员会关于设立台湾光复纪念日的决定").startswith("全国人民代表大会")
