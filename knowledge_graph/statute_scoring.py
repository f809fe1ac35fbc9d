"""Rank articles for a fact statement from its signals and what the graph says about them.

Pure: the graph side (retrievers.py) fetches, for the charges, circumstances and causes a text
points to, their linked articles, the penalty text and references, plus full-text hits; this module
turns them into candidates, each with a score in [0, 1] (how likely a court cites the article) and
the reasons that produced it. Several reasons for one article combine as a noisy-or.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from judgeflow.knowledge_graph.case_signals import CaseSignals
from judgeflow.knowledge_graph.curated import model
from judgeflow.knowledge_graph.curated.cues import CueMatch
from judgeflow.knowledge_graph.penalties import PenaltyTier, summarize

ReasonKind = Literal["direct", "charge", "penalty", "circumstance", "cause", "reference", "fulltext"]

# Articles of the Criminal Law's section on drug crimes (走私、贩卖、运输、制造毒品罪).
DRUG_ARTICLES = range(347, 358)
# Offences that yield proceeds or contraband (刑法第六十四条): chapter 3 (economic order), chapter 5
# (property), 掩饰隐瞒犯罪所得, gambling, the sections on drugs, prostitution and obscene articles,
# and chapter 8 (corruption).
PROCEEDS_ARTICLES = (
    range(140, 232),
    range(263, 277),
    range(312, 313),
    range(303, 304),
    range(347, 368),
    range(382, 397),
)
PROCEEDS_P = 0.6
PROCEEDS_CUE_BONUS = 0.15
# How likely courts cite the probation articles, by what the charge's penalty allows.
PROBATION_DETENTION_ONLY = 0.55
PROBATION_LOW_TIER = 0.2
PROBATION_REACHABLE = 0.12
PROBATION_CUE_STEP = 0.08
PROBATION_CAP = 0.85
FINE_P = {"mandatory": 0.6, "possible": 0.5}
SEVERAL_DEFENDANTS_P = 0.3
SEVERAL_CHARGES_P = 0.6
REFERENCE_P = 0.3
CAUSE_STRONG_P = 0.8
CAUSE_CUE_P = 0.12
CAUSE_IN_CRIMINAL_CASE = 0.3
FULLTEXT_P = 0.06


@dataclass(frozen=True)
class ArticleRef:
    """An article as the graph holds it."""

    id: str
    law: str
    short_name: str
    number: int
    suffix: str
    label: str

    @property
    def citation(self) -> str:
        """'刑法第264条' / '刑法第133条之一'."""
        return f"{self.short_name}第{self.number}条{self.suffix}"


@dataclass(frozen=True)
class Reason:
    """Why an article was retrieved: the kind of evidence, the graph path, the matched words."""

    kind: ReasonKind
    path: str
    terms: tuple[str, ...] = ()
    weight: float = 0.0


@dataclass
class Candidate:
    """An article with its score and the reasons behind it."""

    article: ArticleRef
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Noisy-or of the reasons' weights."""
        miss = 1.0
        for r in self.reasons:
            miss *= 1.0 - r.weight
        return round(1.0 - miss, 4)


@dataclass(frozen=True)
class ChargeFacts:
    """What the graph holds for one charge: defining articles, the penalty article and its tiers."""

    name: str
    defining: tuple[tuple[ArticleRef, int | None], ...]
    penalty: ArticleRef | None = None
    tiers: tuple[PenaltyTier, ...] = ()
    references: tuple[tuple[ArticleRef, ArticleRef], ...] = ()


@dataclass(frozen=True)
class LinkedArticles:
    """The articles a circumstance or cause is linked to in the graph."""

    name: str
    articles: tuple[tuple[ArticleRef, int | None], ...]
    scales: tuple[float, ...] = ()


@dataclass(frozen=True)
class TextHit:
    """A full-text hit on the segmented article text."""

    article: ArticleRef
    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphEvidence:
    """Everything the graph returned for one text."""

    charges: dict[str, ChargeFacts] = field(default_factory=dict)
    circumstances: dict[str, LinkedArticles] = field(default_factory=dict)
    causes: dict[str, LinkedArticles] = field(default_factory=dict)
    text_hits: tuple[TextHit, ...] = ()
    direct: tuple[ArticleRef, ...] = ()


