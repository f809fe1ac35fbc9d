"""JuDGE's measures read from criminal judgment texts: charges, articles, prison term, fine, and the scores.

Definitions (../shared/bench/README.md, after JuDGE):

- charges: the names (…罪) in the 判决主文 — after 判决如下, up to the appeal notice (如不服本判决) —
  kept as written after 犯 ("贩卖、运输毒品罪" stays whole);
- articles: Criminal Law article numbers cited in the part before 判决如下 (本院认为 … 依照 …), 之一
  counted as the base number; other laws (刑事诉讼法, judicial interpretations) and the appended
  附：相关法律条文 section are ignored;
- prison term: total months of the principal sentence, 无期徒刑 = 240; a death sentence has no
  months and makes the reading None ("handled separately"). With several defendants the total is the
  sum of each defendant's sentence to be served (决定执行 where there are several charges), which is
  the README's "total months" read literally; a suspended sentence counts its term, not its probation;
- fine: the total of the fines to be paid, summed the same way.

`score(pairs)` averages per case: precision and recall of the sets (F1 from the two averages), and
`1 − |a−b| / max(a,b)` for prison and fine over the cases where either side has a value.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from judgeflow.knowledge_graph.article_numbers import parse_numeral
from judgeflow.tools.amounts import find_amounts
from judgeflow.tools.sentencing import parse_term_months

_MAIN_START = re.compile(r"判决如下|裁定如下")
_MAIN_END = re.compile(r"如不服本判决|如不服本裁定|审判长|审判员|附[：:]")
_CHARGE_RE = re.compile(r"犯([^，,。；;：:（）()\s“”]{2,30}?罪)(?=[，,。；;（(\s]|$)")
_CRIMINAL_LAW_RE = re.compile(r"《(?:中华人民共和国)?刑法》")
_OTHER_LAW_RE = re.compile(r"《[^》]*》")
_ARTICLE_RE = re.compile(r"第([0-9零〇一二两三四五六七八九十百千]+)条")
_TERM = r"((?:[0-9一二两三四五六七八九十]+年)?零?(?:[0-9一二两三四五六七八九十]+个月)?)"
_PENALTY_RE = re.compile(rf"(有期徒刑|拘役|管制){_TERM}|(无期徒刑)|(死刑)")
_DEFENDANT_SPLIT = re.compile(r"(?=被告人[^，,。；;]{1,8}?犯)")
LIFE_MONTHS = 240


def main_text(document: str) -> str:
    """The 判决主文: after 判决如下, up to the appeal notice (empty if there is no 判决如下)."""
    m = _MAIN_START.search(document)
    if m is None:
        return ""
    rest = document[m.end() :]
    end = _MAIN_END.search(rest)
    return rest[: end.start()] if end else rest


def reasoning_text(document: str) -> str:
    """The part before 判决如下, without anything after it (the appended articles come after)."""
    m = _MAIN_START.search(document)
    return document[: m.start()] if m else document


def charges_in_judgment(document: str) -> set[str]:
    """Charge names (…罪) in the 判决主文, as written after 犯."""
    return {m.group(1) for m in _CHARGE_RE.finditer(main_text(document))}


def criminal_law_articles(document: str) -> set[int]:
    """Criminal Law article numbers cited before 判决如下; other laws' articles are left out."""
    text = reasoning_text(document)
    out: set[int] = set()
    for m in _CRIMINAL_LAW_RE.finditer(text):
        tail = text[m.end() :]
        other = _OTHER_LAW_RE.search(tail)
        stop = re.search(r"之规定|的规定|规定，|判决如下", tail)
        limits = [x.start() for x in (other, stop) if x is not None]
        cited = tail[: min(limits)] if limits else tail[:300]
        for a in _ARTICLE_RE.finditer(cited):
            n = parse_numeral(a.group(1))
            if n is not None and 0 < n <= 452:
                out.add(n)
    return out


def _blocks(main: str) -> list[str]:
    parts = [p for p in _DEFENDANT_SPLIT.split(main) if "犯" in p and ("判处" in p or "免予" in p)]
    return parts or [main]


