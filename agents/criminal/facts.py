"""Criminal facts read from an indictment or a statement of facts, each item tied to its place in the text.

Pure text → `CriminalFacts`, no graph and no model. What is read:

- defendants (被告人 and the masked forms 吴某1, 孙某某, 张某甲, 王×1): gender, birth date, stated age,
  minority, custody events (刑事拘留 / 逮捕 / 取保候审 / 监视居住 / 羁押, with dates) and prior record
  (曾因…被判处…, 刑满释放 with the release date, which decides 累犯);
- quantities, normalized: money in yuan (`Decimal`, read with `judgeflow.tools.amounts`), drugs in grams
  per drug, blood alcohol in mg/100ml, injury grades, deaths, number of offences, number of people
  allowed to take drugs, gambling commissions, and the prosecution's sentencing recommendation;
- sentencing circumstances (自首, 坦白, 认罪认罚, 累犯, 从犯, 未遂, 退赃退赔, 取得谅解 …) with negations
  ("未取得谅解", "拒不退赃", "不构成自首") kept and marked, never dropped silently.

All records are frozen dataclasses; every one carries a `Span` (start, end, quote) into the text it
was read from. When a text holds both the prosecution's account and the court's findings (经审理查明),
totals are taken from the findings so that a repeated account is not counted twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from judgeflow.knowledge_graph.curated import model
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import find_amounts, parse_numeral
from judgeflow.tools.dates import find_dates
from judgeflow.tools.pseudonymize import surname_of
from judgeflow.tools.sentencing import parse_term_months

CustodyKind = Literal["刑事拘留", "行政拘留", "逮捕", "取保候审", "监视居住", "羁押", "释放"]
QuantityKind = Literal["amount", "drug", "bac", "injury", "death", "times", "persons", "gambling_profit"]
AmountRole = Literal["property", "restitution", "fine", "price", "gambling_profit", "other"]

# Injury grades, most serious first (《人体损伤程度鉴定标准》).
INJURY_GRADES = ("重伤一级", "重伤二级", "重伤", "轻伤一级", "轻伤二级", "轻伤", "轻微伤")
# Drug names as written, mapped to the name the guideline's quantity table uses.
DRUGS = {
    "甲基苯丙胺": "甲基苯丙胺",
    "冰毒": "甲基苯丙胺",
    "麻古": "甲基苯丙胺片剂",
    "麻果": "甲基苯丙胺片剂",
    "甲基苯丙胺片剂": "甲基苯丙胺片剂",
    "海洛因": "海洛因",
    "鸦片": "鸦片",
    "吗啡": "吗啡",
    "氯胺酮": "氯胺酮",
    "K粉": "氯胺酮",
    "大麻": "大麻",
    "可卡因": "可卡因",
    "摇头丸": "MDMA",
    "MDMA": "MDMA",
    "亚甲二氧基甲基苯丙胺": "MDMA",
    "美沙酮": "美沙酮",
    "可待因": "可待因",
    "曲马多": "曲马多",
    "甲卡西酮": "甲卡西酮",
    "咖啡因": "咖啡因",
}

_CLAUSE_END = "。；;\n"
# Words after 被告人 that begin with a surname character but are not names.
_NOT_NAMES = frozenset({"强奸", "曾因", "曾经", "曾于", "于是", "明知", "时年", "平时", "经常", "高度"})
_NAME_STOP = set("犯在于对以从将因系到与和、及等的是被驾为并向伙用拒均明未已经对把先后持其曾供出所且又自")
_NAME_RE = re.compile(
    r"被告人([×XＸ*＊]{2,4}|[\u4e00-\u9fff]{1,4}(?:[某×XＸ*＊]{1,2})?"
    # 吴某1 numbers a co-defendant; 杨某某2013年 is a name followed by a date, not 杨某某2.
    r"(?:[0-9](?![0-9０-９.．年月日])|[甲乙丙丁戊])?[一二三四五六七八九]?)"
)
_MASKED_RE = re.compile(r"^([\u4e00-\u9fff]{1,2}?)(某某|某|[×XＸ*＊]{1,2})([0-9甲乙丙丁戊]?)")
_GENDER_RE = re.compile(r"^[，,、（(\s]*(男|女)[，,、）)\s]")
_BIRTH_RE = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)(?:出生|生(?![育下产]))")
# Words that bring another person into the clause after a defendant's name: a birth date after them is
# that person's (被告人甲认识了被害人乙（2001年…出生）), not the defendant's.
_OTHER_PERSON_RE = re.compile(r"被害|证人|未成年人|同案|[。；]")
_AGE_RE = re.compile(r"(?:时年|年仅|现年)?(\d{1,2}|[一二三四五六七八九十]{1,3})(?:周岁|岁)")
_CUSTODY_RE = re.compile(r"(刑事拘留|行政拘留|逮捕|取保候审|监视居住|羁押|释放)")
_PRIOR_RE = re.compile(r"[^。；;\n]*(?:曾因|曾于|曾犯|曾经因|前科|刑满释放|假释期满)[^。；;\n]*")
_RELEASE_RE = re.compile(r"(刑满释放|假释期满|释放)")
_PRIOR_CHARGE_RE = re.compile(r"(?:犯|因)([\u4e00-\u9fff、]{2,15}?罪)")
_FINDINGS_RE = re.compile(r"经审理查明|经审理认定|本院查明|经审查查明")
_RECOMMEND_RE = re.compile(r"建议[^。；;\n]*")
_TERM_RE = re.compile(
    r"(?:[0-9]+|[一二两三四五六七八九十]+)年(?:零?(?:[0-9]+|[一二两三四五六七八九十]+)个月)?"
    r"|(?:[0-9]+|[一二两三四五六七八九十]+)个月"
)
_GRAMS_RE = re.compile(
    r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+(?:点[一二三四五六七八九零〇]+)?)\s*(千克|公斤|克|g)(?![a-zA-Z])"
)
_BAC_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:mg|毫克|ｍｇ)\s*[/／每]\s*(?:100|１００|一百)\s*(?:ml|毫升|ｍｌ|mL)"
    r"|每(?:百|一百|100)毫升(?:血液中?)?(?:的)?(?:含乙醇|(?:乙醇|酒精)含量(?:为|是|达)?)?(\d+(?:\.\d+)?)毫克"
)
_COUNT = r"(\d+|[一二两三四五六七八九十]+)"
_TIMES_RE = re.compile(
    rf"(?:盗窃|作案|诈骗|抢劫|抢夺|贩卖|容留|实施|先后|共|累计|共计|连续)[^，。；]{{0,6}}?{_COUNT}\s*(?:次|起)"
    rf"|{_COUNT}\s*次(?:盗窃|作案|诈骗|抢劫|贩卖|容留)"
)
_PERSONS_RE = re.compile(rf"{_COUNT}\s*人次|容留[^。；]{{0,20}}?{_COUNT}\s*(?:名|人)")
_DEATH_RE = re.compile(rf"(?:致|造成)?{_COUNT}?\s*人?(?:当场)?(?:抢救无效)?死亡")
_INJURY_RE = re.compile(
    rf"(?:致|造成)?(?:{_COUNT}\s*人)?(重伤一级|重伤二级|轻伤一级|轻伤二级|轻微伤|重伤|轻伤)"
)
_TOTAL_WORDS = ("共计", "合计", "总计", "累计", "总价值", "总额", "共")

_ROLE_CUES: tuple[tuple[AmountRole, tuple[str, ...]], ...] = (
    ("fine", ("罚金",)),
    ("restitution", ("赔偿", "退赔", "退赃", "退缴", "退还", "返还", "赔付", "补偿", "谅解", "预缴")),
    ("gambling_profit", ("抽头", "渔利", "抽水", "台费")),
    ("price", ("价格", "毒资", "售价", "购买", "单价", "每克", "出售给", "卖给", "交易")),
    ("other", ("佣金", "工资", "保证金", "押金", "罚款", "手续费", "借款", "欠款", "赌资")),
)

# Words that state a circumstance, by the name the sentencing calculator uses. Curated strong cues
# of the matching entry are added to these (see `_circumstance_words`), so both stay one list each.
_CIRCUMSTANCE_WORDS: dict[str, tuple[str, ...]] = {
    "自首": (
        "自首",
        "投案",
        "主动到公安机关",
        "主动到派出所",
        "在现场等候",
        "等候民警",
        "主动报警",
        "主动到案",
        "自动到案",
    ),
    "坦白": ("如实供述", "坦白", "供认不讳", "如实交代", "如实供认"),
    "当庭认罪": (
        "当庭认罪",
        "自愿认罪",
        "庭审中如实供述",
        "对指控无异议",
        "均无异议",
        "亦无异议",
        "没有异议",
    ),
    "认罪认罚": ("认罪认罚", "具结书", "签字具结", "同意量刑建议"),
    "立功": ("立功", "检举揭发", "协助抓获", "协助公安机关抓获"),
    "累犯": ("累犯",),
    "前科": ("前科", "曾因", "刑满释放", "被判处过", "被判过刑"),
    "毒品再犯": ("毒品再犯",),
    "主犯": ("主犯", "起主要作用"),
    "从犯": ("从犯", "起次要作用", "起辅助作用", "次要作用", "辅助作用"),
    "胁从犯": ("胁从犯", "被胁迫参加"),
    "未遂": ("未遂", "未得逞", "意志以外的原因"),
    "中止": ("犯罪中止", "自动放弃"),
    "预备": ("犯罪预备", "预备犯"),
    "退赃退赔": (
        "退赃",
        "退赔",
        "退缴",
        "退还",
        "返还被害人",
        "赃款已追回",
        "赃物已追回",
        "已发还",
        "已被追回",
    ),
    "赔偿损失": ("赔偿", "赔付"),
    "取得谅解": ("谅解",),
    "未成年": (
        "未成年",
        "不满十八周岁",
        "未满十八周岁",
        "已满十六周岁不满十八周岁",
        "已满十四周岁不满十六周岁",
    ),
    "已满75周岁": ("已满七十五周岁", "已满75周岁"),
    "又聋又哑或盲人": ("又聋又哑", "聋哑人", "盲人"),
    "限制刑事责任能力": ("限制刑事责任能力", "限定刑事责任能力", "部分刑事责任能力"),
    "犯罪对象为未成年人": ("幼女", "未成年人", "儿童"),
    "入户": ("入户",),
    "携带凶器": ("携带凶器",),
    "多次": ("多次",),
    "无证驾驶": ("无证驾驶", "无驾驶证", "无机动车驾驶证", "未取得机动车驾驶证", "无驾驶资格"),
}
# The curated circumstance whose strong cues extend ours (knowledge_graph/curated/circumstances.json).
_CURATED = {
    "立功": "立功",
    "主犯": "主犯",
    "从犯": "从犯",
    "胁从犯": "胁从犯",
    "未遂": "犯罪未遂",
    "中止": "犯罪中止",
    "预备": "犯罪预备",
    "认罪认罚": "认罪认罚",
    "已满75周岁": "已满七十五周岁",
    "又聋又哑或盲人": "又聋又哑的人或者盲人犯罪",
    "限制刑事责任能力": "限制刑事责任能力",
    "毒品再犯": "毒品再犯",
    "未成年": "未成年人犯罪",
}
# A negation this close before a cue, inside its clause, turns it around.
_NEGATIONS = (
    "未",
    "不",
    "拒不",
    "没有",
    "无",
    "否认",
    "不构成",
    "不属于",
    "不认定",
    "不能认定",
    "不予认定",
    "未能",
    "未取得",
    "未获得",
    "尚未",
    "均未",
    "拒绝",
)
_NEGATION_WINDOW = 6


@dataclass(frozen=True)
class Span:
    """Where an item was read: [start, end) in the text and the words there."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class CustodyEvent:
    """A coercive measure or a release, with its date when the text gives one."""

    kind: CustodyKind
    on: date | None
    span: Span


