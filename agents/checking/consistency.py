"""Consistency between the court's reasoning (本院认为) and its orders (判决主文) in criminal judgments.

- the charge: what 本院认为 says each defendant's conduct constitutes (构成X罪) must be the charge the
  orders convict of (被告人Y犯X罪);
- the sentence: a sentence 本院认为 pronounces for a defendant (刑种, term, probation, fine) must be one
  the orders pronounce for that defendant; in a flow draft, the orders must also pronounce the sentence
  the judge's syllogism concluded on (`Syllogism.sentence`), and state the term's first and last day
  (刑期自…起至…止) as computed, starting on a custody date of the ledger;
- the articles: a Criminal Law article the reasoning relies on should be among those of the 依照…之规定
  sentence (a warning: the reasoning may name an article only to say why it does not apply).

Each finding points at the offending words in the orders (or in the 依照 sentence) and quotes the
other side as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from judgeflow.agents.checking.collector import Collector, Severity
from judgeflow.agents.checking.timeline import find_ranges
from judgeflow.graph.state import CaseState, SentenceOutcome
from judgeflow.knowledge_graph.citation_text import find_citations
from judgeflow.tools.amounts import find_amounts
from judgeflow.tools.dates import cn_date, find_dates
from judgeflow.tools.sentencing import parse_term_months, term_text

_NAME = r"[\u4e00-\u9fff××＊*xX0-9]{1,8}"
_CHARGE = r"[\u4e00-\u9fff（）()]{1,24}?罪"
_TERM = (
    r"[零一二两三四五六七八九十\d]+年(?:零?[一二两三四五六七八九十\d]+个月)?|[一二两三四五六七八九十\d]+个月"
)
CONVICTED_RE = re.compile(rf"(?<!不)构成了?(?P<charges>{_CHARGE}(?:[、和及]{_CHARGE})*)")
ORDER_CHARGE_RE = re.compile(rf"被告人(?P<name>{_NAME})犯(?P<charges>{_CHARGE}(?:[、和及]{_CHARGE})*)")
SENTENCE_RE = re.compile(
    rf"(?:被告人(?P<name>{_NAME}?)(?:犯{_CHARGE}(?:[、和及]{_CHARGE})*)?[，,]?)?(?:决定执行|判处|判)"
    r"(?P<penalty>有期徒刑|拘役|管制|无期徒刑|死刑)"
    rf"(?P<term>{_TERM})?"
    rf"(?:[，,]缓刑(?P<probation>{_TERM}))?"
    r"(?:[，,]?并处罚金(?P<fine>(?:人民币)?[^，,。；;（(]{1,20}?元))?"
)
CITING_SENTENCE_RE = re.compile(r"(?:依照|依据|根据)[^。：]*?(?:之规定|的规定)[，,]?\s*(?=判决如下|裁定如下)")
ARGUED_RE = re.compile(r"辩|意见|主张|提出|认为其|不予采信|不能成立|不成立")
NOT_PRONOUNCED_RE = re.compile(r"建议|意见|曾因|曾被|前科|刑满|假释|请求|要求|辩护")
CRIMINAL_LAW = "中华人民共和国刑法"
DETENTION = ("刑事拘留", "拘留", "逮捕", "羁押", "被刑事拘留", "被逮捕", "被羁押", "指定居所监视居住")


@dataclass(frozen=True)
class Pronounced:
    """A sentence as written: whose, the parts with their spans."""

    name: str
    start: int
    end: int
    penalty: str
    months: int
    probation: int
    fine: Decimal | None
    spans: dict[str, tuple[int, int]]

    def words(self) -> str:
        """The sentence in the court's words."""
        out = self.penalty + (term_text(self.months) if self.months else "")
        out += f"，缓刑{term_text(self.probation)}" if self.probation else ""
        return out + (f"，并处罚金人民币{self.fine:f}元" if self.fine is not None else "")


def _fine(text: str | None) -> Decimal | None:
    if not text:
        return None
    found = find_amounts(text if text.endswith("元") else text + "元")
    return found[0].value.quantize(Decimal("0.01")) if found else None


def _not_the_courts(text: str, m: re.Match[str]) -> bool:
    """True for a sentence the court does not pronounce: a range (二年至三年), the prosecution's
    recommendation (量刑建议/意见), an earlier conviction (曾因…被判处)."""
    if text.startswith(("至", "以上", "以下"), m.end()):
        return True
    begin = max(text.rfind("。", 0, m.start()), text.rfind("；", 0, m.start()))
    stop = min((i for i in (text.find("。", m.end()), text.find("；", m.end())) if i >= 0), default=len(text))
    return bool(NOT_PRONOUNCED_RE.search(text[begin + 1 : stop]))


