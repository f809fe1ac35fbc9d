"""What the criminal reasoning step gives the sentencing calculator for one charge."""

from __future__ import annotations

from judgeflow.agents.criminal.facts import read_criminal_facts
from judgeflow.agents.criminal.reasoning import offence_input

RECIDIVIST = (
    "被告人张某曾因犯贩卖毒品罪被判处有期徒刑八个月，2017年7月31日刑满释放。"
    "2018年12月11日，被告人张某以人民币1200元的价格将甲基苯丙胺4.74克贩卖给陈某，又盗窃他人手机一部。"
)


def test_drug_recidivism_bears_only_on_a_drug_offence() -> None:
    # 刑法第三百五十六条: 毒品再犯 is a circumstance of a new offence of 第六章第七节 (347–357) only.
    view = read_criminal_facts(RECIDIVIST)
    assert view.has("毒品再犯", "张某")
    drug = offence_input(view, "张某", "走私、贩卖、运输、制造毒品罪", (347,))
    theft = offence_input(view, "张某", "盗窃罪", (264,))
    assert "毒品再犯" in drug.circumstances
    assert "毒品再犯" not in theft.circumstances and "累犯" in theft.circumstances