@dataclass(frozen=True)
class PriorRecord:
    """A prior conviction clause: the charge, whether it was a fixed-term sentence, the release date."""

    span: Span
    charge: str | None
    fixed_term: bool
    release_date: date | None


@dataclass(frozen=True)
class Defendant:
    """A defendant named in the text and what the text says about the person."""

    name: str
    span: Span
    mentions: int = 1
    gender: Literal["男", "女"] | None = None
    birth_date: date | None = None
    age: int | None = None
    minor: bool = False
    custody: tuple[CustodyEvent, ...] = ()
    prior: tuple[PriorRecord, ...] = ()
    # Particulars as the indictment's header states them (empty when it does not).
    ethnicity: str = ""
    education: str = ""
    occupation: str = ""
    address: str = ""


@dataclass(frozen=True)
class Quantity:
    """A normalized quantity: `value` in `unit`; `label` is the drug, injury grade or amount role."""

    kind: QuantityKind
    value: Decimal
    unit: str
    label: str
    span: Span
    defendants: tuple[str, ...] = ()
    total: bool = False
    findings: bool = False


@dataclass(frozen=True)
class Circumstance:
    """A sentencing circumstance stated in the text; `negated` when the text says it is absent."""

    name: str
    span: Span
    negated: bool = False
    defendants: tuple[str, ...] = ()
    # True when inferred from what the text says rather than stated (the judge confirms it).
    presumed: bool = False


