"""The court's amounts against the record's: an amount in 本院认为 or 判决主文 that reads like a figure of
the record with a digit changed, dropped or added (a transcription slip) is an error.

Amounts that appear nowhere in the record are not errors by themselves: fines, fees and awards are
the court's own decisions. What is checked is the near miss — 3593元 in the record, 3539元 or
35930元 in the reasoning — which no legitimate calculation produces by chance for a specific figure.

Two further signs mark a near miss of a round or small figure, which the digits alone cannot: the
court restating a clause of the record word for word with only the figure slipped (…共计价值人民币2500元，
数额较大 … 2900元，数额较大), and a rate per unit (50元／日, 31元／吨) that the court itself gives for the
same thing elsewhere, slipped in one place (a warning: rates of a case also differ for good reasons).
"""

from __future__ import annotations

import re
from decimal import Decimal

from judgeflow.agents.checking.collector import Collector, Severity
from judgeflow.tools.amounts import AmountMatch, yuan_text

CENT = Decimal("0.01")
SPECIFIC = 4  # significant digits from which a figure is too specific to be matched by chance
CONTEXT = 14  # characters before an amount (and half as many after) that say what it is
PER_UNIT_RE = re.compile(r"\s*[/／每](?P<unit>天|日|月|年|人|次|平方米|吨|亩|辆|件|个|小时)")
APPROXIMATE = ("余", "多", "左右", "许", "以上", "以下")
# Words with which the court restates a figure of the record rather than decides one.
RESTATED_RE = re.compile(
    r"退赔|退还|追缴|发还|赃款|违法所得|非法所得|获利|价值|窃得|骗取|盗窃|诈骗|收受|侵占|挪用|退缴"
)
COMMON_PAIRS = frozenset(
    [
        "人民",
        "民币",
        "被告",
        "告人",
        "原告",
        "本院",
        "判决",
        "共计",
        "合计",
        "价值",
        "金额",
        "计人",
        "支付",
        "给付",
        "赔偿",
        "偿还",
        "返还",
        "退赔",
        "损失",
        "经济",
        "济损",
        "上述",
        "以上",
        "其中",
        "应当",
        "依法",
        "于本",
        "本判",
        "决生",
        "生效",
        "效后",
        "十日",
        "日内",
        "并处",
        "处罚",
        "罚金",
        "违法",
        "法所",
        "所得",
        "追缴",
        "没收",
        "予以",
        "发还",
        "被害",
        "害人",
        "责令",
        "缴纳",
        "元整",
        "之日",
        "起十",
        "费用",
        "款项",
    ]
)
LABEL_RE = re.compile(r"([\u4e00-\u9fff]{2,6})(?:人民币|为|计|共计|合计|金额|款|价值|数额)?$")
LABEL_NOISE = ("人民币", "共计", "合计", "金额", "价值", "数额", "为", "计", "款", "共")
# A clause restated word for word: this many characters before the amount the same as before the
# record's figure, and this many in all with those after it. Shorter runs are shared by figures that
# differ for good reasons (…利息19000元，合计20万元 / 合计28万元; 元／月÷21.75天×11天 in every year's line).
RESTATED_BEFORE = 12
RESTATED_AROUND = 20
SAME_RUN_LIMIT = 40


def _digits(value: Decimal) -> str:
    """The figure's digits in cents, e.g. 3593 → '359300'."""
    return f"{(value.quantize(CENT) * 100):f}".split(".")[0]


def significant(value: Decimal) -> int:
    """How many significant digits a figure has (3000 → 1, 3593 → 4, 1234.50 → 5)."""
    return len(_digits(value).strip("0"))


def slip(a: Decimal, b: Decimal) -> str:
    """How figure `a` differs from `b` as a slip of the pen: 'digit', 'swap', 'scale', or ''."""
    if abs(a - b) < 1:
        return ""  # rounding to the yuan, not a slip
    da, db = _digits(a), _digits(b)
    if len(da) == len(db):
        diff = [i for i in range(len(da)) if da[i] != db[i]]
        if len(diff) == 1:
            return "digit"
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and da[diff[0]] == db[diff[1]]
            and da[diff[1]] == db[diff[0]]
        ):
            return "swap"
    if a == b * 10 or b == a * 10:
        return "scale"
    return ""


