"""Which charges (罪名) a statement of facts brings before the court, named as a judgment names them.

Two sources, in order: the charge the prosecution names (指控被告人某某犯盗窃罪), and otherwise the
charges the curated cue layer reads from the facts (knowledge_graph.case_signals), kept when the
confidence is high enough or a second charge has its own strong evidence. A selective charge
(走私、贩卖、运输、制造毒品罪) is named by the conduct the facts show (贩卖毒品罪), using the curated
`concrete` forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from judgeflow.agents.criminal.facts import defence_claim, read_criminal_facts
from judgeflow.knowledge_graph.case_signals import read_signals, split_prior_record
from judgeflow.knowledge_graph.curated import model
from judgeflow.knowledge_graph.statute_scoring import charge_confidences

# A second charge is kept only with this much confidence (the first is always kept).
SECOND_CHARGE_CONFIDENCE = 0.9
_MORE_RE = re.compile(r"(?:、|和|及|以及)([\u4e00-\u9fff]{2,20}?罪)")
_NAMED_RE = re.compile(r"(?:指控|以|涉嫌|构成|犯)[^。；]{0,30}?犯?([\u4e00-\u9fff、（）]{2,30}?罪)")


@dataclass(frozen=True)
class ChargeReading:
    """One charge the facts point to."""

    name: str  # as the judgment names it (a concrete form of a selective charge)
    canonical: str  # the curated charge's full name
    articles: tuple[str, ...]  # defining article numbers, e.g. ("264",) or ("133之一",)
    confidence: float
    basis: str  # 指控 (named by the prosecution) or 事实 (read from the facts)
    start: int  # where the evidence is in the text (-1 when spread over it)
    end: int


@lru_cache(maxsize=1)
def _by_name() -> dict[str, model.Charge]:
    out: dict[str, model.Charge] = {}
    for charge in model.charges():
        for name in charge.names:
            out.setdefault(name, charge)
    return out


def known_charge(name: str) -> model.Charge | None:
    """The curated charge a name (full or short form) refers to, if any."""
    return _by_name().get(name)


def concrete_name(charge: model.Charge, text: str) -> str:
    """The form of a selective charge that the conduct in `text` supports; else its full name."""
    present, _ = split_prior_record(text)
    for form in charge.concrete:
        if all(re.search(pattern, present) for pattern in form.all):
            return form.name
    return charge.name


def _articles(charge: model.Charge) -> tuple[str, ...]:
    return tuple(link.article for link in charge.defined_by)


def _charge_name_in(words: str) -> str:
    """The charge name that ends `words` ("应以开设赌场罪" → 开设赌场罪): its longest known tail, else `words`."""
    for start in range(len(words) - 2):
        if known_charge(words[start:]) is not None:
            return words[start:]
    return words


def named_charges(text: str) -> list[ChargeReading]:
    """Charges the prosecution names in the text (指控…犯盗窃罪), present conduct only."""
    present, _ = split_prior_record(text)
    found: dict[str, ChargeReading] = {}
    for m in _NAMED_RE.finditer(present):
        # The defence's view of the charge (…持异议，提出其应构成赌博罪) is not the charge before the court.
        if defence_claim(present, m.start(1)):
            continue
        names = [(m.group(1).lstrip("、"), m.group(0))]
        # 犯盗窃罪、诈骗罪: the charges listed after the first one.
        rest = present[m.end() :]
        while (more := _MORE_RE.match(rest)) is not None:
            names.append((more.group(1), m.group(0) + rest[: more.end()]))
            rest = rest[more.end() :]
        for raw, evidence in names:
            name = _charge_name_in(raw)
            charge = known_charge(name)
            if charge is None or charge.name in found:
                continue
            shown = name if name != charge.name else concrete_name(charge, text)
            start = text.find(evidence)
            found[charge.name] = ChargeReading(
                shown,
                charge.name,
                _articles(charge),
                1.0,
                "指控",
                start,
                start + len(evidence) if start >= 0 else -1,
            )
    return list(found.values())


# Charges committed by an organisation: the natural person's charge and the unit's (刑法第三十条).
_UNIT_FORMS = {"行贿罪": "单位行贿罪", "受贿罪": "单位受贿罪"}
_UNIT_RE = re.compile(r"被告单位|为(?:谋取)?本单位")
DRUNK_MG_PER_100ML = 80
_CASUALTY_RE = re.compile(r"死亡|身亡|重伤")


def _settled(reading: ChargeReading, text: str) -> ChargeReading:
    """A charge read from cues, checked against what the facts must show for it.

    - An organisation's bribery (被告单位, 为本单位谋取) is 单位行贿罪 / 单位受贿罪.
    - 交通肇事罪 needs a death or a serious injury (刑法第一百三十三条 and the 2000 interpretation);
      a crash without one by a driver over 80 mg/100 ml is 醉酒 危险驾驶罪 (第一百三十三条之一).
      Deaths, injuries and blood alcohol are the facts reader's (`facts.read_criminal_facts`).
    """
    present, _ = split_prior_record(text)
    target = None
    if reading.canonical in _UNIT_FORMS and _UNIT_RE.search(present):
        target = known_charge(_UNIT_FORMS[reading.canonical])
    if reading.canonical == "交通肇事罪":
        facts = read_criminal_facts(present)
        # Any word of a death or serious injury keeps the charge, read as a count or not (身亡).
        serious = (
            facts.deaths()
            or any(grade.startswith("重伤") for grade in facts.injuries())
            or _CASUALTY_RE.search(present)
        )
        bac = facts.bac()
        if not serious and bac is not None and bac >= DRUNK_MG_PER_100ML:
            target = known_charge("危险驾驶罪")
    if target is None:
        return reading
    return ChargeReading(
        target.name,
        target.name,
        _articles(target),
        reading.confidence,
        reading.basis,
        reading.start,
        reading.end,
    )


def read_charges(text: str, second_threshold: float = SECOND_CHARGE_CONFIDENCE) -> list[ChargeReading]:
    """The charges to put before the judge, best first (empty when the text points to none).

    A charge the prosecution names stands as named; one read from cues is checked by `_settled`.
    """
    named = named_charges(text)
    if named:
        return named
    confidences = charge_confidences(read_signals(text))
    out: list[ChargeReading] = []
    for rank, (name, confidence) in enumerate(confidences.items()):
        if rank and confidence < second_threshold:
            continue
        charge = known_charge(name)
        if charge is None:
            continue
        reading = ChargeReading(
            concrete_name(charge, text), charge.name, _articles(charge), confidence, "事实", -1, -1
        )
        reading = _settled(reading, text)
        if all(r.canonical != reading.canonical for r in out):
            out.append(reading)
    return out
