"""A sentencing proposal computed step by step, following the 2021 sentencing guideline (量刑指导意见).

`propose_sentence(offence)` goes through the guideline's steps for one charge, each a
`SentencingStep` a judge can read and, where `editable`, override:

1. ``starting_point`` — 量刑起点, chosen inside the guideline's range for the penalty tier the facts
   reach (`start` in tools/data/sentencing_guidelines.json: the middle of the range for the lowest tier,
   the statutory minimum for a higher one, because step 2 adds the quantity above the threshold on top);
2. ``base`` — 基准刑: the starting point plus the increments for amount, drug quantity, blood alcohol,
   harm (injuries, deaths) or number of offences above the tier's threshold;
3. ``adj:<情节>`` — the circumstances, in the guideline's order: 未成年, 从犯, 未遂 … multiply the base
   one after another (连乘); the others are then added together on that result (同向相加、逆向相减);
4. ``result`` — rounded to whole months and kept inside the tier's statutory range; below its minimum
   (减轻处罚) only when a circumstance allows mitigation, and then not below the next lower tier;
   ``recommendation`` (when the prosecution's 量刑建议 is given) keeps the result inside it, as
   刑事诉讼法第二百零一条 asks of courts in 认罪认罚 cases;
5. ``kind`` (有期徒刑 / 拘役 / 管制 / 免予刑事处罚), ``fine`` (罚金, by the charge's documented rule, rounded
   to 1,000 yuan; ``confiscation`` instead where the tier's article adds 没收财产), ``probation`` (缓刑,
   刑法第七十二条、第七十三条: proposed only).

`overrides` maps a step id to a judge's value (months, a ratio for ``adj:`` steps, yuan for ``fine``,
probation months for ``probation``, 0 to refuse probation) and everything after it is recomputed.
`combine` applies 刑法第六十九条 (数罪并罚); `term_dates` writes 刑期自…起至…止 with custody credit.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from judgeflow.errors import JudgeflowError
from judgeflow.knowledge_graph.article_numbers import chinese_numeral
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import parse_numeral
from judgeflow.tools.dates import add_months, cn_date

PenaltyKind = Literal["有期徒刑", "拘役", "管制", "免予刑事处罚"]
SetBy = Literal["rule", "judge"]

# Statutory bounds of the principal penalties (刑法第三十八条、第四十二条、第四十五条、第六十九条).
DETENTION_MAX = 6
SURVEILLANCE_MIN, SURVEILLANCE_MAX = 3, 24
FIXED_TERM_MIN = 6
# Conditions of probation (刑法第七十二条) and its period (第七十三条).
PROBATION_MAX_TERM = 36
# Circumstances that show repentance (悔罪表现) for 刑法第七十二条.
REPENTANCE = frozenset(
    {"认罪认罚", "自首", "坦白", "当庭认罪", "退赃退赔", "赔偿损失", "取得谅解", "赔偿并谅解", "立功"}
)
# Circumstances that favour probation in practice beyond repentance alone.
PROBATION_SIGNS = frozenset({"赔偿并谅解", "取得谅解", "赔偿损失", "未成年", "从犯", "已满75周岁", "胁从犯"})


class SentencingUnavailable(JudgeflowError):
    """The calculator has no guideline data for this charge; the message names the supported ones."""


class SentencingInputError(ToolInputError):
    """A figure given to the calculator is impossible (a negative amount, an unknown override)."""


@dataclass(frozen=True)
class ProsecutionRecommendation:
    """The prosecution's 量刑建议: a range of months of one penalty kind, a fine, probation or not."""

    kind: Literal["有期徒刑", "拘役", "管制"] = "有期徒刑"
    low_months: int | None = None
    high_months: int | None = None
    fine_yuan: Decimal | None = None
    probation: bool = False


@dataclass(frozen=True)
class OffenceInput:
    """One defendant's offence under one charge, with the quantities and circumstances found."""

    charge: str
    amount_yuan: Decimal | None = None
    drug_grams: Mapping[str, Decimal] = field(default_factory=dict)
    bac_mg_per_100ml: Decimal | None = None
    injuries: Mapping[str, int] = field(default_factory=dict)
    deaths: int = 0
    times: int | None = None
    persons: int | None = None
    gambling_profit: Decimal | None = None
    circumstances: frozenset[str] = frozenset()
    age: int | None = None
    articles: tuple[int, ...] = ()
    joint: bool = False
    recommendation: ProsecutionRecommendation | None = None


