"""Consistency between the court's reasoning (本院认为) and its orders (判决主文) in civil judgments.

- the amounts: an amount an order awards (被告X偿还原告Y借款本金50000元) must be the amount 本院认为
  upheld for the same thing (对借款本金50000元，本院予以支持), or one the reasoning states at all, or a
  sum or difference of two of its amounts (a partial award, a repayment deducted);
- the rejected claims: a claim 本院认为 rejects outright (原告要求支付违约金的请求，本院不予支持) must not
  be awarded by an order;
- flow drafts: every amount of each upheld syllogism's order (`Conclusion.order`, `Conclusion.award`)
  must be written in 判决主文, so that a judge's later edit of the text cannot leave the conclusion.

What the orders alone decide is not compared: costs (案件受理费…由…负担), the 迟延履行 warning, the
base of an interest order (以50000元为基数) and rates per unit (100元/天). A finding is an error only
when the reasoning states one figure for the same thing in a sentence that upholds it; otherwise it is
a warning for the judge to read. Each finding points at the words of the orders and quotes 本院认为.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from judgeflow.agents.checking.collector import Collector, Severity
from judgeflow.graph.state import CaseState, Syllogism
from judgeflow.tools.amounts import AmountMatch, find_amounts, yuan_text

CLAUSE_END_RE = re.compile(r"[。；;\n]")
# The words of an order that awards money from one party to another.
PAYING_RE = re.compile(r"支付|偿还|给付|赔偿|返还|归还|退还|清偿|补偿|偿付|补发|补足|退回")
# Sentences of the orders that are not awards between the parties.
NOT_AN_AWARD_RE = re.compile(
    r"受理费|诉讼费|保全费|公告费|鉴定费.{0,12}负担|负担|迟延履行|上诉|预交|驳回|加倍支付|本页无正文"
)
UPHELD_RE = re.compile(r"予以支持|应予支持|本院支持|予以确认|予以认定|本院认定|应予保护|予以保护")
REJECTED_RE = re.compile(r"不予支持|予以驳回|应予驳回|依法驳回|不予保护")
# A rejection of part of a claim only (the excess, an earlier period) leaves the rest awardable.
PARTIAL_RE = re.compile(
    r"超出|超过|过高|高于|多出|部分|其余|其他|以外|之外|差额|以前|之前|以后|之后|期间|之日|[至到]\d|反诉"
)
# A party's argument the court answers: not a claim it rejects.
ARGUMENT_RE = re.compile(r"辩称|抗辩|辩解|答辩|辩护|认为|主张.{0,10}抵|抵扣|抵销|扣除")
# What an amount is for, as the court names it: the term right before the amount in its clause.
TERMS = (
    "借款本金",
    "本金",
    "借款",
    "逾期利息",
    "利息",
    "罚息",
    "复利",
    "违约金",
    "滞纳金",
    "资金占用费",
    "逾期付款损失",
    "货款",
    "租金",
    "工程款",
    "工资",
    "二倍工资差额",
    "二倍工资",
    "加班费",
    "经济补偿金",
    "经济补偿",
    "赔偿金",
    "医疗费",
    "误工费",
    "护理费",
    "交通费",
    "住宿费",
    "营养费",
    "住院伙食补助费",
    "残疾赔偿金",
    "死亡赔偿金",
    "丧葬费",
    "被扶养人生活费",
    "精神损害抚慰金",
    "精神抚慰金",
    "鉴定费",
    "律师费",
    "维修费",
    "修理费",
    "定金",
    "保证金",
    "押金",
    "转让款",
    "购房款",
    "服务费",
    "物业费",
    "承包费",
    "运费",
    "合计",
)
TERM_RE = re.compile("|".join(sorted(TERMS, key=len, reverse=True)))
TOTAL_WORDS = ("合计", "共计", "总计", "总额")
# Terms that name too broad a thing for one figure to be the only one (several losses, several loans).
BROAD_TERMS = frozenset({"借款", "合计", "赔偿金", "经济补偿"})
REQUEST_RE = re.compile(r"要求|请求|主张|诉请|诉求|请判令|判令")
PARTY_RE = re.compile(r"(?:被告|原告|第三人)([\u4e00-\u9fff]{1,6})")
# Characters that end a party's name in a request (the verb or the word that follows the name).
UNQUALIFIED = "付还偿赔给的告及和、，,求张令人对向在按由与"
NAME_END_RE = re.compile(f"[{UNQUALIFIED}]|支付|偿还|给付|赔偿|返还|承担|归还|退还")
# An order's words between verb and term that leave the term unqualified: the party paid (原告李某).
UNQUALIFIED_ORDER_RE = re.compile(r"(?:给|向)?(?:原告|被告|第三人)?(?:(?!的)[\u4e00-\u9fff、×＊*]){0,10}")
PER_UNIT_RE = re.compile(r"\s*[/／每](?:天|日|月|年|人|次|平方米|吨|亩|辆|件|个|小时|股)")


@dataclass(frozen=True)
class Stated:
    """An amount as the court writes it: where, its value, what it is for, and the clause it stands in."""

    amount: AmountMatch
    term: str
    clause: tuple[int, int]

    @property
    def value(self) -> Decimal:
        """The amount in yuan."""
        return self.amount.value


def _clause(text: str, pos: int, span: tuple[int, int]) -> tuple[int, int]:
    """The clause (up to 。； or a line break) of text[span] that holds `pos`."""
    begin = span[0]
    for m in CLAUSE_END_RE.finditer(text, span[0], pos):
        begin = m.end()
    end = CLAUSE_END_RE.search(text, pos, span[1])
    return begin, end.start() if end else span[1]


def term_of(text: str, start: int, begin: int) -> str:
    """The claim term named last before an amount in its clause (本金, 利息, 医疗费 …; 合计 for a total)."""
    before = text[max(begin, start - 24) : start]
    before = re.split(r"[，,、（(：:]", before)[-1] or before
    if before.endswith(TOTAL_WORDS) or before.rstrip("人民币为计").endswith(TOTAL_WORDS):
        return "合计"
    found = list(TERM_RE.finditer(before))
    return found[-1].group(0) if found else ""


def _is_base_or_rate(text: str, m: AmountMatch) -> bool:
    """An interest base (以50000元为基数), a rate per unit (100元/天) or an approximate figure."""
    after = text[m.end : m.end + 4]
    before = text[max(0, m.start - 8) : m.start]
    return (
        after.startswith(("为基数", "为本金", "的基数", "余", "多", "左右", "以上", "以下", "至", "到"))
        or PER_UNIT_RE.match(text, m.end) is not None
        or before.endswith(("每", "以", "按", "自", "超过", "超出"))
        or re.search(r"每(?:天|日|月|年|人|次|平方米|吨|亩)$", before) is not None
    )


def stated(text: str, span: tuple[int, int]) -> list[Stated]:
    """Every amount in text[span] with its term and clause; interest bases and unit rates left out."""
    out = []
    for m in find_amounts(text[span[0] : span[1]]):
        shifted = AmountMatch(m.start + span[0], m.end + span[0], m.quote, m.value)
        if _is_base_or_rate(text, shifted):
            continue
        clause = _clause(text, shifted.start, span)
        out.append(Stated(shifted, term_of(text, shifted.start, clause[0]), clause))
    return out


def _same_term(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a.endswith(b) or b.endswith(a))


def awarded(text: str, orders: tuple[int, int]) -> list[Stated]:
    """The amounts the orders award between the parties (not costs, not the 迟延履行 warning)."""
    out = []
    for s in stated(text, orders):
        words = text[s.clause[0] : s.clause[1]]
        if NOT_AN_AWARD_RE.search(words) or not PAYING_RE.search(words):
            continue
        out.append(s)
    return out


def _settled(c: Collector, m: AmountMatch) -> bool:
    """True when an error already points at this amount or a part of it (a warning does not settle it,
    nor an error on the whole order line, which says less)."""
    return any(f.severity == "error" and m.start <= f.start and f.end <= m.end for f in c.findings)


def _derived(value: Decimal, values: set[Decimal]) -> bool:
    """True when `value` is one of `values` or the sum or difference of two of them."""
    if value in values:
        return True
    return any(value - v in values or v - value in values for v in values)


def check_civil_amounts(c: Collector, reasoning: tuple[int, int], orders: tuple[int, int]) -> None:
    """Each amount an order awards must be what 本院认为 upheld for the same thing (see the module)."""
    said = stated(c.text, reasoning)
    values = {s.value for s in said}
    award = awarded(c.text, orders)
    for s in award:
        if not s.term or _settled(c, s.amount) or _derived(s.value, values):
            continue
        same = [r for r in said if _same_term(r.term, s.term)]
        upheld = [r for r in same if UPHELD_RE.search(c.text, *r.clause) and not _rejects(c.text, r.clause)]
        if not upheld:
            continue
        figures = {r.value for r in upheld}
        others = [a for a in award if a is not s and _same_term(a.term, s.term)]
        certain = len(figures) == 1 and len({r.value for r in same}) == 1 and not others
        severity: Severity = "error" if certain and s.term not in BROAD_TERMS else "warning"
        source = upheld[0]
        c.add(
            "consistency",
            s.amount.start,
            s.amount.end,
            f"判决主文判给的{s.term}{s.amount.quote}与本院认为部分支持的金额"
            f"{'、'.join(yuan_text(v) for v in sorted(figures))}不一致",
            "本院认为：" + c.text[source.clause[0] : source.clause[1]][:160],
            severity,
        )


def _rejects(text: str, clause: tuple[int, int]) -> bool:
    return REJECTED_RE.search(text, *clause) is not None


@dataclass(frozen=True)
class Rejected:
    """A claim 本院认为 rejects outright: its term and qualifier, the parties the request names, the
    sentence, and whether the rejection is beyond doubt."""

    term: str
    qualifier: str
    names: frozenset[str]
    sentence: tuple[int, int]
    certain: bool


def qualifier(text: str, start: int) -> str:
    """The two characters that qualify a term (逾期交楼违约金 → 交楼), or '' when a verb or a function
    word precedes it (支付违约金, 原告的违约金): a qualified claim is another claim than the bare term."""
    before = text[max(0, start - 3) : start].rstrip("的")[-2:]
    if len(before) < 2 or before[-1] in UNQUALIFIED or not all("\u4e00" <= ch <= "\u9fff" for ch in before):
        return ""
    return before


def named_parties(words: str) -> frozenset[str]:
    """The parties a request names (被告史萍 → 史萍); a bare 被告/原告 names nobody in particular."""
    out = set()
    for m in PARTY_RE.finditer(words):
        name = NAME_END_RE.split(m.group(1))[0]
        if len(name) >= 2:
            out.add(name)
    return frozenset(out)


def rejected_claims(text: str, reasoning: tuple[int, int]) -> list[Rejected]:
    """The claims 本院认为 rejects as a whole (不予支持), not a party's argument nor the excess of a claim:
    what the last request (要求/请求/主张) before the rejection in its sentence asks for."""
    out: list[Rejected] = []
    begin = reasoning[0]
    for m in re.finditer("。|$", text[reasoning[0] : reasoning[1]]):
        sentence = (begin, reasoning[0] + m.start())
        words = text[sentence[0] : sentence[1]]
        begin = reasoning[0] + m.end()
        hit = REJECTED_RE.search(words)
        if hit is None or PARTIAL_RE.search(words) or ARGUMENT_RE.search(words):
            continue
        asked = list(REQUEST_RE.finditer(words, 0, hit.start()))
        if not asked:
            continue
        # The claim is what the last request naming one asks for (…要求被告支付违约金的诉讼请求).
        at, request, terms = 0, "", []
        for verb in reversed(asked):
            at, request = verb.end(), words[verb.end() : hit.start()]
            terms = [t for t in TERM_RE.finditer(request) if t.group(0) != "合计"]
            if terms:
                break
        if not terms or UPHELD_RE.search(request):
            continue
        term = terms[-1]
        follows = request[term.end() : term.end() + 1]
        if follows and follows not in "的，,、及和等请诉共计为" and "\u4e00" <= follows <= "\u9fff":
            continue  # 租金损失 is another claim than 租金
        names = named_parties(request)
        certain = "原告" in words[: hit.start()] and not find_amounts(request) and len(terms) == 1
        qual = qualifier(text, sentence[0] + at + term.start())
        out.append(Rejected(term.group(0), qual, names, sentence, certain and not names))
    return out


def _between_verb_and_term(text: str, s: Stated) -> str:
    """The words of an order between its verb and the awarded term (原告李某 in 支付原告李某违约金)."""
    at = text.rfind(s.term, s.clause[0], s.amount.start)
    if at < 0:
        return "？"
    verbs = list(PAYING_RE.finditer(text, s.clause[0], at))
    return text[verbs[-1].end() : at] if verbs else "？"


def check_rejected_claims(c: Collector, reasoning: tuple[int, int], orders: tuple[int, int]) -> None:
    """No order awards a claim 本院认为 rejected outright (the same term, qualified alike, against a
    party the rejected request named, if it named one)."""
    rejected = rejected_claims(c.text, reasoning)
    if not rejected:
        return
    for s in awarded(c.text, orders):
        clause = c.text[s.clause[0] : s.clause[1]]
        between = _between_verb_and_term(c.text, s)
        hit = next(
            (
                r
                for r in rejected
                if r.term == s.term
                and (r.qualifier in between if r.qualifier else UNQUALIFIED_ORDER_RE.fullmatch(between))
                and (not r.names or any(n in clause for n in r.names))
            ),
            None,
        )
        if hit is None or _settled(c, s.amount):
            continue
        c.add(
            "decision",
            s.amount.start,
            s.amount.end,
            f"判决主文判给{s.term}{s.amount.quote}，而本院认为部分对该项请求不予支持",
            "本院认为：" + c.text[hit.sentence[0] : hit.sentence[1]][:160],
            "error" if hit.certain else "warning",
        )


def check_civil_reasoning_against_orders(
    c: Collector, reasoning: tuple[int, int] | None, orders: tuple[int, int] | None
) -> None:
    """The amount and rejected-claim checks between 本院认为 and 判决主文 of a civil judgment."""
    if reasoning is None or orders is None:
        return
    check_civil_amounts(c, reasoning, orders)
    check_rejected_claims(c, reasoning, orders)


def _order_target(text: str, orders: tuple[int, int], term: str) -> tuple[int, int]:
    """Where the orders award `term` (the amount), else the whole of the orders."""
    for s in awarded(text, orders):
        if _same_term(s.term, term):
            return s.amount.start, s.amount.end
    return orders


def check_syllogism_awards(
    c: Collector, state: CaseState, orders: tuple[int, int], upheld: list[Syllogism]
) -> None:
    """Flow drafts: every amount of an upheld syllogism's order, and its award, is written in 判决主文."""
    written = {m.value for m in find_amounts(c.text[orders[0] : orders[1]])}
    by_term = awarded(c.text, orders)
    for s in upheld:
        order = s.conclusion.order
        expected = [(m.value, term_of(order, m.start, 0), m.quote) for m in find_amounts(order)]
        if s.conclusion.award.strip():
            try:
                value = Decimal(s.conclusion.award.strip())
            except ArithmeticError:
                value = None
            if value is not None and all(v != value for v, _, _ in expected):
                expected.append((value, "", yuan_text(value)))
        for value, term, quote in expected:
            same = [a.value for a in by_term if _same_term(a.term, term)]
            if (value in same) if same else (value in written):
                continue
            start, end = _order_target(c.text, orders, term)
            if any(f.start == start and f.end == end and f.evidence.startswith(s.id) for f in c.findings):
                continue
            c.add(
                "decision",
                start,
                end,
                f"判决主文未写明法官确认的{term or '判项'}金额{quote}",
                f"{s.id}：{order or s.conclusion.text}",
            )