@dataclass(frozen=True)
class Recommendation:
    """The prosecution's sentencing recommendation (量刑建议) as a range of months, and a fine."""

    kind: Literal["有期徒刑", "拘役", "管制"]
    low_months: int | None
    high_months: int | None
    fine_yuan: Decimal | None
    probation: bool
    span: Span
    defendants: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriminalFacts:
    """Everything read from one text; the helpers total the quantities per defendant."""

    text: str
    defendants: tuple[Defendant, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    circumstances: tuple[Circumstance, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    offence_date: date | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        """Defendant names in order of first mention."""
        return tuple(d.name for d in self.defendants)

    def _mine(self, kind: QuantityKind, name: str | None) -> list[Quantity]:
        qs = [q for q in self.quantities if q.kind == kind and _concerns(q.defendants, name)]
        # The court's findings restate the prosecution's account: use them alone when present.
        found = [q for q in qs if q.findings]
        return found or qs

    def amount_total(self, name: str | None = None) -> Decimal | None:
        """Money taken (stolen, defrauded, robbed …): the largest stated total, else the sum."""
        qs = [q for q in self._mine("amount", name) if q.label == "property"]
        return _total(qs)

    def drug_grams(self, name: str | None = None) -> dict[str, Decimal]:
        """Grams per drug (guideline names); a stated total replaces the items it sums."""
        by_drug: dict[str, list[Quantity]] = {}
        for q in self._mine("drug", name):
            by_drug.setdefault(q.label, []).append(q)
        out = {drug: _total(qs) for drug, qs in by_drug.items()}
        return {k: v for k, v in out.items() if v is not None}

    def bac(self, name: str | None = None) -> Decimal | None:
        """Blood alcohol in mg/100ml (the highest stated)."""
        qs = self._mine("bac", name)
        return max((q.value for q in qs), default=None)

    def injuries(self, name: str | None = None) -> dict[str, int]:
        """Injured people per grade (the largest count stated for each grade).

        A bare grade (重伤, 轻伤) beside its finer grades (重伤二级, 轻伤一级) names the same injuries
        again ("致其重伤……经鉴定为重伤二级"), so only the people it counts beyond them are kept.
        """
        out: dict[str, int] = {}
        for q in self._mine("injury", name):
            out[q.label] = max(out.get(q.label, 0), int(q.value))
        for bare in ("重伤", "轻伤"):
            finer = sum(n for grade, n in out.items() if grade.startswith(bare) and grade != bare)
            if bare in out and finer:
                rest = out.pop(bare) - finer
                if rest > 0:
                    out[bare] = rest
        return out

    def deaths(self, name: str | None = None) -> int:
        """People killed (the largest count stated)."""
        return max((int(q.value) for q in self._mine("death", name)), default=0)

    def times(self, name: str | None = None) -> int | None:
        """Number of offences (次数), the largest stated."""
        return max((int(q.value) for q in self._mine("times", name)), default=None)

    def persons(self, name: str | None = None) -> int | None:
        """People or person-times (人次), e.g. allowed to take drugs; the largest stated."""
        return max((int(q.value) for q in self._mine("persons", name)), default=None)

    def gambling_profit(self, name: str | None = None) -> Decimal | None:
        """Commission taken from gambling (抽头渔利), largest total else sum."""
        return _total(self._mine("gambling_profit", name))

    def has(self, circumstance: str, name: str | None = None) -> bool:
        """Whether a circumstance is stated (not negated) for that defendant (or anyone, name None)."""
        return any(
            c.name == circumstance and not c.negated and _concerns(c.defendants, name)
            for c in self.circumstances
        )

    def circumstances_of(self, name: str | None = None) -> set[str]:
        """The names of the circumstances stated and not negated for a defendant."""
        return {c.name for c in self.circumstances if not c.negated and _concerns(c.defendants, name)}

    def recommendation(self, name: str | None = None) -> Recommendation | None:
        """The prosecution's recommendation for a defendant (the last one stated)."""
        recs = [r for r in self.recommendations if _concerns(r.defendants, name)]
        named = [r for r in recs if name is not None and name in r.defendants]
        chosen = named or recs
        return chosen[-1] if chosen else None

    def defendant(self, name: str) -> Defendant | None:
        """The defendant of that name."""
        return next((d for d in self.defendants if d.name == name), None)


def _concerns(defendants: tuple[str, ...], name: str | None) -> bool:
    return name is None or not defendants or name in defendants


def _total(qs: list[Quantity]) -> Decimal | None:
    if not qs:
        return None
    totals = [q.value for q in qs if q.total]
    items = [q.value for q in qs if not q.total]
    summed = sum(items, Decimal(0))
    if totals and max(totals) >= max(items, default=Decimal(0)):
        return max(totals)
    return summed


# ---------------------------------------------------------------------------------------------- text


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, pos) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, pos) for c in _CLAUSE_END) if i >= 0]
    return start, min(ends) if ends else len(text)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _negated(text: str, start: int, word: str) -> bool:
    if word.startswith(("未", "不", "无")):
        return False
    clause_start = _clause_bounds(text, start)[0]
    # A comma ends the reach of a negation too: "未赔偿，但取得谅解".
    comma = max(text.rfind("，", clause_start, start), text.rfind(",", clause_start, start))
    before = text[max(clause_start, comma + 1, start - _NEGATION_WINDOW) : start]
    return any(n in before for n in _NEGATIONS)