@dataclass(frozen=True)
class SentencingStep:
    """One step of the computation, as the judge sees it."""

    id: str
    label: str
    months_before: float | None
    months_after: float | None
    ratio: float | None = None
    basis: str = ""
    articles: tuple[int, ...] = ()
    editable: bool = True
    set_by: SetBy = "rule"
    value: float | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentenceProposal:
    """The proposed sentence for one charge and the steps that led to it."""

    charge: str
    kind: PenaltyKind
    months: int
    fine_yuan: Decimal | None
    probation_months: int | None
    articles: tuple[int, ...]
    steps: tuple[SentencingStep, ...]
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """判处有期徒刑一年六个月，缓刑二年，并处罚金人民币五千元."""
        return sentence_text(self.kind, self.months, self.fine_yuan, self.probation_months)

    def step(self, step_id: str) -> SentencingStep | None:
        """The step with that id."""
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class CombinedSentence:
    """The sentence to be served for several charges (数罪并罚, 刑法第六十九条)."""

    kind: PenaltyKind
    months: int
    fine_yuan: Decimal | None
    probation_months: int | None
    articles: tuple[int, ...]
    parts: tuple[SentenceProposal, ...]
    steps: tuple[SentencingStep, ...]
    extra_surveillance_months: int = 0

    @property
    def text(self) -> str:
        """决定执行有期徒刑三年六个月，并处罚金人民币三万元."""
        return "决定执行" + sentence_text(self.kind, self.months, self.fine_yuan, self.probation_months)[2:]


@dataclass(frozen=True)
class TermDates:
    """Where a term starts and ends once pre-trial custody is credited, and the judgment's words for it."""

    start: date | None
    end: date | None
    credited_days: int
    text: str


# ------------------------------------------------------------------------------------------------ data