def pronounced(text: str, start: int, end: int, named_only: bool = False) -> list[Pronounced]:
    """Every sentence pronounced in text[start:end]; an unnamed one belongs to the defendant last named
    (with `named_only`, as in the reasoning, only sentences written with the defendant's name count)."""
    out: list[Pronounced] = []
    last = ""
    for m in SENTENCE_RE.finditer(text, start, end):
        if (named_only and not m.group("name")) or _not_the_courts(text, m):
            continue
        named = re.findall(rf"被告人({_NAME})", text[max(start, m.start() - 80) : m.start()])
        name = m.group("name") or (named[-1] if named else last)
        name = name.split("犯")[0] or name  # 被告人X犯A罪，判处…；犯B罪，判处… names X
        last = name
        spans = {k: m.span(k) for k in ("penalty", "term", "probation", "fine") if m.group(k)}
        out.append(
            Pronounced(
                name,
                m.start(),
                m.end(),
                m.group("penalty"),
                parse_term_months(m.group("term") or "") or 0,
                parse_term_months(m.group("probation") or "") or 0,
                _fine(m.group("fine")),
                spans,
            )
        )
    return out


def _split(names: str) -> list[str]:
    return [n for n in re.split(r"[、和及]", names) if n]


def _charges(found: str) -> list[str]:
    return [c for c in _split(found) if c not in ("犯罪", "罪")]


def _differs(a: Pronounced, b: Pronounced) -> tuple[str, str] | None:
    """The first part in which `a` differs from `b`, and what `b` says there (None when they agree)."""
    if a.penalty != b.penalty:
        return "penalty", b.penalty
    if a.months != b.months:
        return "term", term_text(b.months) if b.months else "（无）"
    if a.probation != b.probation:
        return "probation", f"缓刑{term_text(b.probation)}" if b.probation else "不适用缓刑"
    if a.fine != b.fine:
        return "fine", f"罚金人民币{b.fine:f}元" if b.fine is not None else "（无罚金）"
    return None


def _report(
    c: Collector, order: Pronounced, other: Pronounced, message: str, evidence: str, sev: Severity
) -> None:
    diff = _differs(order, other)
    if diff is None:
        return
    part, _ = diff
    start, end = order.spans.get(part, (order.start, order.end))
    if not c.covered(start, end):
        c.add("decision", start, end, message, evidence, sev)


def _last_named(segment: str, names: list[str]) -> list[str]:
    """The defendants (of `names`) named last in `segment`, all of them when named together (X、Y)."""
    at = {n: segment.rfind("被告人" + n) for n in names}
    named = [n for n in names if at[n] >= 0]
    if not named:
        return []
    last = max(named, key=lambda n: (at[n], len(n)))
    together = re.match(rf"被告人{re.escape(last)}((?:[、和及][^，。、和及]{{1,8}})*)", segment[at[last] :])
    more = _split(together.group(1)) if together else []
    return [last, *(n for n in names if n in more)]


def check_charges(c: Collector, reasoning: tuple[int, int], orders: tuple[int, int]) -> None:
    """The orders convict each defendant of the charge 本院认为 found (构成X罪)."""
    convicted = list(ORDER_CHARGE_RE.finditer(c.text, *orders))
    names = list(dict.fromkeys(m.group("name") for m in convicted))
    found: dict[str, set[str]] = {}
    for m in CONVICTED_RE.finditer(c.text, *reasoning):
        # Whose conduct: the defendants last named in the same sentence (被告人X……，其行为已构成Y罪).
        begin = max(reasoning[0], c.text.rfind("。", 0, m.start()) + 1)
        stop = c.text.find("。", m.end())
        if ARGUED_RE.search(c.text, begin, stop if stop >= 0 else reasoning[1]):
            continue  # a party's argument the court answers (辩称应构成X罪……不予采信), not its finding
        for name in _last_named(c.text[begin : m.start()], names):
            found.setdefault(name, set()).update(_charges(m.group("charges")))
    for m in convicted:
        said = found.get(m.group("name"))
        if not said:
            continue
        at = m.start("charges")
        for charge in _split(m.group("charges")):
            where = c.text.find(charge, at, m.end())
            at = where + len(charge)
            if charge not in said and not c.covered(where, where + len(charge)):
                c.add(
                    "decision",
                    where,
                    where + len(charge),
                    f"判决主文认定被告人{m.group('name')}犯{charge}，与本院认为部分所述罪名不一致",
                    f"本院认为：被告人{m.group('name')}的行为构成" + "、".join(sorted(said)),
                )


def check_sentences(c: Collector, reasoning: tuple[int, int], orders: tuple[int, int]) -> None:
    """A sentence 本院认为 pronounces must be one the orders pronounce for the same defendant."""
    ordered = pronounced(c.text, *orders)
    for said in pronounced(c.text, *reasoning, named_only=True):
        own = [o for o in ordered if o.name == said.name]
        if not own or any(_differs(o, said) is None for o in own):
            continue
        target = next((o for o in own if o.penalty == said.penalty), own[0])
        _report(
            c,
            target,
            said,
            f"判决主文对被告人{said.name}所判刑罚与本院认为部分不一致",
            f"本院认为：{c.text[said.start : said.end]}",
            "error",
        )


