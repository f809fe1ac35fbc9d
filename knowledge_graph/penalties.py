"""Statutory penalty ranges read from an article's text (处三年以下有期徒刑、拘役或者管制，并处或者单处罚金).

Pure text → tiers. Each tier is one "…的，处…" clause: the condition it applies to and the range of
principal penalties in months (有期徒刑 6–180 unless the clause says otherwise, 拘役 1–6, 管制 3–24,
per 刑法第三十八条、第四十二条、第四十五条), whether life imprisonment or death is available, and
what the clause says about fines, confiscation and deprivation of political rights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from judgeflow.knowledge_graph.article_numbers import parse_numeral

FineRule = Literal["none", "mandatory", "optional", "alternative"]

# Statutory bounds of the principal penalties (刑法第三十八条、第四十二条、第四十五条).
FIXED_TERM_MIN, FIXED_TERM_MAX = 6, 180
DETENTION_MIN, DETENTION_MAX = 1, 6
SURVEILLANCE_MIN, SURVEILLANCE_MAX = 3, 24

_CN = r"[零〇一二两三四五六七八九十百]+"
_TERM_RE = re.compile(rf"(?:({_CN})年以上)?(?:({_CN})年以下)?(?:({_CN})年)?有期徒刑")
_CLAUSE_SPLIT = re.compile(r"[；;。\n]")
_PUNISH_RE = re.compile(r"(?:^|[，,、的])\s*(?:应当|可以)?(?:分别)?处(?!罚|理|分)")


@dataclass(frozen=True)
class PenaltyTier:
    """One penalty range of an article: a condition and the punishments the clause allows."""

    condition: str
    min_months: int | None
    max_months: int | None
    life: bool = False
    death: bool = False
    fine: FineRule = "none"
    confiscation: bool = False
    deprivation: bool = False
    detention: bool = False
    surveillance: bool = False
    fixed_term: bool = False
    text: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form (for the graph and for reports)."""
        return {
            "condition": self.condition,
            "min_months": self.min_months,
            "max_months": self.max_months,
            "life": self.life,
            "death": self.death,
            "fine": self.fine,
            "confiscation": self.confiscation,
            "deprivation": self.deprivation,
            "text": self.text,
        }


def _years(text: str | None) -> int | None:
    return None if text is None else parse_numeral(text)


def _parse_sanction(condition: str, sanction: str) -> PenaltyTier | None:
    lows: list[int] = []
    highs: list[int] = []
    fixed = False
    for m in _TERM_RE.finditer(sanction):
        lo, hi, exact = _years(m.group(1)), _years(m.group(2)), _years(m.group(3))
        if exact is not None and lo is None and hi is None:
            lows.append(exact * 12)
            highs.append(exact * 12)
        else:
            lows.append(lo * 12 if lo else FIXED_TERM_MIN)
            highs.append(hi * 12 if hi else FIXED_TERM_MAX)
        fixed = True
    detention = "拘役" in sanction
    surveillance = "管制" in sanction
    if detention:
        lows.append(DETENTION_MIN)
        highs.append(DETENTION_MAX)
    if surveillance:
        lows.append(SURVEILLANCE_MIN)
        highs.append(SURVEILLANCE_MAX)
    life = "无期徒刑" in sanction
    death = "死刑" in sanction
    fine: FineRule = "none"
    if "罚金" in sanction:
        if re.search(r"并处或者单处[^，；]*罚金|单处[^，；]*罚金", sanction):
            fine = "optional"
        elif re.search(r"并处[^，；]*罚金", sanction):
            fine = "mandatory"
        else:
            fine = "alternative"
    confiscation = "没收财产" in sanction
    deprivation = "剥夺政治权利" in sanction
    if not (lows or life or death or fine != "none" or deprivation):
        return None
    return PenaltyTier(
        condition=condition.strip("，, "),
        min_months=min(lows) if lows else None,
        max_months=max(highs) if highs else None,
        life=life,
        death=death,
        fine=fine,
        confiscation=confiscation,
        deprivation=deprivation,
        detention=detention,
        surveillance=surveillance,
        fixed_term=fixed,
        text=sanction.strip(),
    )


def parse_penalties(text: str) -> tuple[PenaltyTier, ...]:
    """The penalty tiers stated in an article (or one 款) of the Criminal Law, in order."""
    tiers: list[PenaltyTier] = []
    for clause in _CLAUSE_SPLIT.split(text or ""):
        m = _PUNISH_RE.search(clause)
        if not m:
            continue
        condition, sanction = clause[: m.start() + 1], clause[m.end() :]
        tier = _parse_sanction(condition, sanction.split("：")[0])
        if tier is not None:
            tiers.append(tier)
    return tuple(tiers)


def summarize(tiers: tuple[PenaltyTier, ...]) -> dict[str, object]:
    """What an article's tiers allow as a whole: bounds, and whether fines, life, death are possible."""
    lows = [t.min_months for t in tiers if t.min_months is not None]
    highs = [t.max_months for t in tiers if t.max_months is not None]
    fines = {t.fine for t in tiers}
    return {
        "min_months": min(lows) if lows else None,
        "max_months": max(highs) if highs else None,
        "lowest_tier_max_months": tiers[0].max_months if tiers else None,
        "lowest_tier_min_months": min(lows) if lows else None,
        "life": any(t.life for t in tiers),
        "death": any(t.death for t in tiers),
        "fine": "mandatory" if fines == {"mandatory"} else ("possible" if fines - {"none"} else "none"),
        "confiscation": any(t.confiscation for t in tiers),
        "deprivation": any(t.deprivation for t in tiers),
        "detention": any(t.detention for t in tiers),
        "fixed_term": any(t.fixed_term for t in tiers),
        "surveillance": any(t.surveillance for t in tiers),
    }