def charge_confidences(signals: CaseSignals) -> dict[str, float]:
    """How sure we are of each charge the text points to (best charge first)."""
    ranked = signals.ranked_charges()
    if not ranked:
        return {}
    top = ranked[0]
    out = {top.entry: 0.97 if top.strongest() != "cue" else 0.8}
    for m in ranked[1:8]:
        ratio = min(1.0, m.score / top.score)
        strength = m.strongest()
        p = {"named": 0.95 * ratio**0.5, "strong": 0.9 * ratio**2, "cue": 0.5 * ratio**2}[strength]
        if p >= 0.05:
            out[m.entry] = round(p, 4)
    return out


def _para(paragraph: int | None) -> str:
    return f"第{paragraph}款" if paragraph else ""


class _Board:
    """Candidates by article id."""

    def __init__(self) -> None:
        self.by_id: dict[str, Candidate] = {}

    def add(self, article: ArticleRef, reason: Reason) -> None:
        if reason.weight <= 0:
            return
        cand = self.by_id.setdefault(article.id, Candidate(article))
        cand.reasons.append(reason)


def _circumstance_p(ci: model.Circumstance, match: CueMatch | None) -> tuple[float, tuple[str, ...]]:
    if match is None:
        return 0.0, ()
    strength = match.strongest()
    p = ci.p.strong if strength != "cue" else min(0.95, ci.p.cue * (1 + 0.3 * (len(match.terms) - 1)))
    return p, tuple(match.terms)


def _probation_p(summary: dict[str, object], cue: CueMatch | None, recidivist: bool) -> float:
    max_months = summary.get("max_months")
    low = summary.get("lowest_tier_max_months")
    floor = summary.get("lowest_tier_min_months")
    if isinstance(max_months, int) and max_months <= 6:
        p = PROBATION_DETENTION_ONLY
    elif isinstance(low, int) and low <= 36:
        p = PROBATION_LOW_TIER
    elif isinstance(floor, int) and floor <= 36:
        p = PROBATION_REACHABLE
    else:
        return 0.0
    if cue is not None:
        p = max(p, 0.6) if cue.strongest() != "cue" else p + PROBATION_CUE_STEP * len(cue.terms)
    if recidivist:
        p *= 0.1  # 刑法第七十四条: no probation for recidivists
    return min(p, PROBATION_CAP)


def _trigger_p(
    ci: model.Circumstance, signals: CaseSignals, evidence: GraphEvidence, conf: dict[str, float]
) -> tuple[float, str]:
    """Probability and a path for a circumstance triggered by the case, not by words."""
    best, path = 0.0, ""
    cue = signals.circumstances.get(ci.name)
    recidivist = (m := signals.circumstances.get("累犯")) is not None and m.strongest() != "cue"
    for name, c in conf.items():
        facts = evidence.charges.get(name)
        if facts is None or not facts.tiers:
            continue
        summary = summarize(facts.tiers)
        p = 0.0
        if ci.trigger == "fine":
            p = FINE_P.get(str(summary["fine"]), 0.0)
            if cue is not None:
                p = min(0.9, p + 0.1)
        elif ci.trigger == "probation":
            p = _probation_p(summary, cue, recidivist)
        elif ci.trigger in ("fixed_term", "detention", "surveillance", "deprivation", "confiscation"):
            p = ci.p.cue if summary.get(ci.trigger) else 0.0
        if p * c > best:
            penalty = facts.penalty.citation if facts.penalty else name
            best, path = p * c, f"{name} -DEFINED_BY-> {penalty}（{ci.trigger}）"
    if ci.trigger == "several_charges":
        sure = sorted((c for c in conf.values() if c >= 0.5), reverse=True)
        if len(sure) >= 2:
            best, path = SEVERAL_CHARGES_P * sure[1], "+".join(n for n, c in conf.items() if c >= 0.5)
    elif ci.trigger == "several_defendants" and signals.defendants >= 2:
        best, path = SEVERAL_DEFENDANTS_P, f"被告人{signals.defendants}名"
    return best, path


def _charge_in(evidence: GraphEvidence, conf: dict[str, float], ranges: tuple[range, ...]) -> float:
    best = 0.0
    for name, c in conf.items():
        facts = evidence.charges.get(name)
        if facts and any(
            a.short_name == "刑法" and any(a.number in r for r in ranges) for a, _ in facts.defining
        ):
            best = max(best, c)
    return best


