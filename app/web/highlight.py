"""Cut a text into runs for highlighting: each run knows which marks (facts, findings) cover it.

Spans may overlap (two facts quoting the same sentence), so the text is cut at every span
boundary and each run carries the set of keys whose spans cover it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass
class Run:
    """A stretch of text and the keys (fact ids, finding numbers) whose spans cover it."""

    text: str
    keys: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # keys whose first run this is (link targets)


def runs(text: str, spans: list[tuple[int, int, str]]) -> list[Run]:
    """The text cut at every span boundary; spans outside the text are clipped or ignored."""
    size = len(text)
    clipped = [(max(0, s), min(size, e), k) for s, e, k in spans if s < size and e > s]
    cuts = sorted({0, size, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    result: list[Run] = []
    anchored: set[str] = set()
    for start, end in itertools.pairwise(cuts):
        keys = sorted({k for s, e, k in clipped if s <= start and end <= e})
        anchors = [k for k in keys if k not in anchored]
        anchored.update(anchors)
        result.append(Run(text[start:end], keys, anchors))
    return result