@lru_cache(maxsize=1)
def guidelines() -> dict[str, Any]:
    """The sentencing data file (tools/data/sentencing_guidelines.json)."""
    raw = resources.files("judgeflow.tools").joinpath("data/sentencing_guidelines.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def supported_charges() -> tuple[str, ...]:
    """The charges the calculator has data for: the guideline's, then those outside it."""
    data = guidelines()
    return (*data["charges"], *data["outside_guideline"]["charges"])


def canonical_charge(charge: str) -> str | None:
    """The calculator's name for a charge written any of the ways judgments write it, or None."""
    name = charge.strip()
    if not name.endswith("罪"):
        name += "罪"
    data = guidelines()
    name = str(data["aliases"].get(name, name))
    return name if name in data["charges"] or name in data["outside_guideline"]["charges"] else None


def _charge_spec(charge: str) -> tuple[str, dict[str, Any]]:
    name = canonical_charge(charge)
    if name is None:
        supported = "、".join(supported_charges())
        raise SentencingUnavailable(
            f"暂不支持“{charge}”的量刑计算，请法官直接确定刑罚。目前支持：{supported}"
            f" / no sentencing data for {charge!r}"
        )
    data = guidelines()
    if name in data["charges"]:
        spec: dict[str, Any] = data["charges"][name]
        return name, spec
    return name, _outside_spec(name, data["outside_guideline"])


def _outside_spec(name: str, table: dict[str, Any]) -> dict[str, Any]:
    """A spec for a charge outside the guideline: its lowest tier, a start in the lower quarter."""
    entry = table["charges"][name]
    lo, hi = int(entry["min"]), int(entry["max"])
    start = round(lo + (hi - lo) * float(table["fraction"]))
    fine_min = entry["fine_min"]
    return {
        "articles": [entry["article"]],
        "basis": (
            f"{name}不在量刑指导意见所列罪名之内：按刑法第{cn_article(int(entry['article']))}条第一档法定刑"
            f"（{term_text(lo)}至{term_text(hi)}）幅度的下四分之一确定量刑起点"
        ),
        "measure": "none",
        "tiers": [
            {
                "name": "第一档法定刑",
                "start": start,
                "start_range": [lo, hi],
                "min": lo,
                "max": hi,
                "kinds": entry["kinds"],
            }
        ],
        "fine": (
            None
            if fine_min is None
            else {"rule": "per_month", "yuan_per_month": 1000, "base_yuan": fine_min, "min": fine_min}
        ),
    }


def cn_article(n: int) -> str:
    """An article number in Chinese numerals (一百三十三)."""
    return chinese_numeral(n)


# ---------------------------------------------------------------------------------------------- terms

_CN_DIGITS = "零一二三四五六七八九"
_TERM_PART_RE = re.compile(
    r"(?:(?P<y>\d+|[一二两三四五六七八九十]+)年)?(?:零)?(?:(?P<m>\d+|[一二两三四五六七八九十]+)个月)?"
)


def parse_term_months(text: str) -> int | None:
    """Months in a term written "一年六个月", "1年零6个月", "十个月", "三年"; None if there is none."""
    for m in _TERM_PART_RE.finditer(text):
        if not (m.group("y") or m.group("m")):
            continue
        years = _small_int(m.group("y")) if m.group("y") else 0
        months = _small_int(m.group("m")) if m.group("m") else 0
        return years * 12 + months
    return None


def _small_int(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_numeral(text))


def cn_number(n: int) -> str:
    """0–99 in Chinese numerals as judgments write them (十, 十二, 二十)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def term_text(months: int) -> str:
    """一年六个月 / 三年 / 七个月."""
    years, rest = divmod(months, 12)
    parts = (f"{cn_number(years)}年" if years else "") + (f"{cn_number(rest)}个月" if rest else "")
    return parts or "零个月"


def _yuan_text(value: Decimal) -> str:
    n = int(value)
    if n % 10000 == 0 and n >= 10000 and n // 10000 < 100:
        return f"人民币{cn_number(n // 10000)}万元"
    if n % 1000 == 0 and n < 10000:
        return f"人民币{cn_number(n // 1000)}千元"
    return f"人民币{n}元"


def sentence_text(
    kind: PenaltyKind, months: int, fine: Decimal | None, probation_months: int | None = None
) -> str:
    """The operative words for one sentence: 判处拘役二个月，缓刑三个月，并处罚金人民币二千元."""
    if kind == "免予刑事处罚":
        return "免予刑事处罚"
    out = f"判处{kind}{term_text(months)}"
    if probation_months:
        out += f"，缓刑{term_text(probation_months)}"
    if fine:
        out += f"，并处罚金{_yuan_text(fine)}"
    return out


# ------------------------------------------------------------------------------------------- measures


def _measure(offence: OffenceInput, spec: dict[str, Any]) -> tuple[float | None, str]:
    """The quantity the charge's tiers are set on, and how it was counted."""
    kind = spec["measure"]
    if kind == "amount":
        v = offence.amount_yuan
        return (None if v is None else float(v)), "金额（元）"
    if kind == "gambling_profit":
        g = offence.gambling_profit
        return (None if g is None else float(g)), "抽头渔利数额（元）"
    if kind == "bac":
        b = offence.bac_mg_per_100ml
        return (None if b is None else float(b)), "血液乙醇含量（mg/100ml）"
    if kind == "drug":
        if not offence.drug_grams:
            return None, "毒品数量（折合海洛因克）"
        eq = guidelines()["drug_equivalents"]
        total = sum(float(g) * float(eq.get(d, 1)) for d, g in offence.drug_grams.items())
        return total, "毒品数量（折合海洛因克）"
    if kind == "harm":
        if not offence.injuries and not offence.deaths:
            return None, "伤害后果（折算点数）"
        w = guidelines()["harm_weights"]
        points = sum(float(w.get(g, 0)) * n for g, n in offence.injuries.items()) + w["死亡"] * offence.deaths
        return points, "伤害后果（折算点数：死亡10、重伤5-6、轻伤1.5-2、轻微伤0.3）"
    if kind == "times":
        t = offence.persons if offence.persons is not None and spec.get("measure_persons") else offence.times
        return (None if t is None else float(t)), "次数"
    return None, ""


def _check_inputs(offence: OffenceInput) -> None:
    for label, value in (
        ("金额", offence.amount_yuan),
        ("血液乙醇含量", offence.bac_mg_per_100ml),
        ("抽头渔利数额", offence.gambling_profit),
    ):
        if value is not None and value < 0:
            raise SentencingInputError(f"{label}不能为负数：{value} / {label} must not be negative")
    for drug, grams in offence.drug_grams.items():
        if grams < 0:
            raise SentencingInputError(
                f"毒品{drug}数量不能为负数：{grams}克 / drug grams must not be negative"
            )
    counts = [offence.deaths, offence.times or 0, offence.persons or 0, *offence.injuries.values()]
    if any(n < 0 for n in counts):
        raise SentencingInputError("人数、次数不能为负数 / counts must not be negative")


def _tier_index(spec: dict[str, Any], value: float, offence: OffenceInput) -> int:
    """The highest tier the quantity, a circumstance (`when_any`) or the count of offences reaches.

    `when_times` is the number of offences (or of people) that makes the tier's aggravated case, such as
    多次贩卖毒品 (three times or more) for 情节严重 (法释〔2016〕8号第四条).
    """
    chosen = 0
    for i, tier in enumerate(spec["tiers"]):
        by_value = "from" in tier and value >= float(tier["from"])
        by_fact = any(c in offence.circumstances for c in tier.get("when_any", ()))
        counts = [n for n in (offence.times, offence.persons) if n is not None]
        by_times = "when_times" in tier and any(n >= int(tier["when_times"]) for n in counts)
        if by_value or by_fact or by_times:
            chosen = i
    return chosen


# -------------------------------------------------------------------------------------- circumstances


def _normalize(circumstances: frozenset[str], age: int | None) -> list[tuple[str, float, dict[str, Any]]]:
    """The circumstances to apply, de-duplicated as the guideline requires, with their ratios."""
    table: dict[str, dict[str, Any]] = guidelines()["circumstances"]
    have = set(circumstances)
    if "自首" in have:
        have -= {"坦白", "当庭认罪"}
    if "坦白" in have or "认罪认罚" in have:
        have.discard("当庭认罪")
    if {"赔偿损失", "取得谅解"} <= have:
        have -= {"赔偿损失", "取得谅解"}
        have.add("赔偿并谅解")
    if "累犯" in have:
        have.discard("前科")
    out: list[tuple[str, float, dict[str, Any]]] = []
    for name, entry in table.items():
        if name not in have:
            continue
        ratio = float(entry["ratio"])
        if name == "未成年" and age is not None and age < 16:
            ratio = float(entry["under16_ratio"])
        out.append((name, ratio, entry))
    return out


# ---------------------------------------------------------------------------------------------- steps


def _override(overrides: Mapping[str, object], step_id: str) -> float | None:
    if step_id not in overrides:
        return None
    value = overrides[step_id]
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise SentencingInputError(f"“{step_id}”的修改值须为数字：{value!r} / override must be a number")
    return float(value)


def _round_fine(yuan: float, minimum: int | None = None) -> Decimal:
    """Whole thousands of yuan, not below the least fine (a lower least, 500 for a minor, in hundreds)."""
    r = guidelines()["rounding"]
    least = int(r["fine_min_yuan"]) if minimum is None else minimum
    step = int(r["fine_yuan"]) if yuan >= int(r["fine_yuan"]) else least
    rounded = max(least, int(Decimal(yuan / step).quantize(Decimal(1), ROUND_HALF_UP)) * step)
    return Decimal(rounded)


def propose_sentence(
    offence: OffenceInput, overrides: Mapping[str, object] | None = None
) -> SentenceProposal:
    """The proposed sentence for one charge, computed step by step; overrides set steps by the judge."""
    over = dict(overrides or {})
    name, spec = _charge_spec(offence.charge)
    _check_inputs(offence)
    known = {"starting_point", "base", "result", "kind", "fine", "probation", "recommendation"}
    for key in over:
        if key not in known and not key.startswith("adj:"):
            raise SentencingInputError(f"没有名为“{key}”的量刑步骤 / no sentencing step {key!r}")
    steps: list[SentencingStep] = []
    warnings: list[str] = []
    charge_articles = offence.articles or tuple(int(a) for a in spec["articles"])

    # 1. Starting point, in the tier the facts reach.
    value, unit = _measure(offence, spec)
    measure_warnings: tuple[str, ...] = ()
    if value is None and spec["measure"] not in ("none",):
        default = float(spec.get("missing_default", spec["tiers"][0].get("from", 0)))
        measure_warnings = (f"未读到{unit}，按{default:g}计算，请核实 / {unit} missing, {default:g} assumed",)
        warnings += measure_warnings
        value = default
    value = value or 0.0
    tiers = spec["tiers"]
    ti = _tier_index(spec, value, offence)
    tier = tiers[ti]
    threshold = float(tier.get("from", spec.get("measure_base", 0)))
    if (
        ti == 0
        and value < threshold
        and not any(c in offence.circumstances for c in tier.get("when_any", ()))
    ):
        measure_warnings += (
            f"{unit}{value:g}低于本表假定的入罪标准{threshold:g} / below the assumed threshold",
        )
        warnings.append(measure_warnings[-1])
    start = float(tier["start"])
    judge_start = _override(over, "starting_point")
    lo, hi = tier["start_range"]
    steps.append(
        SentencingStep(
            id="starting_point",
            label=f"量刑起点（{tier['name']}）",
            months_before=None,
            months_after=judge_start if judge_start is not None else start,
            basis=f"{spec['basis']}；起点幅度{term_text(lo)}至{term_text(hi)}",
            articles=charge_articles,
            set_by="judge" if judge_start is not None else "rule",
            warnings=measure_warnings,
        )
    )
    start = judge_start if judge_start is not None else start

    # 2. Base: increments for the quantity above the tier's threshold (and for repeated offences).
    # Increments count from the tier's own threshold, or (for a tier reached by a fact such as 逃逸)
    # from the first tier's; never below the quantity the offence itself takes (强奸一次, 容留两次).
    base_from = max(float(tier.get("from", tiers[0].get("from", 0))), float(spec.get("measure_base", 0)))
    increments = 0.0
    if tier.get("per") and value > base_from:
        increments += math.floor((value - base_from) / float(tier["per"])) * float(tier["months"])
    times_rule = spec.get("times")
    if times_rule and offence.times and offence.times >= int(times_rule["from"]):
        extra = (offence.times - int(times_rule["from"]) + 1) * float(times_rule["months"])
        increments += min(extra, float(times_rule.get("max_months", extra)))
    # Facts that aggravate the charge's own conduct (醉驾发生交通事故, 无证驾驶) add a set number of months.
    aggravating = {c: float(m) for c, m in spec.get("aggravating", {}).items() if c in offence.circumstances}
    increments += sum(aggravating.values())
    base = start + increments
    judge_base = _override(over, "base")
    steps.append(
        SentencingStep(
            id="base",
            label="基准刑（在量刑起点上增加刑罚量）",
            months_before=start,
            months_after=judge_base if judge_base is not None else base,
            basis=(
                f"{unit}{value:g}；超过{base_from:g}的部分每{float(tier.get('per') or 0):g}增加"
                f"{float(tier.get('months') or 0):g}个月"
                + (f"；{spec['threshold_basis']}" if "threshold_basis" in spec else "")
                + "".join(f"；{c}增加{m:g}个月" for c, m in aggravating.items())
                + (f"（{spec['aggravating_basis']}）" if aggravating and "aggravating_basis" in spec else "")
            ),
            set_by="judge" if judge_base is not None else "rule",
        )
    )
    base = judge_base if judge_base is not None else base

    # 3. Circumstances: the first group multiplies, the rest add up on that result.
    applied = _normalize(offence.circumstances, offence.age)
    running = base
    below_minimum = False
    extra_articles: list[int] = []
    for stage in ("first", "second"):
        anchor = running
        for cname, ratio, entry in applied:
            if entry["stage"] != stage:
                continue
            step_id = f"adj:{cname}"
            judge_ratio = _override(over, step_id)
            r = judge_ratio if judge_ratio is not None else ratio
            delta = (running if stage == "first" else anchor) * r
            if cname == "累犯" and r > 0:
                delta = max(delta, float(entry.get("min_months", 0)))
            after = running * (1 + r) if stage == "first" else running + delta
            below_minimum = below_minimum or (bool(entry["below_minimum"]) and r < 0)
            extra_articles += [int(a) for a in entry["articles"]]
            steps.append(
                SentencingStep(
                    id=step_id,
                    label=f"{'先行调节' if stage == 'first' else '调节'}：{cname}",
                    months_before=running,
                    months_after=after,
                    ratio=r,
                    basis=f"{entry['basis']}（{entry['range']}）",
                    articles=tuple(int(a) for a in entry["articles"]),
                    set_by="judge" if judge_ratio is not None else "rule",
                )
            )
            running = after

    # 4. Result: whole months inside the statutory range of the tier.
    low_bound = float(tier["min"])
    if below_minimum and ti > 0:
        low_bound = float(tiers[ti - 1]["min"])
    elif below_minimum:
        low_bound = 1.0
    result = min(max(round(running), low_bound), float(tier["max"]))
    result_warnings: tuple[str, ...] = ()
    if result < tier["min"]:
        result_warnings = ("在法定刑以下判处（减轻处罚），依刑法第六十三条 / below the statutory minimum",)
    judge_result = _override(over, "result")
    steps.append(
        SentencingStep(
            id="result",
            label="拟宣告刑（取整并限定在法定刑幅度内）",
            months_before=running,
            months_after=judge_result if judge_result is not None else result,
            basis=f"本档法定刑{term_text(int(tier['min']))}至{term_text(int(tier['max']))}",
            articles=(63,) if result < tier["min"] else (),
            set_by="judge" if judge_result is not None else "rule",
            warnings=result_warnings,
        )
    )
    result = judge_result if judge_result is not None else result

    rec = offence.recommendation
    if rec is not None and (rec.low_months is not None or rec.high_months is not None):
        judge_rec = _override(over, "recommendation")
        lo_rec = rec.low_months or 1
        hi_rec = rec.high_months or int(tier["max"])
        within = min(max(result, lo_rec), hi_rec)
        steps.append(
            SentencingStep(
                id="recommendation",
                label=f"检察机关量刑建议（{rec.kind}{term_text(lo_rec)}至{term_text(hi_rec)}）",
                months_before=result,
                months_after=judge_rec if judge_rec is not None else within,
                basis="刑事诉讼法第二百零一条：认罪认罚案件一般应当采纳检察机关的量刑建议；明显不当的可以不予采纳",
                set_by="judge" if judge_rec is not None else "rule",
            )
        )
        result = judge_rec if judge_rec is not None else within

    months = round(result)
    kind = _kind(months, tier, rec)
    if kind == "拘役":
        months = min(max(months, 1), DETENTION_MAX)
    elif kind == "有期徒刑":
        months = max(months, FIXED_TERM_MIN)
    elif kind == "管制":
        months = min(max(months, SURVEILLANCE_MIN), SURVEILLANCE_MAX)
    else:
        months = 0
    steps.append(
        SentencingStep(
            id="kind",
            label=f"刑种：{kind}",
            months_before=result,
            months_after=months,
            basis="刑法第四十二条（拘役一个月以上六个月以下）、第四十五条（有期徒刑六个月以上）、第三十八条（管制三个月以上二年以下）",
            editable=False,
        )
    )

    # 5. Fine.
    # A tier whose article adds 没收财产 instead of a fine (刑法第三百四十七条第二款) gets no 罚金 by rule,
    # unless mitigation took the term below the tier; the amount to confiscate is the judge's.
    confiscation = tier.get("confiscation") if kind == "有期徒刑" and months >= tier["min"] else None
    fine_spec = {**spec, "fine": None} if confiscation and "fine" not in over else spec
    fine = _fine(fine_spec, offence, months, kind, over)
    if confiscation and fine is None:
        steps.append(
            SentencingStep(
                id="confiscation",
                label="并处没收财产（数额由法官确定）",
                months_before=None,
                months_after=None,
                basis=str(confiscation),
                articles=(59,),
                editable=False,
            )
        )
    if fine is not None:
        fine_value, fine_basis, fine_by = fine
        steps.append(
            SentencingStep(
                id="fine",
                label="罚金",
                months_before=None,
                months_after=None,
                value=float(fine_value),
                basis=fine_basis,
                articles=(52, 53),
                set_by=fine_by,
            )
        )
    fine_yuan = fine[0] if fine is not None else None

    # 6. Probation (proposed only; the judge decides).
    probation = _probation(offence, spec, kind, months, over)
    if probation is not None:
        steps.append(probation)
    probation_months = int(probation.value) if probation is not None and probation.value else None

    articles = _articles(offence, spec, charge_articles, extra_articles, fine_yuan, probation_months, name)
    if confiscation and fine_yuan is None:
        articles = (*articles, 59)
    return SentenceProposal(
        charge=name,
        kind=kind,
        months=months,
        fine_yuan=fine_yuan,
        probation_months=probation_months,
        articles=articles,
        steps=tuple(steps),
        warnings=tuple(warnings),
    )


def _kind(months: int, tier: dict[str, Any], rec: ProsecutionRecommendation | None) -> PenaltyKind:
    kinds = tier["kinds"]
    if months <= 0:
        return "免予刑事处罚"
    if rec is not None and rec.kind in kinds and (rec.kind != "拘役" or months <= DETENTION_MAX):
        return rec.kind
    if months < FIXED_TERM_MIN and "拘役" in kinds:
        return "拘役"
    if months < FIXED_TERM_MIN and "管制" in kinds and months >= SURVEILLANCE_MIN:
        return "管制"
    if "有期徒刑" in kinds or months >= FIXED_TERM_MIN:
        return "有期徒刑"
    return "拘役"


def _fine(
    spec: dict[str, Any], offence: OffenceInput, months: int, kind: PenaltyKind, over: Mapping[str, object]
) -> tuple[Decimal, str, SetBy] | None:
    rule = spec.get("fine")
    judge = _override(over, "fine")
    if judge is not None:
        return (Decimal(str(judge)).quantize(Decimal(1)), "法官确定", "judge") if judge > 0 else None
    if not rule:
        return None
    if offence.recommendation is not None and offence.recommendation.fine_yuan:
        return (offence.recommendation.fine_yuan, "检察机关量刑建议的罚金数额", "rule")
    basis = rule.get("basis", "") or "刑法第五十二条：根据犯罪情节决定罚金数额"
    if rule["rule"] == "amount_multiple" and offence.amount_yuan:
        amount = float(offence.amount_yuan)
        yuan = max(float(rule["min"]), amount * float(rule["ratio"]))
        yuan = (
            min(yuan, amount * float(rule["max_ratio"]))
            if amount * float(rule["max_ratio"]) >= rule["min"]
            else yuan
        )
        how = f"本表取犯罪数额的{float(rule['ratio']):.0%}"
    else:
        per_month = float(rule.get("yuan_per_month", 1000))
        yuan = max(float(rule["min"]), float(rule.get("base_yuan", 0)) + per_month * max(months, 1))
        how = f"本表按主刑每月{per_month:g}元加{float(rule.get('base_yuan', 0)):g}元"
    minor = _minor_fine_ratio(offence)
    if minor is None:
        return (_round_fine(yuan), f"{basis}；{how}，取整至千元", "rule")
    r = guidelines()["rounding"]
    minor_min = int(r["fine_min_minor_yuan"])
    return (
        _round_fine(yuan * (1 + minor), minimum=minor_min),
        f"{basis}；{how}；{r['minor_basis']}：按未成年人的从宽比例（{-minor:.0%}）减少，不少于{minor_min}元",
        "rule",
    )


def _minor_fine_ratio(offence: OffenceInput) -> float | None:
    """The share by which a minor's fine is reduced (the 未成年 ratio of the term), None for an adult."""
    for name, ratio, _ in _normalize(offence.circumstances, offence.age):
        if name == "未成年":
            return ratio
    return None


def _probation(
    offence: OffenceInput, spec: dict[str, Any], kind: PenaltyKind, months: int, over: Mapping[str, object]
) -> SentencingStep | None:
    if kind not in ("拘役", "有期徒刑"):
        return None
    judge = _override(over, "probation")
    eligible = (kind == "拘役" or months <= PROBATION_MAX_TERM) and not (
        {"累犯", "毒品再犯"} & offence.circumstances
    )
    repentant = bool(REPENTANCE & offence.circumstances)
    rec = offence.recommendation
    signs = bool(PROBATION_SIGNS & offence.circumstances) or bool(spec.get("probation_friendly"))
    if rec is not None and (rec.low_months or rec.high_months):
        propose = rec.probation
    else:
        propose = eligible and repentant and signs and "前科" not in offence.circumstances
    lo, hi = (2, 12) if kind == "拘役" else (12, 60)
    period = min(max(math.ceil(months * 1.5), lo, months), hi)
    if judge is not None:
        period = int(judge)
        propose = period > 0
    if not eligible and judge is None:
        return None
    return SentencingStep(
        id="probation",
        label="缓刑（建议）" if propose else "缓刑（不建议）",
        months_before=float(months),
        months_after=float(months),
        value=float(period) if propose else 0.0,
        basis=(
            "刑法第七十二条：拘役或三年以下有期徒刑、有悔罪表现、无再犯危险的可以宣告缓刑（累犯不适用）；"
            "第七十三条：拘役缓刑考验期不少于原判刑期且不少于二个月、不超过一年，"
            "有期徒刑缓刑考验期不少于原判刑期且不少于一年、不超过五年；本表取刑期的1.5倍"
        ),
        articles=(72, 73) if propose else (),
        set_by="judge" if judge is not None else "rule",
    )


def _articles(
    offence: OffenceInput,
    spec: dict[str, Any],
    charge_articles: tuple[int, ...],
    extra: list[int],
    fine: Decimal | None,
    probation: int | None,
    name: str,
) -> tuple[int, ...]:
    out = list(charge_articles) + extra
    if offence.joint or {"主犯", "从犯", "胁从犯"} & offence.circumstances:
        out.append(25)
    if fine is not None:
        out += [52, 53]
    if probation:
        out += [72, 73]
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------------------------------- combine


def combine(proposals: Sequence[SentenceProposal]) -> CombinedSentence:
    """数罪并罚 (刑法第六十九条): above the highest term, below the total, within the caps; fines added.

    The term chosen is the highest plus half of the others (rounded down to a month), a rule of practice
    inside the article's range. 有期徒刑 absorbs 拘役; 管制 is served after 有期徒刑 or 拘役.
    """
    if not proposals:
        raise SentencingInputError("数罪并罚至少需要一个罪名的刑罚 / combine needs at least one sentence")
    if len(proposals) == 1:
        p = proposals[0]
        return CombinedSentence(p.kind, p.months, p.fine_yuan, p.probation_months, p.articles, (p,), ())
    fixed = [p.months for p in proposals if p.kind == "有期徒刑"]
    detention = [p.months for p in proposals if p.kind == "拘役"]
    surveillance = [p.months for p in proposals if p.kind == "管制"]
    kind: PenaltyKind
    extra_surveillance = 0
    if fixed:
        kind, terms, cap = "有期徒刑", fixed, (240 if sum(fixed) < 420 else 300)
        extra_surveillance = _combined(surveillance, 36) if surveillance else 0
    elif detention:
        kind, terms, cap = "拘役", detention, 12
        extra_surveillance = _combined(surveillance, 36) if surveillance else 0
    elif surveillance:
        kind, terms, cap = "管制", surveillance, 36
    else:
        kind, terms, cap = "免予刑事处罚", [0], 0
    months = _combined(terms, cap)
    fines = [p.fine_yuan for p in proposals if p.fine_yuan]
    fine = sum(fines, Decimal(0)) if fines else None
    probation_ok = all(p.probation_months for p in proposals) and (
        kind == "拘役" or (kind == "有期徒刑" and months <= PROBATION_MAX_TERM)
    )
    probation = None
    if probation_ok:
        lo, hi = (2, 12) if kind == "拘役" else (12, 60)
        probation = min(max(math.ceil(months * 1.5), lo, months), hi)
    articles = [a for p in proposals for a in p.articles if a not in (72, 73)] + [69]
    if probation:
        articles += [72, 73]
    step = SentencingStep(
        id="combine",
        label="数罪并罚",
        months_before=float(sum(terms)),
        months_after=float(months),
        basis=(
            "刑法第六十九条：在总和刑期以下、数刑中最高刑期以上酌情决定执行的刑期；有期徒刑总和刑期不满三十五年的，"
            "最高不能超过二十年，总和刑期在三十五年以上的，最高不能超过二十五年；拘役最高不能超过一年，管制最高不能超过三年；"
            "本表取最高刑期加其余刑期之和的一半"
        ),
        articles=(69,),
    )
    return CombinedSentence(
        kind=kind,
        months=months,
        fine_yuan=fine,
        probation_months=probation,
        articles=tuple(dict.fromkeys(articles)),
        parts=tuple(proposals),
        steps=(step,),
        extra_surveillance_months=extra_surveillance,
    )


def _combined(terms: Sequence[int], cap: int) -> int:
    highest, total = max(terms), sum(terms)
    chosen = highest + (total - highest) // 2
    return min(max(chosen, highest), total, max(cap, highest))


# ------------------------------------------------------------------------------------------ term dates


def term_dates(
    kind: PenaltyKind,
    months: int,
    custody: Sequence[tuple[date, date | None]],
    judgment_date: date,
    *,
    probation: bool = False,
) -> TermDates:
    """刑期自…起至…止: custody credited one day per day (管制 two days per day, 刑法第四十一条、第四十四条、第四十七条).

    `custody` lists periods of pre-trial detention, each (first day, last day) with the last day
    included; None as the last day means the defendant is still held. The term starts on the first day
    of the custody that is still running (else on the judgment date, standing in for the day execution
    begins) and every earlier, interrupted period is taken off its end. No dates under probation.
    """
    if months <= 0 or kind == "免予刑事处罚":
        return TermDates(None, None, 0, "")
    if probation:
        return TermDates(None, None, 0, "缓刑考验期限，从判决确定之日起计算。")
    for first, last in custody:
        if last is not None and last < first:
            raise SentencingInputError(
                f"羁押期间{first}至{last}首尾颠倒 / custody period ends before it starts"
            )
    per_day = 2 if kind == "管制" else 1
    ongoing = [first for first, last in custody if last is None]
    if kind == "管制" or not ongoing:
        start = judgment_date
        closed = list(custody)
    else:
        start = ongoing[-1]
        closed = [(f, last) for f, last in custody if last is not None and f < start]
    credited = sum(((last or judgment_date) - first).days + 1 for first, last in closed) * per_day
    end = add_months(start, months) - timedelta(days=1 + credited)
    rate = "二日" if per_day == 2 else "一日"
    text = (
        f"刑期从判决执行之日起计算。判决执行以前先行羁押的，羁押一日折抵刑期{rate}，"
        f"即自{cn_date(start)}起至{cn_date(end)}止。"
    )
    if not custody:
        text = f"刑期从判决执行之日起计算，即自{cn_date(start)}起至{cn_date(end)}止。"
    return TermDates(start, end, credited, text)