# ----------------------------------------------------------------------------------------- defendants


_FULLY_MASKED_RE = re.compile(r"^[×XＸ*＊]{2,4}")


_AFTER_NAME = set("，,、。；;（(于在因系的与和伙到犯是被将对")


def _masked_given_name(masked: str, nxt: str, text: str) -> bool:
    """Whether `nxt` completes a masked name (陈某 + 辉): a character that could be part of a name and that
    follows every mention of `masked`, which is mentioned at least twice (陈某盗窃 is not 陈某盗)."""
    if not nxt or not ("\u4e00" <= nxt <= "\u9fff") or nxt in _NAME_STOP or nxt in "某一二三四五六七八九":
        return False
    follows = re.findall(re.escape(masked) + "(.)(.?)", text)
    # …and at least once stands as a name does: before a pause or a word that follows a name (李某华于…).
    return (
        len(follows) >= 2
        and all(f == nxt for f, _ in follows)
        and any(after and after in _AFTER_NAME for _, after in follows)
    )


def _clean_name(raw: str, text: str) -> str | None:
    fully = _FULLY_MASKED_RE.match(raw)
    if fully:  # 被告人XXX: the whole name masked
        return fully.group(0)
    if (not surname_of(raw[:2]) and not surname_of(raw[:3])) or raw[:2] in _NOT_NAMES:
        return None
    m = _MASKED_RE.match(raw)
    if m:
        name = m.group(0)
        # 文某一, 文某二: a Chinese numeral after 某 numbers co-defendants when several are so numbered.
        nxt = raw[len(name) : len(name) + 1]
        if (
            m.group(3) == ""
            and nxt
            and nxt in "一二三四五六七八九"
            and len(set(re.findall(name + "[一二三四五六七八九]", text))) > 1
        ):
            name += nxt
        elif m.group(2) == "某" and m.group(3) == "" and _masked_given_name(name, nxt, text):
            name += nxt  # 陈某辉: the surname and the last character kept, 某 for the one between
        return name
    # A plain name has two or three characters; take the third only when it always follows the two.
    two, three = raw[:2], raw[:3]
    if len(two) < 2:
        return None
    if two[1] in _NAME_STOP:
        # 王自成, 罗明昌: a second character that could end the name is part of it when the three
        # characters recur together after 被告人 or on their own.
        recurs = len(three) == 3 and three[2] not in _NAME_STOP and text.count(three) >= 2
        return three if recurs and text.count(three) == text.count(two) else None
    if len(three) == 3 and three[2] not in _NAME_STOP and text.count(three) == text.count(two):
        return three
    return two


# The particulars clause after a defendant's first mention: 男，…出生，汉族，初中文化，无业，住…。
_PARTICULARS_END = re.compile(r"[。；;\n]|因涉嫌|因本案|曾因")
_ETHNICITY_RE = re.compile(r"(?:^|[，,])\s*([\u4e00-\u9fff]{1,4}族)(?=[，,。])")
_EDUCATION_RE = re.compile(
    r"(?:^|[，,])\s*((?:文盲|小学|初中|高中|中专|大专|大学|本科|研究生|硕士|博士)(?:文化|学历|肄业|毕业)?)(?=[，,。])"
)
_OCCUPATION_RE = re.compile(
    r"(?:^|[，,])\s*(无业|无固定职业|农民|务农|工人|职工|个体(?:经营者|工商户)?|司机|学生|[\u4e00-\u9fff]{1,12}(?:员工|职员|经理|负责人|人员))(?=[，,。])"
)
_ADDRESS_RE = re.compile(r"(?:^|[，,])\s*(?:户籍[所在]*地|住|暂住)[：:]?([^，,。；;]{4,40})")


def _particulars(after: str) -> dict[str, str]:
    """Ethnicity, education, occupation and address from a defendant's particulars clause."""
    clause = after[: m.start()] if (m := _PARTICULARS_END.search(after)) else after
    out: dict[str, str] = {}
    for key, regex in (
        ("ethnicity", _ETHNICITY_RE),
        ("education", _EDUCATION_RE),
        ("occupation", _OCCUPATION_RE),
        ("address", _ADDRESS_RE),
    ):
        found = regex.search(clause)
        if found:
            out[key] = found.group(1).strip()
    return out


def _prior_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PRIOR_RE.finditer(text) if m.group().strip()]


def _tried_elsewhere(text: str, name: str) -> bool:
    """Whether the text says this person's case is handled apart (同案犯…, …（另案处理）, 已判刑)."""
    quoted = re.escape(name)
    return (
        re.search(rf"{quoted}[（(]?(?:另案|已判|均已判|在逃|已作)", text) is not None
        or re.search(rf"同案(?:犯|人)[^。；]{{0,30}}?{quoted}", text) is not None
    )


def _read_defendants(text: str, offence: date | None) -> list[Defendant]:
    found: dict[str, list[int]] = {}
    for m in _NAME_RE.finditer(text):
        name = _clean_name(m.group(1), text)
        if name:
            found.setdefault(name, []).append(m.start(1))
            # 被告人胡某某、钟某某: the names listed after the first are defendants too.
            at = m.start(1) + len(name)
            while text[at : at + 1] == "、" and (more := _NAME_RE.match("被告人" + text[at + 1 : at + 12])):
                listed = _clean_name(more.group(1), text)
                if not listed or _tried_elsewhere(text, listed):
                    break
                found.setdefault(listed, []).append(at + 1)
                at += 1 + len(listed)
    # A name that is another's prefix (王某 beside 王某1) is the same person only if never alone.
    # A one-off word after 被告人 (被告人将于某…) is not a name unless it recurs in the text.
    if len(found) > 1:
        found = {n: s for n, s in found.items() if text.count(n) >= 2}
    out: list[Defendant] = []
    for name, starts in found.items():
        first = starts[0]
        after = text[first + len(name) : first + len(name) + 60]
        gender_m = _GENDER_RE.match(after)
        birth: date | None = None
        bm = _BIRTH_RE.search(after)
        if bm and not _OTHER_PERSON_RE.search(after[: bm.start()]):
            dates = find_dates(bm.group(1))
            birth = dates[0].value if dates else None
        age: int | None = None
        am = _AGE_RE.search(after[:30])
        if am:
            try:
                age = int(parse_numeral(am.group(1)))
            except ToolInputError:
                age = None
        minor = age is not None and age < 18
        if birth and offence:
            minor = minor or _age_on(birth, offence) < 18
            age = age if age is not None else _age_on(birth, offence)
        out.append(
            Defendant(
                name=name,
                span=_span(text, first, first + len(name)),
                mentions=len(starts),
                gender="男" if gender_m and gender_m.group(1) == "男" else ("女" if gender_m else None),
                birth_date=birth,
                age=age,
                minor=minor,
                custody=tuple(_read_custody(text, name, starts)),
                prior=tuple(_read_prior(text, name, tuple(found))),
                **_particulars(text[first + len(name) : first + len(name) + 120]),
            )
        )
    return out


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _owner_at(text: str, pos: int, names: Iterable[str]) -> str | None:
    """The defendant named last before pos (within the text)."""
    best, best_at = None, -1
    for name in names:
        at = text.rfind(name, 0, pos)
        if at > best_at:
            best, best_at = name, at
    return best


