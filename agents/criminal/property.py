"""涉案财物: property connected with the offence, and what the judgment orders for it.

刑法第六十四条: everything a defendant gained by the crime is recovered (追缴) or made good to the
victim (责令退赔); a victim's lawful property is returned; contraband (违禁品) and the defendant's own
property used for the crime (供犯罪所用的本人财物) are confiscated (没收). A 刑事判决书 says what
happens to each in 判决主文, and that is when it cites article 64.

Two halves, so that the order follows from facts the judge approved:

- `read_property(text)` finds what the statement of facts says was seized or gained, each with its
  span: drugs and other contraband seized or weighed, tools of the crime (作案工具, 赌具), money seized
  (毒资, 赌资), a gain stated in money (获利, 违法所得, 抽头渔利), and a statement that the victim got
  the property back (追回并发还 …). The ledger keeps each as a `property` fact.
- `property_orders(...)` turns the approved facts into the orders, one per kind of disposition:
  没收 for contraband, tools and seized money; 追缴 for a stated gain; 责令退赔 for a victim's loss in
  an offence that takes a victim's property (articles 263–271 and 274 of 刑法分则第五章, the frauds of
  192–200 and 224, 非法吸收公众存款 of 176) — the sum taken, and nothing where the facts say anything
  was returned or made good (what is still owed then is for the judge to state).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import find_amounts, yuan_text

PropertyCategory = Literal["contraband", "instrument", "seized_money", "gain", "returned"]

# A word that says the police or the court hold the thing.
_SEIZED = r"(?:查获|缴获|扣押|起获|查扣|收缴|扣留|搜出|搜查出|暂扣|随案移送)"
_DRUGS = (
    "毒品",
    "甲基苯丙胺",
    "冰毒",
    "麻果",
    "海洛因",
    "氯胺酮",
    "K粉",
    "摇头丸",
    "大麻",
    "可卡因",
    "吗啡",
    "鸦片",
    "美沙酮",
    "曲马多",
)
_CONTRABAND = ("枪支", "弹药", "子弹", "仿真枪", "气枪", "假币", "伪造的货币", "假药", "管制刀具", "爆炸物")
_INSTRUMENTS = (
    r"(?:作案工具|犯罪工具|作案用的|用于(?:赌博|作案|犯罪|联系|贩毒)的|赌具|麻将机|赌博机|老虎机|吸毒工具)"
)
_MONEY = r"(?:毒资|赌资|赃款)"
_GAIN = (
    r"(?:违法所得|非法所得|非法获利|从中获利|共获利|共计获利|累计获利|获利共计|获利人民币|获取利益|"
    r"抽头渔利|渔利|收取好处费|收受好处费|获得好处费|犯罪所得)"
)
# Words before a gain that make it someone's claim or promise, or money already given back.
_NOT_A_GAIN = ("谎称", "承诺", "许诺", "可获", "宣称", "声称", "最高", "返还", "退还", "退缴", "退赔", "退出")
_RETURNED = re.compile(
    r"(?:已|均已|全部|均)?(?:追回并发还|追回后发还|已发还|发还(?:给)?被害|返还(?:给)?被害|全部退赃|全部退赔|全额退赔|"
    r"退赔了全部|赃款赃物(?:均)?(?:已)?被追回|赃物(?:已|均已)?(?:被)?追回|已被追回|已追回)"
)
_NEGATED = ("未", "没有", "无", "不能", "拒不", "尚未")


@dataclass(frozen=True)
class PropertyItem:
    """One thing the facts say was seized or gained, with where they say it."""

    category: PropertyCategory
    what: str
    amount: Decimal | None
    start: int
    end: int
    quote: str


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, pos) for ch in "。；\n") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "。；\n") if i >= 0]
    return start, min(ends) if ends else len(text)


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start]
    return any(word in before for word in _NEGATED)


def _amount_after(text: str, start: int, limit: int = 16) -> tuple[Decimal | None, int]:
    """The money amount starting within `limit` characters after `start`, and where it ends."""
    found = next(iter(find_amounts(text[start : start + limit + 20])), None)
    if found is None or found.start > limit:
        return None, start
    return found.value, start + found.end


def _seized_in_sentence(text: str, pos: int) -> bool:
    s, e = _sentence_bounds(text, pos)
    return re.search(_SEIZED, text[s:e]) is not None


def read_property(text: str, drug_case: bool = False) -> list[PropertyItem]:
    """What the facts say was seized, gained or given back (see the module's docstring).

    `drug_case`: the charge is a drug offence, so drugs weighed for the expert report (净重, 称量)
    are in the police's hands even where no seizure word is written.
    """
    items: list[PropertyItem] = []
    seen: set[tuple[str, str]] = set()

    def add(category: PropertyCategory, what: str, amount: Decimal | None, start: int, end: int) -> None:
        key = (category, what if amount is None else f"{what}{amount}")
        if key in seen:
            return
        seen.add(key)
        items.append(PropertyItem(category, what, amount, start, end, text[start:end]))

    drug_re = "|".join(map(re.escape, _DRUGS))
    for m in re.finditer(rf"{_SEIZED}[^。；]{{0,40}}?({drug_re})", text):
        if not _negated(text, m.start()):
            add("contraband", "毒品", None, m.start(), m.end())
    if drug_case and not any(i.what == "毒品" for i in items):
        weighed = re.search(
            rf"(?:净重|称量|经称|重)[^。；]{{0,12}}?\d[\d.]*\s*(?:克|g|千克|公斤)|(?:{drug_re})[^。；]{{0,20}}?净重",
            text,
        )
        if weighed:
            add("contraband", "毒品", None, weighed.start(), weighed.end())
    for word in _CONTRABAND:
        for m in re.finditer(re.escape(word), text):
            if _seized_in_sentence(text, m.start()) and not _negated(text, m.start()):
                add("contraband", word, None, m.start(), m.end())
    for m in re.finditer(_INSTRUMENTS, text):
        tail = text[m.end() : m.end() + 3]
        if (_seized_in_sentence(text, m.start()) or tail.startswith(("照片", "清单"))) and not _negated(
            text, m.start()
        ):
            what = "赌具" if m.group(0) in ("赌具", "麻将机", "赌博机", "老虎机") else "作案工具"
            add("instrument", what, None, m.start(), m.end())
    for m in re.finditer(_MONEY, text):
        if not _seized_in_sentence(text, m.start()) or _negated(text, m.start()):
            continue
        amount, end = _amount_after(text, m.end())
        add("seized_money", m.group(0), amount, m.start(), max(end, m.end()))
    for m in re.finditer(_GAIN, text):
        before = text[max(0, m.start() - 8) : m.start()]
        if _negated(text, m.start()) or any(word in before for word in _NOT_A_GAIN):
            continue
        amount, end = _amount_after(text, m.end(), limit=10)
        if amount is None and not re.match(r"[^。；，]{0,8}?(?:元|万)", text[m.end() :]):
            continue  # a gain with no sum stated ("获利" as a motive) is not an item to recover
        add("gain", "违法所得", amount, m.start(), max(end, m.end()))
    for m in _RETURNED.finditer(text):
        if not _negated(text, m.start()):
            add("returned", "已追回发还", None, m.start(), m.end())
    return sorted(items, key=lambda i: i.start)


# ------------------------------------------------------------------------------------------ orders

# Offences against property with a victim who lost it: 刑法分则第五章 (263–276, less 272/273, which
# borrow funds to be given back, and 275/276, which destroy rather than take) and the frauds and
# 非法吸收公众存款 of 176, 192–200, 224.
_VICTIM_ARTICLES = frozenset([*range(263, 272), 274, 176, *range(192, 201), 224])


def victim_loss_offence(articles: str) -> bool:
    """Whether a charge with these defining articles ("264", "266、287之一") takes property from a victim.

    An added article (之一, 之二 …) is another offence than its base article: 224之一 is 传销, not
    合同诈骗, so only plain numbers count.
    """
    return any(a.isdigit() and int(a) in _VICTIM_ARTICLES for a in articles.split("、"))


@dataclass(frozen=True)
class PropertyOrder:
    """One 判决主文 item on property: its words, the disposition and the facts it rests on."""

    disposition: Literal["没收", "追缴", "责令退赔", "发还"]
    text: str
    reason: str


def _money(amount: Decimal | None) -> str:
    return f"人民币{yuan_text(amount)}" if amount is not None else ""


def property_orders(
    items: list[tuple[PropertyCategory, str, Decimal | None]],
    defendant: str,
    victim_loss: Decimal | None,
    victim: str = "被害人",
) -> list[PropertyOrder]:
    """The orders for one case, from the approved property facts and a victim's unreturned loss.

    `items`: (category, what, amount) of the approved `property` facts. `defendant`: the name the
    orders use ("被告人张三", or "各被告人"). `victim_loss`: what a victim lost and did not get back,
    None when no offence against property is before the court or nothing is left to make good.
    """
    if victim_loss is not None and victim_loss <= 0:
        raise ToolInputError(f"退赔数额须为正数：{victim_loss} / the loss to make good must be positive")
    orders: list[PropertyOrder] = []
    # What is confiscated, each with why (违禁品 / 供犯罪所用的本人财物 / 涉案款项).
    held: dict[str, str] = {}
    for cat, what, _ in items:
        if cat == "contraband":
            held.setdefault(what, "违禁品")
        elif cat == "instrument":
            held.setdefault(what, "供犯罪所用的本人财物")
    money: dict[str, Decimal | None] = {}
    for cat, what, amount in items:
        if cat == "seized_money" and what != "赃款":
            money[what] = max(amount, money.get(what) or amount) if amount is not None else money.get(what)
    for what, amount in money.items():
        held[f"{what}{_money(amount)}"] = "涉案款项"
    if held:
        reasons: dict[str, list[str]] = {}
        for what, why in held.items():
            reasons.setdefault(why, []).append(what)
        orders.append(
            PropertyOrder(
                "没收",
                f"扣押在案的{'、'.join(held)}予以没收",
                "扣押在案的"
                + "，".join(f"{'、'.join(whats)}系{why}" for why, whats in reasons.items())
                + "，依法应予没收",
            )
        )
    stolen = [amount for cat, what, amount in items if cat == "seized_money" and what == "赃款"]
    if stolen:
        known = [a for a in stolen if a is not None]
        held_money = f"赃款{_money(max(known))}" if known else "赃款"
        orders.append(
            PropertyOrder(
                "发还",
                f"扣押在案的{held_money}发还{victim}",
                f"扣押在案的{held_money}系{victim}的合法财产，应当予以发还",
            )
        )
    gains = [amount for cat, _, amount in items if cat == "gain"]
    if gains and victim_loss is None:
        known = [a for a in gains if a is not None]
        amount = max(known) if known else None  # the sums stated are usually one total and its parts
        orders.append(
            PropertyOrder(
                "追缴",
                f"追缴{defendant}的违法所得{_money(amount)}" if amount else f"{defendant}的违法所得予以追缴",
                f"{defendant}的违法所得应当予以追缴",
            )
        )
    if victim_loss is not None:
        orders.append(
            PropertyOrder(
                "责令退赔",
                f"责令{defendant}退赔{victim}经济损失{_money(victim_loss)}",
                f"{defendant}尚未退赔的违法所得应当责令退赔{victim}",
            )
        )
    return orders


def recovered(items: list[tuple[PropertyCategory, str, Decimal | None]]) -> bool:
    """Whether the facts say the property taken was recovered: given back, or seized to be given back."""
    return any(cat == "returned" or (cat == "seized_money" and what == "赃款") for cat, what, _ in items)
