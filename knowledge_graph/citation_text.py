"""Find statute citations in a text: 《中华人民共和国刑法》第六十七条第一款, 刑法第133条之一, lists.

Pure text → spans, no graph. A citation names a law (in 《》, by a known short name, or as
本法/该法) and an article, optionally with 款 and 项; in a list (依照《刑法》第二百六十四条、第五十二条…)
the law carries over to the following articles of the same sentence. Words quoted right after a
citation (规定：“……”) are kept so a checker can compare them with the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from judgeflow.knowledge_graph.article_numbers import NUMERAL, ArticleNumber, parse_numeral

LawForm = Literal["book", "bare", "this_law", "that_law", "carried"]

# Short names courts use without 《》; the checker adds every name and alias the graph holds.
COMMON_LAW_NAMES: tuple[str, ...] = (
    "刑法",
    "刑事诉讼法",
    "民法典",
    "民事诉讼法",
    "行政诉讼法",
    "民法通则",
    "民法总则",
    "合同法",
    "物权法",
    "担保法",
    "侵权责任法",
    "婚姻法",
    "继承法",
    "收养法",
    "劳动法",
    "劳动合同法",
    "劳动争议调解仲裁法",
    "道路交通安全法",
    "治安管理处罚法",
    "公司法",
    "消费者权益保护法",
    "行政处罚法",
    "禁毒法",
    "未成年人保护法",
    "预防未成年人犯罪法",
    "反家庭暴力法",
    "保险法",
)

# A gap longer than this between two citation tokens of one sentence ends the list.
MAX_LIST_GAP = 30
# 款/项 must follow their article closely ("第七十二条第一款、第三款").
MAX_PART_GAP = 6
_PART_GAP_RE = re.compile(r"^[\s、，,和及与或以]*$")

_SEP = r"\s*(?:、|，|,|和|及|以及|至)\s*"
_PARA = rf"第\s*(?P<para>{NUMERAL}(?:{_SEP}(?:第\s*)?{NUMERAL})*)\s*款"
_ITEM_NUM = rf"[（(]?\s*{NUMERAL}\s*[）)]?"
_ITEM = rf"第\s*(?P<item>{_ITEM_NUM}(?:{_SEP}(?:第\s*)?{_ITEM_NUM})*)\s*项"
_ARTICLE = rf"第\s*(?P<art>{NUMERAL})\s*条\s*(?P<suf>之[一二三四五六七八九十]+)?"
_BOOK = r"《(?P<book>[^《》\n]{1,80})》"
_THIS = r"(?P<this>本法|本条例|该法|同法)"
_END = r"(?P<end>[。！？!?\n])"
# Titles in 《》 that are documents of the case, not statutes: their 第X条 are not citations.
_NOT_A_LAW = re.compile(
    r"(合同|协议|协议书|章程|起诉书|判决书|裁定书|调解书|决定书|通知书|借条|欠条|收条|承诺书|说明书)$"
)
_QUOTE_OPEN = re.compile(r"\s*(?:的|之)?\s*(?:规定|明确规定|中规定)?\s*[:：，,]?\s*[“\"「]")
_QUOTE_CLOSE = {"“": "”", '"': '"', "「": "」"}


@dataclass(frozen=True)
class CitedPart:
    """A 款 and/or 项 of the cited article; None where the citation does not name one."""

    paragraph: int | None = None
    item: int | None = None

    @property
    def label(self) -> str:
        """'第一款第（二）项'-style label."""
        from judgeflow.knowledge_graph.article_numbers import chinese_numeral

        out = f"第{chinese_numeral(self.paragraph)}款" if self.paragraph else ""
        return out + (f"第（{chinese_numeral(self.item)}）项" if self.item else "")


@dataclass(frozen=True)
class CitationSpan:
    """One cited article found in a text, with where it is and how the law was named."""

    start: int
    end: int
    text: str
    law: str | None
    law_form: LawForm
    article: ArticleNumber
    parts: tuple[CitedPart, ...] = ()
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None


def _token_re(names: Iterable[str]) -> re.Pattern[str]:
    return _compiled_token_re(frozenset(n for n in names if n))


@lru_cache(maxsize=8)
def _compiled_token_re(names: frozenset[str]) -> re.Pattern[str]:
    """The scanner for a set of bare law names: built once per set (a graph's ≈1,000 names take
    milliseconds to escape and compile, and every check of a draft uses the same set)."""
    alts = _trie_alternation(names)
    bare = rf"(?P<bare>{alts})(?=\s*第)" if alts else r"(?P<bare>(?!x)x)"
    return re.compile("|".join((_BOOK, _THIS, bare, _ARTICLE, _PARA, _ITEM, _END)))


def _trie_alternation(names: Iterable[str]) -> str:
    """A regex matching any of `names`, longest first, written as a prefix tree: a flat alternation of
    a thousand names is tried name by name at every position of the text (≈6× slower on a judgment)."""
    tree: dict[str, Any] = {}
    for name in names:
        node = tree
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}  # a name ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A name that ends here is the shorter choice: tried after every longer one.
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


_DEFAULT_RE = _token_re(COMMON_LAW_NAMES)
_KINDS = ("book", "this", "bare", "art", "para", "item", "end")


def _numbers(group: str) -> list[int]:
    parts = re.split(r"\s*(?:、|，|,|和|及|以及)\s*", group)
    out: list[int] = []
    for part in parts:
        if "至" in part:
            lo, _, hi = part.partition("至")
            a, b = _one(lo), _one(hi)
            if a is not None and b is not None and a <= b:
                out.extend(range(a, b + 1))
            continue
        n = _one(part)
        if n is not None:
            out.append(n)
    return out


def _one(text: str) -> int | None:
    return parse_numeral(re.sub(r"[第（()）\s]", "", text))


def _quote_after(text: str, end: int) -> tuple[str, int, int] | None:
    m = _QUOTE_OPEN.match(text, end)
    if not m or m.end() - end > 12:
        return None
    opener = text[m.end() - 1]
    close = text.find(_QUOTE_CLOSE[opener], m.end())
    if close < 0:
        return None
    return text[m.end() : close], m.end(), close


class _Builder:
    """Accumulates one article's 款/项 while scanning."""

    def __init__(self, start: int, end: int, law: str | None, form: LawForm, number: ArticleNumber) -> None:
        self.start, self.end, self.law, self.form, self.number = start, end, law, form, number
        self.parts: list[CitedPart] = []

    def add_paragraphs(self, numbers: list[int], end: int) -> None:
        self.parts.extend(CitedPart(paragraph=n) for n in numbers)
        self.end = end

    def add_items(self, numbers: list[int], end: int) -> None:
        para = self.parts.pop().paragraph if self.parts and self.parts[-1].item is None else None
        if para is None and self.parts:
            para = self.parts[-1].paragraph
        self.parts.extend(CitedPart(paragraph=para, item=n) for n in numbers)
        self.end = end

    def build(self, text: str) -> CitationSpan:
        quote = _quote_after(text, self.end)
        return CitationSpan(
            start=self.start,
            end=self.end,
            text=text[self.start : self.end],
            law=self.law,
            law_form=self.form,
            article=self.number,
            parts=tuple(self.parts),
            quote=quote[0] if quote else None,
            quote_start=quote[1] if quote else None,
            quote_end=quote[2] if quote else None,
        )


