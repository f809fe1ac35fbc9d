"""Find a curated entry's cue words in a text (facts, a question), longest match first.

A cue inside a longer cue of another entry does not count for its own entry (诈骗 inside 信用卡诈骗
counts for 信用卡诈骗罪 only), and a cue right after a negation (未如实供述, 不认罪) does not count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Strength = Literal["named", "strong", "cue"]

WEIGHTS: dict[Strength, float] = {"named": 6.0, "strong": 3.0, "cue": 1.0}
_NEGATIONS = ("未", "不", "拒", "没有", "否认", "无")
# Negation words that begin cues of their own ("未遂", "未成年", "不满十八周岁") are part of the cue.


@dataclass(frozen=True)
class CueSpec:
    """One cue word of one entry."""

    entry: str
    word: str
    strength: Strength


@dataclass
class CueMatch:
    """The cues of one entry found in a text, with a score."""

    entry: str
    terms: dict[str, Strength] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    first: int = 10**9

    @property
    def score(self) -> float:
        """Sum of cue weights, each distinct cue once, repeats adding a little."""
        return sum(WEIGHTS[s] * (1 + 0.25 * math.log(self.counts[w])) for w, s in self.terms.items())

    @property
    def named(self) -> bool:
        """Whether the entry's own name occurs in the text."""
        return "named" in self.terms.values()

    def strongest(self) -> Strength:
        """The strongest kind of cue that matched."""
        values = set(self.terms.values())
        return "named" if "named" in values else ("strong" if "strong" in values else "cue")


def specs(entry: str, named: Iterable[str], strong: Iterable[str], cues: Iterable[str]) -> list[CueSpec]:
    """The cue specs of one entry."""
    out = [CueSpec(entry, w, "named") for w in named]
    out += [CueSpec(entry, w, "strong") for w in strong]
    out += [CueSpec(entry, w, "cue") for w in cues]
    return [s for s in out if s.word]


def _negated(text: str, start: int, word: str) -> bool:
    if word.startswith(_NEGATIONS):
        return False
    before = text[max(0, start - 2) : start]
    return any(before.endswith(n) for n in _NEGATIONS)


def match_cues(text: str, all_specs: Iterable[CueSpec]) -> dict[str, CueMatch]:
    """Cue matches per entry in `text`."""
    hits: list[tuple[int, int, CueSpec]] = []
    for spec in all_specs:
        start = text.find(spec.word)
        while start >= 0:
            if not _negated(text, start, spec.word):
                hits.append((start, start + len(spec.word), spec))
            start = text.find(spec.word, start + 1)
    # Longest first: a hit inside a longer hit of another entry is dropped.
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    kept: list[tuple[int, int, CueSpec]] = []
    for s, e, spec in hits:
        if any(
            ks <= s and e <= ke and (ke - ks) > (e - s) and kspec.entry != spec.entry
            for ks, ke, kspec in kept
        ):
            continue
        kept.append((s, e, spec))
    out: dict[str, CueMatch] = {}
    for s, _e, spec in kept:
        m = out.setdefault(spec.entry, CueMatch(spec.entry))
        old = m.terms.get(spec.word)
        if old is None or WEIGHTS[spec.strength] > WEIGHTS[old]:
            m.terms[spec.word] = spec.strength
        m.counts[spec.word] = m.counts.get(spec.word, 0) + 1
        m.first = min(m.first, s)
    return out
