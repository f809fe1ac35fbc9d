"""Which articles a private-lending case needs, and why (a small typed table).

Each rule says when an article applies (a claim type or a circumstance found in the ledger)
and why; the article text itself is always read from the statute database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Circumstance = Literal[
    "principal",
    "interest",
    "repayment",
    "guarantee",
    "guarantee_joint",
    "guarantee_general",
    "guarantee_period",
    "money_judgment",
]


CIRCUMSTANCE_NAMES: dict[Circumstance, str] = {
    "principal": "返还借款本金",
    "interest": "利息",
    "repayment": "已还款项的抵充",
    "guarantee": "保证责任",
    "guarantee_joint": "连带责任保证",
    "guarantee_general": "一般保证",
    "guarantee_period": "保证期间",
    "money_judgment": "金钱给付判项",
}


@dataclass(frozen=True)
class StatuteRule:
    """An article and the circumstance in which a private-lending case relies on it."""

    law: str
    article: int
    when: Circumstance
    reason: str


LENDING_RULES: tuple[StatuteRule, ...] = (
    StatuteRule("民法典", 667, "principal", "借款合同的定义：借款人到期返还借款并支付利息"),
    StatuteRule("民法典", 679, "principal", "自然人之间的借款合同自贷款人提供借款时成立"),
    StatuteRule("民法典", 675, "principal", "借款人应当按照约定的期限返还借款"),
    StatuteRule("民法典", 674, "interest", "借款人应当按照约定的期限支付利息"),
    StatuteRule("民法典", 676, "interest", "借款人逾期返还借款的，应当按照约定或者国家有关规定支付逾期利息"),
    StatuteRule(
        "民法典", 680, "interest", "禁止高利放贷，借款的利率不得违反国家有关规定；未约定利息的视为没有利息"
    ),
    StatuteRule("民法典", 561, "repayment", "给付不足以清偿全部债务时，依次抵充实现债权的费用、利息、主债务"),
    StatuteRule(
        "民法典", 681, "guarantee", "保证合同的定义：债务人不履行到期债务时保证人履行债务或者承担责任"
    ),
    StatuteRule(
        "民法典", 688, "guarantee_joint", "约定连带责任保证的，债权人可以请求保证人在保证范围内承担保证责任"
    ),
    StatuteRule(
        "民法典", 686, "guarantee_general", "对保证方式没有约定或者约定不明确的，按照一般保证承担保证责任"
    ),
    StatuteRule(
        "民法典", 691, "guarantee", "保证的范围包括主债权及其利息、违约金、损害赔偿金和实现债权的费用"
    ),
    StatuteRule(
        "民法典",
        692,
        "guarantee_period",
        "保证期间：没有约定或者约定不明确的，为主债务履行期限届满之日起六个月",
    ),
    StatuteRule(
        "民法典", 693, "guarantee_period", "债权人未在保证期间内依法主张权利的，保证人不再承担保证责任"
    ),
    StatuteRule("民法典", 700, "guarantee", "保证人承担保证责任后有权向债务人追偿"),
    StatuteRule(
        "民事诉讼法",
        264,
        "money_judgment",
        "未按判决指定的期间履行给付金钱义务的，加倍支付迟延履行期间的债务利息",
    ),
)


def rules_for(circumstances: set[Circumstance]) -> list[StatuteRule]:
    """The rules that apply given the circumstances found in a case, in table order."""
    return [rule for rule in LENDING_RULES if rule.when in circumstances]