def check_cited_articles(c: Collector, reasoning: tuple[int, int]) -> None:
    """Criminal Law articles the reasoning relies on should be listed in its 依照…之规定 sentence."""
    citing = None
    for m in CITING_SENTENCE_RE.finditer(c.text, reasoning[0], min(len(c.text), reasoning[1] + 8)):
        citing = m
    if citing is None:
        return
    listed = {
        x.article.key for x in find_citations(c.text[citing.start() : citing.end()]) if x.law == CRIMINAL_LAW
    }
    if not listed:
        return
    body = c.text[reasoning[0] : citing.start()]
    for x in find_citations(body):
        if x.law != CRIMINAL_LAW or x.article.key in listed:
            continue
        start, end = reasoning[0] + x.start, reasoning[0] + x.end
        if not c.covered(start, end):
            c.add(
                "citation",
                start,
                end,
                f"本院认为部分援引的{x.article.label}未列入“依照……之规定”的法律依据",
                "依照：" + c.text[citing.start() : citing.end()][:200],
                "warning",
            )


def _outcome(s: SentenceOutcome) -> Pronounced:
    fine = Decimal(s.fine).quantize(Decimal("0.01")) if s.fine else None
    return Pronounced(s.defendant, 0, 0, s.penalty, s.months, s.probation_months, fine, {})


def check_against_syllogisms(c: Collector, state: CaseState, orders: tuple[int, int]) -> None:
    """Flow drafts: the orders pronounce, for each defendant, the sentence the judge's syllogism concluded
    on, and its term runs on the days computed from the custody dates of the ledger."""
    ordered = pronounced(c.text, *orders)
    for s in state.syllogisms:
        outcome = s.sentence
        if outcome is None or not s.conclusion.order or outcome.penalty not in ("有期徒刑", "拘役", "管制"):
            continue
        own = [o for o in ordered if o.name == outcome.defendant]
        expected = _outcome(outcome)
        if own and not any(_differs(o, expected) is None for o in own):
            target = next((o for o in own if o.penalty == expected.penalty), own[0])
            _report(
                c,
                target,
                expected,
                f"判决主文对被告人{outcome.defendant}所判刑罚与法官确认的量刑结论不一致",
                f"{s.id}：{expected.words()}",
                "error",
            )
        check_term_days(c, state, outcome, own, orders)


def _custody_dates(state: CaseState, name: str) -> list[date]:
    out = []
    for f in state.facts_of("custody"):
        if f.details.get("defendant") not in ("", name) or f.details.get("measure", "") not in DETENTION:
            continue
        try:
            out.append(date.fromisoformat(f.value))
        except ValueError:
            continue
    return sorted(out)


def check_term_days(
    c: Collector, state: CaseState, outcome: SentenceOutcome, own: list[Pronounced], orders: tuple[int, int]
) -> None:
    """刑期自A起至B止 after the defendant's sentence: A a custody date of the ledger, and A and B the days
    the sentencing computed (SentenceOutcome.term_start / term_end)."""
    if not own:
        return
    after = own[0].end
    nxt = [o.start for o in pronounced(c.text, after, orders[1]) if o.name != outcome.defendant]
    stop = min(nxt, default=orders[1])
    dates = [d for d in find_dates(c.text) if after <= d.start < stop]
    ranges = find_ranges(c.text, dates)
    if not ranges:
        return
    r = ranges[0]
    custody = _custody_dates(state, outcome.defendant)
    computed = [x for x in (outcome.term_start, outcome.term_end) if x]
    if outcome.term_start and r.first.value.isoformat() != outcome.term_start:
        c.add(
            "date",
            r.first.start,
            r.first.end,
            f"刑期起日{r.first.quote}与量刑计算的起算日不符",
            f"量刑计算：自{outcome.term_start}起至{outcome.term_end}止",
        )
    elif custody and r.first.value not in custody:
        c.add(
            "date",
            r.first.start,
            r.first.end,
            f"刑期起日{r.first.quote}不是台账中被告人{outcome.defendant}被羁押的日期",
            "台账中的羁押日期：" + "、".join(cn_date(d) for d in custody),
        )
    if (
        outcome.term_end
        and r.last.isoformat() != outcome.term_end
        and not c.covered(r.last_start, r.last_end)
    ):
        c.add(
            "date",
            r.last_start,
            r.last_end,
            f"刑期止日{c.text[r.last_start : r.last_end]}与量刑计算的届满日不符",
            "量刑计算：" + "至".join(computed),
        )


def check_reasoning_against_orders(
    c: Collector, reasoning: tuple[int, int] | None, orders: tuple[int, int] | None
) -> None:
    """The charge and sentence checks between 本院认为 and 判决主文, and the articles of the reasoning."""
    if reasoning is None:
        return
    check_cited_articles(c, reasoning)
    if orders is None:
        return
    check_charges(c, reasoning, orders)
    check_sentences(c, reasoning, orders)