def label(text: str, start: int) -> str:
    """The words right before an amount (医疗费, 罚金), without 人民币/共计 and the like."""
    m = LABEL_RE.search(text[max(0, start - 12) : start])
    if m is None:
        return ""
    word = m.group(1)
    for noise in LABEL_NOISE:
        word = word.removesuffix(noise)
    return word[-3:]


def context(text: str, start: int, end: int) -> set[str]:
    """Content-word pairs around an amount (退缴, 赃款, 薄金, 金英 …), common court words left out."""
    around = text[max(0, start - CONTEXT) : start] + "|" + text[end : end + CONTEXT // 2]
    pairs = {around[i : i + 2] for i in range(len(around) - 1)}
    return {p for p in pairs if all("\u4e00" <= ch <= "\u9fff" for ch in p) and p not in COMMON_PAIRS}


def per_unit(text: str, m: AmountMatch) -> bool:
    """True for a rate per unit (1344元／月, 每日100元): a standard, not a figure of the case."""
    return PER_UNIT_RE.match(text, m.end) is not None or text[max(0, m.start - 2) : m.start].endswith("每")


def proposal(text: str, m: AmountMatch) -> bool:
    """True for an amount that bounds a range or is proposed, not found (一千元至二千元, 建议…罚金)."""
    clause = re.split(r"[，。；,;]", text[max(0, m.start - 30) : m.start])[-1]
    after = text[m.end : m.end + 2]
    return (
        after.startswith(("至", "到", "以上", "以下", "左右"))
        or "建议" in clause
        or clause.endswith(("至", "到"))
    )


def near_miss(m: AmountMatch, record: list[AmountMatch], text: str) -> tuple[AmountMatch, Severity] | None:
    """The record amount that `m` looks like a slip of, and how sure that is.

    An error: a specific figure (four or more significant digits) with one digit changed or two
    swapped; a figure of three significant digits said in the same words (退缴赃款 … 退缴赃款) with a
    digit changed or a zero dropped or added; a figure restated as what was taken or is to be returned
    (退赔, 违法所得 …) that the slip makes less round or ten times off. A warning: a round figure said in
    the same words and ten times off, or made less round (2000元 → 2060元) — round figures of a case
    also differ for good reasons."""
    values = {r.value for r in record}
    if m.value in values or text.startswith(APPROXIMATE, m.end) or per_unit(text, m):
        return None
    mine = label(text, m.start)
    around = context(text, m.start, m.end)
    restated = RESTATED_RE.search(text[max(0, m.start - CONTEXT) : m.start]) is not None
    weak: AmountMatch | None = None
    for r in record:
        kind = slip(m.value, r.value)
        if not kind or proposal(text, r) or per_unit(text, r):
            continue
        sig = significant(r.value)
        if kind != "scale" and sig >= SPECIFIC and significant(m.value) >= 2:
            return r, "error"
        same = (mine and label(text, r.start) == mine) or bool(around & context(text, r.start, r.end))
        if kind == "swap":
            # two swapped digits of a less specific figure are as likely another figure
            weak = weak or (r if same else None)
            continue
        less_round = significant(m.value) > sig
        if (same and sig >= 3) or (restated and (sig >= 3 or kind == "scale" or less_round)):
            return r, "error"
        if same and (kind == "scale" or less_round) and weak is None:
            weak = r
    return (weak, "warning") if weak is not None else None


def same_before(text: str, a: int, b: int) -> int:
    """How many characters right before positions `a` and `b` are the same (up to SAME_RUN_LIMIT)."""
    n = 0
    while n < SAME_RUN_LIMIT and min(a, b) - n > 0 and text[a - n - 1] == text[b - n - 1]:
        n += 1
    return n


def same_after(text: str, a: int, b: int) -> int:
    """How many characters from positions `a` and `b` on are the same (up to SAME_RUN_LIMIT)."""
    n = 0
    while n < SAME_RUN_LIMIT and max(a, b) + n < len(text) and text[a + n] == text[b + n]:
        n += 1
    return n


def restated_clause(m: AmountMatch, references: list[AmountMatch], text: str) -> AmountMatch | None:
    """The reference figure whose clause the court's amount `m` restates word for word with only the
    figure slipped (a digit changed, two swapped, a zero added or dropped), if any.

    Round and small figures, rates and approximate figures count here too: with the same dozen
    characters before it the court is saying the same thing, so the figure must be the same."""
    for r in references:
        if r.start == m.start or not slip(m.value, r.value):
            continue
        before = same_before(text, m.start, r.start)
        if before >= RESTATED_BEFORE and before + same_after(text, m.end, r.end) >= RESTATED_AROUND:
            return r
    return None


def unit_of(text: str, m: AmountMatch) -> str:
    """The unit of a rate per unit written after the amount (月 for 1364元／月), '' for a plain amount."""
    found = PER_UNIT_RE.match(text, m.end)
    return found.group("unit") if found else ""


def slipped_rate(
    m: AmountMatch, rates: list[AmountMatch], text: str, computed_with: set[Decimal]
) -> AmountMatch | None:
    """The court's own rate per unit (one the record states too) that the court's rate `m`, of the same
    unit and said about the same thing (a content word in common around it), reads like a slip of.
    A rate the court computes with (`computed_with`: the figures of its written calculations) is
    deliberate."""
    unit = unit_of(text, m)
    if not unit or m.value in computed_with:
        return None
    around = context(text, m.start, m.end)
    for r in rates:
        if (
            r.start != m.start
            and unit_of(text, r) == unit
            and slip(m.value, r.value)
            and around & context(text, r.start, r.end)
        ):
            return r
    return None


def supported(value: Decimal, values: set[Decimal]) -> bool:
    """True when a figure is in the record or is the sum or difference of two record figures."""
    if value in values:
        return True
    return any(value - v in values or v - value in values for v in values)


def check_figures(
    c: Collector,
    record: list[AmountMatch],
    court: list[AmountMatch],
    also: set[Decimal] | None = None,
    computed_with: set[Decimal] | None = None,
) -> None:
    """Each of the court's amounts that is no record figure (nor a sum or difference of two) but a slip
    of one is an error; `also` adds figures known to be right (the court's own stated totals).

    The figures checked against are the record's and the court's own that the record confirms, so a
    figure of 本院认为 that restates a clause of 判决主文 or of 本院认为 itself is checked as well;
    `computed_with` are the figures that enter the court's written calculations."""
    values = {r.value for r in record} | (also or set())
    confirmed = [m for m in court if m.value in values]
    for m in court:
        if c.covered(m.start, m.end) or m.value in values:
            continue
        restated = restated_clause(m, record + confirmed, c.text)
        if restated is not None:
            _report(c, m, restated, "error", restated in confirmed)
            continue
        if supported(m.value, values):
            continue
        miss = near_miss(m, record, c.text)
        if miss is not None:
            _report(c, m, *miss, False)
            continue
        rate = slipped_rate(m, confirmed, c.text, computed_with or set())
        if rate is not None:
            _report(c, m, rate, "warning", True)


def _report(c: Collector, m: AmountMatch, source: AmountMatch, severity: Severity, own: bool) -> None:
    """One amount finding: `source` is the figure `m` slips from, in the record or (`own`) in the
    court's own words."""
    unit = PER_UNIT_RE.match(c.text, source.end)
    shown = c.text[max(0, source.start - 20) : unit.end() if unit else source.end]
    c.add(
        "amount",
        m.start,
        m.end,
        f"金额{m.quote}与{'本院认定的' if own else '查明事实中的'}{source.quote}不一致",
        f"{'本院认定' if own else '查明事实'}：{shown}（{yuan_text(source.value)}）",
        severity,
    )
