"""What a fact statement says about charges, circumstances and causes, read with the curated cues.

Pure text → signals, no graph. Prior convictions (曾因犯盗窃罪被判处…) are set apart so that an
earlier charge does not pass for the present one, but they still count as a record for 累犯 and
毒品再犯; charge names said of other people (付某涉嫌贩卖毒品罪) count as strong cues, not as names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from judgeflow.knowledge_graph.curated import model
from judgeflow.knowledge_graph.curated.cues import CueMatch, CueSpec, match_cues, specs

_PRIOR_RE = re.compile(r"[^。；;\n]*(?:曾因|曾于|曾犯|曾经因|前科|刑满释放|假释期满)[^。；;\n]*")
_DEFENDANT_RE = re.compile(r"被告人([\u4e00-\u9fff]{1,2}[某\u4e00-\u9fff]?[甲乙丙丁戊0-9一二三四]?)")
_SEVERAL_RE = re.compile(
    r"(二|两|三|四|五|六|七|八|九|十|多|上述|各)名?被告人|被告人[\u4e00-\u9fff]{1,4}[、和与及]被告人"
)
_OTHERS_CHARGE_RE = re.compile(r"涉嫌")


@dataclass(frozen=True)
class CaseSignals:
    """Cue matches of charges, circumstances and causes in one text, and what was set apart."""

    charges: dict[str, CueMatch] = field(default_factory=dict)
    circumstances: dict[str, CueMatch] = field(default_factory=dict)
    causes: dict[str, CueMatch] = field(default_factory=dict)
    prior_record: tuple[str, ...] = ()
    defendants: int = 0

    def ranked_charges(self) -> list[CueMatch]:
        """Charge matches, best first."""
        return sorted(self.charges.values(), key=lambda m: (-m.score, m.first))


@lru_cache(maxsize=1)
def _charge_specs() -> tuple[CueSpec, ...]:
    out: list[CueSpec] = []
    for ch in model.charges():
        out += specs(ch.name, ch.names, ch.strong, ch.cues)
    return tuple(out)


@lru_cache(maxsize=1)
def _circumstance_specs() -> tuple[CueSpec, ...]:
    out: list[CueSpec] = []
    for ci in model.circumstances():
        out += specs(ci.name, (), ci.strong, ci.cues)
    return tuple(out)


@lru_cache(maxsize=1)
def _cause_specs() -> tuple[CueSpec, ...]:
    out: list[CueSpec] = []
    for ca in model.causes():
        out += specs(ca.name, (ca.name, *ca.aliases), ca.strong, ca.cues)
    return tuple(out)


def split_prior_record(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with prior-conviction clauses blanked out, and those clauses."""
    spans = [(m.start(), m.end()) for m in _PRIOR_RE.finditer(text) if m.group().strip()]
    if not spans:
        return text, ()
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars), tuple(text[s:e] for s, e in spans)


def count_defendants(text: str) -> int:
    """How many defendants the facts name (2 where they say 二被告人 and the like)."""
    names = {
        m.group(1)[:2] if m.group(1)[-1] not in "甲乙丙丁戊0123456789一二三四" else m.group(1)
        for m in _DEFENDANT_RE.finditer(text)
    }
    several = 2 if _SEVERAL_RE.search(text) else 0
    return max(len(names), several)


def _demote_others(text: str, matches: dict[str, CueMatch]) -> None:
    # A charge named right after 涉嫌 with no 被告人 in the clause is said of someone else.
    for m in matches.values():
        for word, strength in list(m.terms.items()):
            if strength != "named":
                continue
            start = text.find(word)
            clause_start = max(text.rfind("。", 0, start), text.rfind("，", 0, start)) + 1
            clause = text[clause_start:start]
            if _OTHERS_CHARGE_RE.search(clause) and "被告人" not in clause:
                m.terms[word] = "strong"


def read_signals(text: str) -> CaseSignals:
    """Charges, circumstances and causes the text points to."""
    present, prior = split_prior_record(text)
    charges = match_cues(present, _charge_specs())
    _demote_others(present, charges)
    circumstances = match_cues(text, _circumstance_specs())
    causes = match_cues(text, _cause_specs())
    return CaseSignals(charges, circumstances, causes, prior, count_defendants(text))


def prior_charges(signals: CaseSignals) -> dict[str, CueMatch]:
    """Charges named in the prior record (for 累犯 and 毒品再犯)."""
    return match_cues(" ".join(signals.prior_record), _charge_specs())