def score_candidates(signals: CaseSignals, evidence: GraphEvidence) -> list[Candidate]:
    """Candidates for a text, best first."""
    board = _Board()
    for art in evidence.direct:
        board.add(art, Reason("direct", f"引用 -> {art.citation}", (art.citation,), 0.99))
    conf = charge_confidences(signals)
    for name, c in conf.items():
        facts = evidence.charges.get(name)
        if facts is None:
            continue
        terms = tuple(signals.charges[name].terms)
        for art, para in facts.defining:
            board.add(art, Reason("charge", f"{name} -DEFINED_BY-> {art.citation}{_para(para)}", terms, c))
        defining_ids = {a.id for a, _ in facts.defining}
        if facts.penalty is not None and facts.penalty.id not in defining_ids:
            board.add(
                facts.penalty,
                Reason("penalty", f"{name} -PUNISHED_BY-> {facts.penalty.citation}", terms, c * 0.95),
            )
        for src, dst in facts.references:
            if dst.id in defining_ids:
                continue
            board.add(
                dst,
                Reason(
                    "reference",
                    f"{name} -DEFINED_BY-> {src.citation} -REFERS_TO-> {dst.citation}",
                    terms,
                    c * REFERENCE_P,
                ),
            )
    drug = _charge_in(evidence, conf, (DRUG_ARTICLES,))
    proceeds = _charge_in(evidence, conf, PROCEEDS_ARTICLES)
    for ci in model.circumstances():
        linked = evidence.circumstances.get(ci.name)
        if linked is None:
            continue
        p, terms = _circumstance_p(ci, signals.circumstances.get(ci.name))
        path = ""
        if ci.trigger == "drug_charge":
            p = p * drug if signals.prior_record or p >= ci.p.strong else p * drug * 0.3
            if drug and p < ci.p.base * drug:
                p, terms = ci.p.base * drug, terms or ("（毒品犯罪通例）",)
                path = "毒品犯罪"
        elif ci.trigger == "proceeds":
            strong = p >= ci.p.strong
            p = proceeds * (PROCEEDS_P + (PROCEEDS_CUE_BONUS if strong else 0.0)) + (1 - proceeds) * p * 0.6
            path = "违法所得/违禁品" if proceeds else ""
        elif ci.trigger is not None:
            tp, path = _trigger_p(ci, signals, evidence, conf)
            p = max(p, tp) if ci.trigger not in ("several_defendants",) else 1 - (1 - p) * (1 - tp)
        if conf and p < ci.p.base and ci.trigger != "drug_charge":
            p = ci.p.base
            terms = terms or ("（刑事案件通例）",)
        scales = linked.scales or (1.0,) * len(linked.articles)
        for (art, para), scale in zip(linked.articles, scales, strict=False):
            via = f"{path} -> " if path else ""
            board.add(
                art,
                Reason(
                    "circumstance",
                    f"{via}{ci.name} -GOVERNED_BY-> {art.citation}{_para(para)}",
                    terms,
                    round(p * scale, 4),
                ),
            )
    for name, linked in evidence.causes.items():
        match = signals.causes.get(name)
        if match is None:
            continue
        p = CAUSE_STRONG_P if match.strongest() != "cue" else min(0.4, CAUSE_CUE_P * len(match.terms))
        if conf and max(conf.values()) >= 0.8:
            p *= CAUSE_IN_CRIMINAL_CASE  # a criminal case: civil causes only as background
        for art, para in linked.articles:
            board.add(
                art,
                Reason("cause", f"{name} -GOVERNED_BY-> {art.citation}{_para(para)}", tuple(match.terms), p),
            )
    if evidence.text_hits:
        top = max(h.score for h in evidence.text_hits) or 1.0
        for hit in evidence.text_hits:
            board.add(
                hit.article,
                Reason(
                    "fulltext",
                    f"全文检索 -> {hit.article.citation}",
                    hit.terms,
                    round(FULLTEXT_P * hit.score / top, 4),
                ),
            )
    return sorted(
        board.by_id.values(), key=lambda c: (-c.score, c.article.law, c.article.number, c.article.suffix)
    )
