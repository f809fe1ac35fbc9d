"""Cross references inside statute text: 本法第X条, 第X条第Y款, 前款, 前条, 《X法》第N条, 第X条至第Y条.

Pure text, no graph: `parse_references` returns what an article's text cites; the importer
resolves the law names and numbers to article ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from judgeflow.knowledge_graph.article_numbers import parse_numeral

SAME_LAW = "same_law"
OTHER_LAW = "other_law"
PREVIOUS_PARAGRAPH = "previous_paragraph"

_NUM = r"[0-9零〇一二两三四五六七八九十百千]+"
_PART = rf"(?:第{_NUM}款)?(?:第?[（(]?{_NUM}[)）]?项)?"
_ARTICLE_RE = re.compile(rf"第({_NUM})条(之[一二三四五六七八九十]+)?{_PART}")
_PREVIOUS_RE = re.compile(r"(?<![目当提])前([两二三四五六七八九])?(款|条)(?![件例])")
_BRACKET_NAME_RE = re.compile(r"《([^《》]{1,80})》$")
_CONNECTORS = ("、", "，", "和", "或者", "或", "及", "以及", "与")
_RANGE = ("至", "到")
MAX_RANGE = 60


@dataclass(frozen=True)
class Reference:
    """One cited article: `law` is None for the citing law itself; `relative` is set for 前款/前条."""

    kind: str
    number: int
    suffix: str = ""
    law: str | None = None
    quote: str = ""
    relative: int | None = None  # 0 = this article (前款), -1 = the article before it (前条), …


def _inside_brackets(text: str, pos: int) -> bool:
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def _prefix(text: str, start: int, names: list[str]) -> tuple[str, str | None] | None:
    """(the written prefix, law name or None for 本法) ending at `start`, or None if bare."""
    head = text[:start]
    if head.endswith("本法"):
        return "本法", None
    m = _BRACKET_NAME_RE.search(head)
    if m:
        return m.group(0), m.group(1)
    for name in names:
        if head.endswith(name):
            return name, name
    return None


def parse_references(
    text: str, law_names: Iterable[str] = (), bare_is_same_law: bool = True
) -> list[Reference]:
    """The references in an article's text, in order (duplicates kept; the importer dedupes).

    `law_names` are names that may cite another law without 《》 (e.g. 刑法第N条); a bare
    第N条 counts as the same law only if `bare_is_same_law` (off for amending decisions, whose
    quoted text numbers articles of other acts).
    """
    names = sorted(set(law_names), key=len, reverse=True)
    refs: list[Reference] = []
    for m in _PREVIOUS_RE.finditer(text):
        count = int(parse_numeral(m.group(1)) or 1) if m.group(1) else 1
        if m.group(2) == "款":
            refs.append(Reference(PREVIOUS_PARAGRAPH, 0, quote=m.group(0), relative=0))
        else:
            refs.extend(Reference(SAME_LAW, 0, quote=m.group(0), relative=-i) for i in range(1, count + 1))
    prev_start, prev_end, prev_law, prev_number, prev_ok = 0, -1, None, 0, False
    for m in _ARTICLE_RE.finditer(text):
        if _inside_brackets(text, m.start()):
            continue
        number = parse_numeral(m.group(1))
        if number is None:
            continue
        suffix = m.group(2) or ""
        gap = text[prev_end : m.start()] if prev_end >= 0 else None
        law: str | None
        if gap is not None and prev_ok and gap in _RANGE:
            law, quote = prev_law, text[prev_start : m.end()]
            if 0 < number - prev_number <= MAX_RANGE:
                kind = SAME_LAW if law is None else OTHER_LAW
                refs.extend(Reference(kind, n, law=law, quote=quote) for n in range(prev_number + 1, number))
        elif gap is not None and prev_ok and gap in _CONNECTORS:
            law, quote = prev_law, m.group(0)
        else:
            found = _prefix(text, m.start(), names)
            if found is None and not bare_is_same_law:
                prev_end, prev_ok = m.end(), False
                continue
            written, law = found if found is not None else ("", None)
            quote = written + m.group(0)
        refs.append(Reference(SAME_LAW if law is None else OTHER_LAW, number, suffix, law, quote))
        prev_start, prev_end, prev_law, prev_number, prev_ok = m.start(), m.end(), law, number, True
    return refs