def _read_custody(text: str, name: str, starts: list[int]) -> list[CustodyEvent]:
    out: list[CustodyEvent] = []
    for m in _CUSTODY_RE.finditer(text):
        c_start = _clause_bounds(text, m.start())[0]
        clause = text[c_start : m.end()]
        if name not in clause and not (len(starts) and _only_name_near(text, name, m.start())):
            continue
        if "刑满释放" in text[m.start() - 2 : m.end()] or "曾因" in clause:
            continue
        dates = [d for d in find_dates(clause) if d.precision == "day"]
        on = dates[-1].value if dates else None
        kind: CustodyKind = m.group(1)  # type: ignore[assignment]
        if kind == "羁押" and "现羁押" in text[m.start() - 2 : m.end()]:
            continue
        out.append(CustodyEvent(kind, on, _span(text, c_start + clause.rfind(m.group(1)), m.end())))
    return out


def _only_name_near(text: str, name: str, pos: int) -> bool:
    """Whether the last 被告人 named before pos is this defendant."""
    at = text.rfind("被告人", 0, pos)
    return at >= 0 and text.startswith(name, at + 3) and pos - at < 120


def _read_prior(text: str, name: str, names: tuple[str, ...]) -> list[PriorRecord]:
    out: list[PriorRecord] = []
    for s, e in _prior_spans(text):
        clause = text[s:e]
        inside = [n for n in names if n in clause]
        owner = inside[0] if inside else _owner_at(text, s + 1, names)
        if owner != name:
            continue
        if (
            "被判" not in clause
            and "刑满释放" not in clause
            and "判处" not in clause
            and "前科" not in clause
        ):
            continue
        if clause.strip().startswith(("无前科", "没有前科")) or "无前科" in clause:
            continue
        release: date | None = None
        rm = _RELEASE_RE.search(clause)
        if rm:
            dates = [d for d in find_dates(clause[: rm.start()]) if d.precision != "year"]
            release = dates[-1].value if dates else None
        cm = _PRIOR_CHARGE_RE.search(clause)
        out.append(
            PriorRecord(
                span=_span(text, s, e),
                charge=cm.group(1) if cm else None,
                fixed_term="有期徒刑" in clause or "刑满释放" in clause,
                release_date=release,
            )
        )
    return out


# ----------------------------------------------------------------------------------------- quantities


def _outside(spans: list[tuple[int, int]], start: int) -> bool:
    return not any(s <= start < e for s, e in spans)


# Verbs of taking: an amount they govern is what was taken, even after a word such as 借款 in
# "以借款为名骗取被害人人民币20000元" (the pretext, not a loan).
_TAKING_WORDS = ("骗取", "骗得", "窃取", "盗走", "窃得", "抢走", "抢得", "劫取", "勒索", "侵占", "诈骗")


def _role(text: str, start: int, end: int | None = None) -> AmountRole:
    if end is not None and "价格" in text[end : end + 4]:
        return "price"
    clause_start = _clause_bounds(text, start)[0]
    before = text[max(clause_start, start - 14) : start]
    for role, words in _ROLE_CUES:
        if any(w in before for w in words):
            if role == "other":
                cue_at = max(before.rfind(w) for w in words)
                if max(before.rfind(w) for w in _TAKING_WORDS) > cue_at:
                    return "property"
            return role
    return "property"


def _is_total(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start]
    comma = max(before.rfind("，"), before.rfind(","))
    return any(w in before[comma + 1 :] for w in _TOTAL_WORDS)


def _who(text: str, start: int, names: tuple[str, ...]) -> tuple[str, ...]:
    if len(names) <= 1:
        return ()
    c_start = _clause_bounds(text, start)[0]
    sentence = text[c_start:start]
    inside = tuple(n for n in names if n in sentence)
    if inside:
        return inside
    owner = _owner_at(text, start, names)
    return (owner,) if owner else ()


def _count(raw: str | None) -> int:
    if not raw:
        return 1
    try:
        return int(parse_numeral(raw))
    except ToolInputError:
        return 1


def _drug_near(text: str, start: int, end: int) -> str:
    """The drug a weight is of: named just before it, else later in its sentence, else earlier."""
    c_start, c_end = _clause_bounds(text, start)

    def last_in(window: str) -> str | None:
        best, best_at = None, -1
        for word, name in DRUGS.items():
            at = window.rfind(word)
            if at > best_at:
                best, best_at = name, at
        return best

    close = last_in(text[max(c_start, start - 8) : start])
    if close:
        return close
    after = text[end:c_end]
    hits = [(after.find(w), n) for w, n in DRUGS.items() if w in after]
    if hits:
        return min(hits)[1]
    return last_in(text[max(c_start, start - 24) : start]) or "毒品"


def _grams(raw: str, unit: str) -> Decimal:
    if "点" in raw:
        whole, frac = raw.split("点", 1)
        digits = "".join(
            str("零一二三四五六七八九".index(c)) if c in "零一二三四五六七八九" else "0" for c in frac
        )
        value = Decimal(int(parse_numeral(whole))) + Decimal("0." + digits)
    else:
        value = Decimal(raw) if raw[0].isdigit() else parse_numeral(raw)
    return value * 1000 if unit in ("千克", "公斤") else value


