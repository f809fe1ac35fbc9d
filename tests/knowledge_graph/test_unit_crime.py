"""Which offences an organisation can commit, read from the Criminal Law's own text."""

from __future__ import annotations

import pytest
from judgeflow.knowledge_graph.unit_crime import _numbers, unit_liability


@pytest.mark.parametrize(
    ("article", "clause"),
    [
        ("393", "393"),  # 单位行贿罪: the article itself punishes the organisation
        ("347", "347"),  # 单位犯第二款、第三款、第四款罪的
        ("338", "346"),  # 污染环境: 单位犯本节第三百三十八条至第三百四十五条规定之罪的
        ("194", "200"),  # 票据诈骗: listed by number in 第二百条
        ("219之一", "220"),  # a range ending in an added article
        ("141", "150"),
    ],
)
def test_an_organisations_liability_is_found_where_the_law_states_it(article: str, clause: str) -> None:
    assert unit_liability(article) == clause


@pytest.mark.parametrize("article", ["264", "266", "234", "133之一", "303", "999"])
def test_offences_only_a_person_commits_have_no_unit_clause(article: str) -> None:
    assert unit_liability(article) is None


def test_listings_and_ranges_are_expanded() -> None:
    assert _numbers("第一百九十四条、第一百九十五条") == {"194", "195"}
    assert _numbers("第二百一十三条至第二百一十五条") == {"213", "214", "215"}