def _block_months(block: str) -> float | None:
    text = block.split("决定执行", 1)[1] if "决定执行" in block else block
    for m in _PENALTY_RE.finditer(text):
        if m.group(4):
            return None
        if m.group(3):
            return float(LIFE_MONTHS)
        months = parse_term_months(m.group(2) or "")
        if months:
            return float(months)
    return 0.0 if "免予刑事处罚" in block else None


def prison_months(document: str) -> float | None:
    """Total months of the principal sentences to be served, summed over defendants (see module doc)."""
    main = main_text(document)
    if not main:
        return None
    total: float | None = None
    for block in _blocks(main):
        if "死刑" in block and "死刑缓期" not in block and "缓期二年" not in block:
            return None
        months = _block_months(block)
        if months is not None:
            total = (total or 0.0) + months
    return total


def _block_fine(block: str) -> Decimal | None:
    text = block.split("决定执行", 1)[1] if "决定执行" in block else block
    fines: list[Decimal] = []
    for m in re.finditer(r"罚金", text):
        window = text[m.end() : m.end() + 20]
        found = find_amounts(window)
        if found and found[0].start <= 3:
            fines.append(found[0].value)
    return sum(fines, Decimal(0)) if fines else None


def fine_yuan(document: str) -> float | None:
    """Total of the fines imposed, summed over defendants (决定执行 where there are several charges)."""
    main = main_text(document)
    values = [f for f in (_block_fine(b) for b in _blocks(main)) if f is not None]
    return float(sum(values, Decimal(0))) if values else None


@dataclass(frozen=True)
class JudgmentReading:
    """What JuDGE compares in one judgment; None where the judgment has no such value."""

    charges: frozenset[str] = frozenset()
    articles: frozenset[int] = frozenset()
    prison: float | None = None
    fine: float | None = None


def read_judgment(document: str) -> JudgmentReading:
    """All four measures of one judgment text."""
    return JudgmentReading(
        frozenset(charges_in_judgment(document)),
        frozenset(criminal_law_articles(document)),
        prison_months(document),
        fine_yuan(document),
    )


def closeness(a: float | None, b: float | None) -> float | None:
    """1 − |a−b| / max(a,b); a missing side counts as 0; None when neither side has a value."""
    if a is None and b is None:
        return None
    x, y = a or 0.0, b or 0.0
    if max(x, y) == 0:
        return 1.0
    return 1 - abs(x - y) / max(x, y)


@dataclass
class Scores:
    """Averages over the cases scored, and how many were scored for each measure."""

    charge_precision: float = 0.0
    charge_recall: float = 0.0
    charge_f1: float = 0.0
    article_precision: float = 0.0
    article_recall: float = 0.0
    article_f1: float = 0.0
    prison: float = 0.0
    fine: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def _pr(pred: frozenset[object], gold: frozenset[object]) -> tuple[float, float]:
    hit = len(pred & gold)
    return (hit / len(pred) if pred else 0.0), hit / len(gold)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: Sequence[tuple[JudgmentReading, JudgmentReading]]) -> Scores:
    """Scores of (generated, gold) readings, averaged per case as JuDGE does."""
    cp: list[float] = []
    cr: list[float] = []
    ap: list[float] = []
    ar: list[float] = []
    prison: list[float] = []
    fine: list[float] = []
    for gen, gold in pairs:
        if gold.charges:
            p, r = _pr(frozenset(gen.charges), frozenset(gold.charges))
            cp.append(p)
            cr.append(r)
        if gold.articles:
            p, r = _pr(frozenset(gen.articles), frozenset(gold.articles))
            ap.append(p)
            ar.append(r)
        c = closeness(gen.prison, gold.prison)
        if c is not None:
            prison.append(c)
        c = closeness(gen.fine, gold.fine)
        if c is not None:
            fine.append(c)

    def mean(xs: list[float]) -> float:
        return statistics.fmean(xs) if xs else 0.0

    return Scores(
        charge_precision=mean(cp),
        charge_recall=mean(cr),
        charge_f1=_f1(mean(cp), mean(cr)),
        article_precision=mean(ap),
        article_recall=mean(ar),
        article_f1=_f1(mean(ap), mean(ar)),
        prison=mean(prison),
        fine=mean(fine),
        counts={"charges": len(cp), "articles": len(ap), "prison": len(prison), "fine": len(fine)},
    )