_PURCHASE_WORDS = ("求购", "购买", "购得", "买到", "要买")


def _is_purchase(text: str, start: int) -> bool:
    """Whether a weight is what someone asked for or bought, said in the same phrase before it."""
    clause_start = _clause_bounds(text, start)[0]
    comma = max(text.rfind("，", clause_start, start), text.rfind(",", clause_start, start))
    phrase = text[max(clause_start, comma + 1) : start]
    return any(w in phrase for w in _PURCHASE_WORDS)


def _read_quantities(
    text: str, names: tuple[str, ...], skip: list[tuple[int, int]], findings_at: int
) -> list[Quantity]:
    out: list[Quantity] = []

    def add(kind: QuantityKind, value: Decimal, unit: str, label: str, s: int, e: int, total: bool) -> None:
        if _outside(skip, s):
            out.append(
                Quantity(
                    kind, value, unit, label, _span(text, s, e), _who(text, s, names), total, s >= findings_at
                )
            )

    for a in find_amounts(text):
        role = _role(text, a.start, a.end)
        kind: QuantityKind = "gambling_profit" if role == "gambling_profit" else "amount"
        add(kind, a.value, "元", role, a.start, a.end, _is_total(text, a.start))
    bac_spans: list[tuple[int, int]] = []
    for m in _BAC_RE.finditer(text):
        raw = m.group(1) or m.group(2)
        bac_spans.append((m.start(), m.end()))
        add("bac", Decimal(raw), "mg/100ml", "血液乙醇含量", m.start(), m.end(), False)
    purchases: list[tuple[Decimal, str, int, int]] = []
    for m in _GRAMS_RE.finditer(text):
        if not _outside(bac_spans, m.start()):
            continue
        drug = _drug_near(text, m.start(), m.end())
        if drug == "毒品" and not any(w in text for w in ("毒品", "吸毒", *DRUGS)):
            continue
        try:
            grams = _grams(m.group(1), m.group(2))
        except (ToolInputError, ArithmeticError, ValueError):
            continue
        if _is_purchase(text, m.start()):
            purchases.append((grams, drug, m.start(), m.end()))
            continue
        add("drug", grams, "克", drug, m.start(), m.end(), _is_total(text, m.start()))
    # A weight asked for or bought (求购1克, 购买大麻3克) restates the drug that is then handed over,
    # seized and weighed, when the other weights account for at least half of it; otherwise (bought
    # 100 g, two sales of 2 g named) it is the quantity dealt in and is kept.
    others = sum((q.value for q in out if q.kind == "drug"), Decimal(0))
    for grams, drug, s, e in purchases:
        if others < grams / 2:
            add("drug", grams, "克", drug, s, e, _is_total(text, s))
    for m in _INJURY_RE.finditer(text):
        s = m.start(2)
        if _negated(text, s, m.group(2)) or text[max(0, s - 4) : s].endswith(("不构成", "未达到", "未构成")):
            continue
        add("injury", Decimal(_count(m.group(1))), "人", m.group(2), m.start(), m.end(), False)
    for m in _DEATH_RE.finditer(text):
        if _negated(text, m.start(), "死亡") or text[m.end() : m.end() + 1] == "者":
            continue
        add("death", Decimal(_count(m.group(1))), "人", "死亡", m.start(), m.end(), False)
    for m in _TIMES_RE.finditer(text):
        raw = m.group(1) or m.group(2)
        add("times", Decimal(_count(raw)), "次", "次数", m.start(), m.end(), False)
    for m in _PERSONS_RE.finditer(text):
        raw = m.group(1) or m.group(2)
        add(
            "persons", Decimal(_count(raw)), "人次" if m.group(1) else "人", "人数", m.start(), m.end(), False
        )
    return out


# -------------------------------------------------------------------------------------- circumstances


@lru_cache(maxsize=1)
def _circumstance_words() -> tuple[tuple[str, str], ...]:
    curated = {c.name: c for c in model.circumstances()}
    pairs: list[tuple[str, str]] = []
    for name, words in _CIRCUMSTANCE_WORDS.items():
        extra = curated[_CURATED[name]].strong if name in _CURATED and _CURATED[name] in curated else ()
        for w in dict.fromkeys((*words, *extra)):
            pairs.append((name, w))
    # Longest words first, so a longer cue claims its place before a cue inside it.
    return tuple(sorted(pairs, key=lambda p: -len(p[1])))


def _said_of_defendant(text: str, start: int, names: tuple[str, ...]) -> bool:
    """Whether the phrase before `start` says the defendant is what follows (被告人张某系…)."""
    clause_start = _clause_bounds(text, start)[0]
    comma = max(text.rfind("，", clause_start, start), text.rfind(",", clause_start, start))
    phrase = text[max(clause_start, comma + 1) : start]
    return (
        phrase.endswith(("系", "是", "属", "属于", "为"))
        and "被害" not in phrase
        and ("被告人" in phrase or any(n in phrase for n in names))
    )


# The role in a joint crime and the stage an offence reached are findings the court makes on the facts
# (刑法第二十二条至第二十四条、第二十七条、第二十八条); a sentence that only reports the defence's or an
# appellant's argument for one (辩护人提出…系从犯, 上诉理由…系从犯, …应属犯罪未遂的辩解) states a claim the
# court may reject, not the circumstance. The prosecution's own view (公诉机关认为…) still counts.
_CONTESTED = frozenset({"从犯", "胁从犯", "未遂", "中止", "预备"})
_DEFENCE_CLAIM_RE = re.compile(r"辩护人|辩护意见|上诉理由|上诉称|辩称|辩解|持异议|有异议")
_PROSECUTION_VIEW_RE = re.compile(r"(?:公诉机关|检察院|起诉书)(?:认为|提出|认定)")