def find_citations(text: str, law_names: Iterable[str] | None = None) -> list[CitationSpan]:
    """Every statute citation in `text`, in order; `law_names` adds names recognised without 《》."""
    pattern = _DEFAULT_RE if law_names is None else _token_re((*COMMON_LAW_NAMES, *law_names))
    out: list[CitationSpan] = []
    current: _Builder | None = None
    law: str | None = None
    law_start = law_end = -1
    law_form: LawForm = "carried"
    last_named: str | None = None
    last_end = -1

    def flush() -> None:
        nonlocal current
        if current is not None:
            out.append(current.build(text))
            current = None

    for m in pattern.finditer(text):
        kind = next(k for k in _KINDS if m.group(k) is not None)
        gap = m.start() - last_end if last_end >= 0 else 10**6
        if kind == "end":
            flush()
            law, last_end = None, -1
            continue
        if kind in ("book", "bare", "this"):
            flush()
            if kind == "this":
                word = m.group("this")
                law, law_form = last_named, ("this_law" if word.startswith("本") else "that_law")
            else:
                law = m.group(kind).strip()
                law_form = "book" if kind == "book" else "bare"
                if _NOT_A_LAW.search(law):
                    law, last_end = None, -1
                    continue
                last_named = law
            law_start, law_end = m.start(), m.end()
            last_end = m.end()
            continue
        if kind == "art":
            flush()
            number = parse_numeral(m.group("art"))
            if number is None:
                continue
            named_here = law_end >= 0 and m.start() - law_end <= 2 and law_end == last_end
            if named_here and (law is not None or law_form in ("this_law", "that_law")):
                current = _Builder(
                    law_start, m.end(), law, law_form, ArticleNumber(number, m.group("suf") or "")
                )
            elif law is not None and gap <= MAX_LIST_GAP:
                current = _Builder(
                    m.start(), m.end(), law, "carried", ArticleNumber(number, m.group("suf") or "")
                )
            else:
                law, last_end = None, -1
                continue
            law_end = -1
            last_end = m.end()
            continue
        # 款 or 项: only right after an article of this list.
        gap_text = text[current.end : m.start()] if current is not None else ""
        if current is None or len(gap_text) > MAX_PART_GAP or not _PART_GAP_RE.match(gap_text):
            continue
        if kind == "para":
            current.add_paragraphs(_numbers(m.group("para")), m.end())
        else:
            current.add_items(_numbers(m.group("item")), m.end())
        last_end = m.end()
    flush()
    return out
