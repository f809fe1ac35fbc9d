"""The 款 (paragraphs) and 项 (items) of an article's text.

The statute database keeps an article as lines: each line is a paragraph (款), except lines that
open with an enumerator such as （一）, which are items (项) of the paragraph above them. Lines that
are headings left in the text by the source (第二编 分则, 附则) are not paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ITEM_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]")
_HEADING_RE = re.compile(r"^\s*(第[一二三四五六七八九十百]+[编章节]\s*\S*|附\s*则|分\s*则|总\s*则)\s*$")


@dataclass(frozen=True)
class Paragraph:
    """One 款: its own text and the texts of its 项, in order."""

    number: int
    text: str
    items: tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        """The paragraph with its items, one per line."""
        return "\n".join((self.text, *self.items))


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The 款 of an article, each with its 项, numbered from 1."""
    paragraphs: list[tuple[str, list[str]]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line or _HEADING_RE.match(line):
            continue
        if _ITEM_RE.match(line) and paragraphs:
            paragraphs[-1][1].append(line)
        else:
            paragraphs.append((line, []))
    return tuple(Paragraph(i, head, tuple(items)) for i, (head, items) in enumerate(paragraphs, start=1))


def item_counts(text: str) -> list[int]:
    """How many 项 each 款 has (the importer's `item_counts`)."""
    return [len(p.items) for p in split_paragraphs(text)]