def defence_claim(text: str, start: int) -> bool:
    """Whether the word at `start` is in the defence's argument rather than the charge or the facts.

    The sentence up to the word names the defence after any prosecution view (辩护人提出…系从犯), or, with
    no prosecution view before it, the word's own clause ends as the defence's (…应属犯罪未遂的辩解).
    """
    before = text[max(text.rfind(ch, 0, start) for ch in "。\n") + 1 : start]
    defence = [m.start() for m in _DEFENCE_CLAIM_RE.finditer(before)]
    prosecution = [m.start() for m in _PROSECUTION_VIEW_RE.finditer(before)]
    if defence:
        return max(defence) > max(prosecution, default=-1)
    ends = [i for i in (text.find(ch, start) for ch in "，。；\n") if i >= 0]
    clause_rest = text[start : min(ends) if ends else len(text)]
    return not prosecution and _DEFENCE_CLAIM_RE.search(clause_rest) is not None


def _noted_of_other(text: str, start: int, names: tuple[str, ...]) -> bool:
    """Whether the word at `start` is a note in brackets on someone who is not a defendant (冯某（未成年）)."""
    if text[start - 1 : start] not in ("（", "("):
        return False
    before = text[max(0, start - 12) : start - 1]
    return bool(before) and not any(before.endswith(n) for n in names)


def _read_circumstances(
    text: str, names: tuple[str, ...], prior: list[tuple[int, int]]
) -> list[Circumstance]:
    taken: list[tuple[int, int, str]] = []
    out: list[Circumstance] = []
    for name, word in _circumstance_words():
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            inside_longer = any(s <= start and end <= e and n != name for s, e, n in taken)
            # A prior conviction's own words are not circumstances of the present offence, except 前科.
            in_prior = not _outside(prior, start) and name not in ("前科", "累犯", "毒品再犯")
            claimed = name in _CONTESTED and defence_claim(text, start)
            # 从犯罪数额 (deducted from the sum of the crime) is not 从犯.
            misread = word == "从犯" and text[end : end + 1] == "罪"
            if not inside_longer and not in_prior and not claimed and not misread:
                taken.append((start, end, name))
                # 被害人系未成年人 speaks of the victim, 被告人张某系未成年人 of the defendant.
                said_of = name
                if name == "未成年" and (
                    "被害" in text[_clause_bounds(text, start)[0] : start]
                    or _noted_of_other(text, start, names)
                ):
                    said_of = "犯罪对象为未成年人"
                if name == "犯罪对象为未成年人" and _said_of_defendant(text, start, names):
                    said_of = "未成年"
                out.append(
                    Circumstance(
                        said_of,
                        _span(text, start, end),
                        _negated(text, start, word),
                        _who(text, start, names),
                    )
                )
            start = text.find(word, end)
    return sorted(out, key=lambda c: c.span.start)


# ----------------------------------------------------------------------------------- recommendations


def _read_recommendations(text: str, names: tuple[str, ...]) -> list[Recommendation]:
    out: list[Recommendation] = []
    for m in _RECOMMEND_RE.finditer(text):
        clause = m.group(0)
        kinds = [k for k in ("有期徒刑", "拘役", "管制") if k in clause]
        if not kinds:
            continue
        probation_at = clause.find("缓刑")
        main = clause[:probation_at] if probation_at >= 0 else clause
        terms = [(t.start(), parse_term_months(t.group(0))) for t in _TERM_RE.finditer(main)]
        months = [v for _, v in terms if v]
        if not months and "以下" not in main:
            continue
        kind = min(kinds, key=clause.find)
        low, high = (min(months), max(months)) if months else (None, None)
        if len(months) == 1 and re.search(r"以下|以内", main) and "以上" not in main:
            low = None
        if len(months) == 1 and "以上" in main and not re.search(r"以下|以内", main):
            high = None
        fines = [a.value for a in find_amounts(clause) if "罚金" in clause[: a.start]]
        who = tuple(n for n in names if n in clause)
        out.append(
            Recommendation(
                kind,  # type: ignore[arg-type]
                low,
                high,
                fines[0] if fines else None,
                "缓刑" in clause and "不" not in clause[max(0, probation_at - 3) : probation_at],
                _span(text, m.start(), m.end()),
                who,
            )
        )
    return out


# --------------------------------------------------------------------------------------------- entry


def _offence_date(text: str, skip: list[tuple[int, int]]) -> date | None:
    for d in find_dates(text):
        if _outside(skip, d.start) and d.precision != "year":
            after = text[d.end : d.end + 12]
            if "出生" in after or _CUSTODY_RE.search(after[:8]):
                continue
            return d.value
    return None


def read_criminal_facts(text: str) -> CriminalFacts:
    """Defendants, quantities, circumstances and the prosecution's recommendation in a criminal text."""
    prior = _prior_spans(text)
    offence = _offence_date(text, prior)
    defendants = _read_defendants(text, offence)
    names = tuple(d.name for d in defendants)
    recs = _read_recommendations(text, names)
    rec_spans = [(r.span.start, r.span.end) for r in recs]
    fm = _FINDINGS_RE.search(text)
    findings_at = fm.start() if fm else len(text) + 1
    quantities = _read_quantities(text, names, prior + rec_spans, findings_at)
    circumstances = _read_circumstances(text, names, prior)
    circumstances += _derived(text, defendants, offence)
    circumstances += _presumed_confession(text, defendants, circumstances)
    circumstances += _presumed_recidivism(text, defendants, circumstances)
    circumstances += _accident_liability(text, defendants)
    warnings: list[str] = []
    if not defendants:
        warnings.append("未找到被告人姓名（应写作“被告人某某”） / no defendant named after 被告人")
    return CriminalFacts(
        text=text,
        defendants=tuple(defendants),
        quantities=tuple(quantities),
        circumstances=tuple(circumstances),
        recommendations=tuple(recs),
        offence_date=offence,
        warnings=tuple(warnings),
    )


# A defendant who admits the facts (at trial or in a confession in evidence) and never denies them
# has, in practice, confessed truthfully after arrest: 坦白 (刑法第六十七条第三款), presumed for the
# judge to confirm when the text states neither 自首 nor 坦白.
# "无异议" is the record's formula for a defendant who accepts the facts charged (…在开庭审理过程中亦无异议,
# 均无异议, 对指控的事实和罪名无异议, 未提出异议); "不否认" is an admission, not a denial.
_ADMISSION_RE = re.compile(
    r"如实供述|供认不讳|(?:予以(?:全部)?|对此|均)供认|(?<!有)无异议|(?:未(?:提出)?|没有|不持)异议|不否认|自愿认罪|表示认罪|当庭认罪"
)
_DENIAL_RE = re.compile(r"不认罪|(?<!不)否认|翻供|拒不供述|拒不交代|辩称|零口供")


def _presumed_confession(
    text: str, defendants: list[Defendant], stated: list[Circumstance]
) -> list[Circumstance]:
    """坦白 presumed for each defendant who admits and does not deny (none when 自首/坦白 is stated)."""
    admission = _ADMISSION_RE.search(text)
    if admission is None or _DENIAL_RE.search(text):
        return []
    out: list[Circumstance] = []
    names = [d.name for d in defendants] or [""]
    for name in names:
        said = {c.name for c in stated if (not c.defendants or name in c.defendants)}
        if said & {"自首", "坦白"}:
            continue
        span = _span(text, admission.start(), admission.end())
        out.append(Circumstance("坦白", span, False, (name,) if name else (), presumed=True))
    return out


# 负事故的全部责任 / 承担主要责任: the traffic police's finding of who caused an accident.
_LIABILITY_RE = re.compile(r"(?:负|承担)(?:此|该|本)?(?:起)?(?:交通)?(?:事故)?(?:的)?(全部|主要)责任")


def _accident_liability(text: str, defendants: list[Defendant]) -> list[Circumstance]:
    """负事故主要责任: the defendant bears the whole or the main responsibility for an accident.

    Said of the defendant only when the phrase naming the responsibility names the defendant (or
    被告人) or no one at all: "金某某承担主要责任，乔某某承担次要责任" is not the defendant's.
    """
    names = tuple(d.name for d in defendants)
    out: list[Circumstance] = []
    for m in _LIABILITY_RE.finditer(text):
        phrase_start = max(text.rfind(c, 0, m.start()) for c in "，,。；;：:\n") + 1
        phrase = text[phrase_start : m.start()]
        named = tuple(n for n in names if n in phrase)
        if not named and "被告人" not in phrase and phrase.strip():
            continue
        if _negated(text, m.start(), m.group(0)):
            continue
        who = named or (_who(text, m.start(), names) if len(names) > 1 else ())
        out.append(Circumstance("负事故主要责任", _span(text, m.start(), m.end()), False, who))
    return out


# A release certificate for a prison term served (刑满释放证明书) or the prison's file on the defendant
# (罪犯档案) among the evidence is how the record proves the day a prison term ended, which 累犯 turns on
# (刑法第六十五条: a new crime within five years of a fixed-term sentence served); it is attached for that
# purpose, so 累犯 is presumed for the judge to confirm when the text does not state it. A bare 释放证明
# may end any custody (拘役, detention) and proves no fixed term served, so it does not.
_RELEASE_CERTIFICATE_RE = re.compile(r"刑满释放证明|刑满释放通知|罪犯档案")
# 毒品再犯 (刑法第三百五十六条: 因走私、贩卖、运输、制造、非法持有毒品罪被判过刑，又犯本节规定之罪) needs only an
# earlier sentence, of any kind: in a drug case any release certificate in evidence (释放证明, 刑满释放证明书)
# is the record of it, and 毒品再犯 is presumed likewise unless the text names a prior offence outside
# that list.
_ANY_RELEASE_RE = re.compile(r"释放证明")
# The offences whose earlier sentence makes a later drug offence 毒品再犯 (刑法第三百五十六条).
_DRUG_PRIOR_OFFENCES = ("走私", "贩卖", "运输", "制造", "非法持有毒品")


def _drug_prior(charge: str) -> bool:
    """Whether a prior conviction for this offence makes a later drug offence 毒品再犯 (刑法第三百五十六条)."""
    return "毒品" in charge and any(w in charge for w in _DRUG_PRIOR_OFFENCES)


def _presumed_recidivism(
    text: str, defendants: list[Defendant], stated: list[Circumstance]
) -> list[Circumstance]:
    """累犯 (and 毒品再犯 in a drug case) presumed for the defendant whose release certificate is in evidence.

    None where the text states or denies it; no 累犯 for a minor; no 毒品再犯 where the text names the
    prior offence and it is not one 第三百五十六条 lists.
    """
    names = tuple(d.name for d in defendants)
    drug_case = any(w in text for w in ("毒品", *DRUGS))
    out: list[Circumstance] = []
    found = [("累犯", m) for m in _RELEASE_CERTIFICATE_RE.finditer(text)]
    if drug_case:
        found += [("毒品再犯", m) for m in _ANY_RELEASE_RE.finditer(text)]
    for circumstance, m in found:
        who = _who(text, m.start(), names) if len(names) > 1 else names
        if len(who) != 1:
            continue
        name = who[0]
        defendant = next(d for d in defendants if d.name == name)
        said = {c.name for c in (*stated, *out) if not c.defendants or name in c.defendants}
        # 刑法第六十五条 excludes a crime committed under eighteen; 第三百五十六条 does not.
        if circumstance in said or (circumstance == "累犯" and defendant.minor):
            continue
        if circumstance == "毒品再犯" and not all(_drug_prior(p.charge) for p in defendant.prior if p.charge):
            continue
        out.append(Circumstance(circumstance, _span(text, m.start(), m.end()), False, (name,), presumed=True))
    return out


def _derived(text: str, defendants: list[Defendant], offence: date | None) -> list[Circumstance]:
    """Circumstances that follow from what was read rather than from a word: minority, 累犯."""
    out: list[Circumstance] = []
    for d in defendants:
        if d.minor:
            out.append(Circumstance("未成年", d.span, False, (d.name,)))
        if d.age is not None and d.age >= 75:
            out.append(Circumstance("已满75周岁", d.span, False, (d.name,)))
        for p in d.prior:
            out.append(Circumstance("前科", p.span, False, (d.name,)))
            if (
                p.fixed_term
                and p.release_date
                and offence
                and 0 <= (offence - p.release_date).days <= 5 * 365 + 1
            ):
                out.append(Circumstance("累犯", p.span, False, (d.name,)))
            # 第三百五十六条 lists the earlier offences: 容留他人吸毒 is not one of them.
            if p.charge and _drug_prior(p.charge):
                out.append(Circumstance("毒品再犯", p.span, False, (d.name,)))
    return out
