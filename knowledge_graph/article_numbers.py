"""Article numbers as courts write them: 第一百三十三条之一, 133之一, 第（二）项, 第一、三款.

Pure text functions, no graph: they turn the many spellings of an article, paragraph (款) or
item (项) number into integers and back, so that every retriever addresses an article the same
way as the importer stored it (`law_id:number+suffix`, label "第一百三十三条之一").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_DIGITS = "零一二三四五六七八九"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

NUMERAL = r"[0-9０-９零〇○一二两三四五六七八九十百千]+"
SUFFIX = r"之[一二三四五六七八九十]+"
_ARTICLE_RE = re.compile(rf"^\s*第?\s*({NUMERAL})\s*条?\s*({SUFFIX})?\s*$")


def parse_numeral(text: str) -> int | None:
    """An Arabic or Chinese numeral ('133', '一百三十三', '十', '一千二百六十') as int, else None."""
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def chinese_numeral(n: int) -> str:
    """An int as courts write it in article labels (133 → '一百三十三', 10 → '十', 105 → '一百零五')."""
    if n < 0:
        raise ValueError(f"negative numeral: {n}")
    if n < 10:
        return _CN_DIGITS[n]
    out: list[str] = []
    zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit_value)
        if d:
            if zero:
                out.append("零")
            zero = False
            out.append(("" if (unit == "十" and not out and d == 1) else _CN_DIGITS[d]) + unit)
        elif out:
            zero = True
    return "".join(out)


@dataclass(frozen=True)
class ArticleNumber:
    """An article's number and 之X suffix, e.g. (133, '之一')."""

    number: int
    suffix: str = ""

    @property
    def key(self) -> str:
        """The part of the stored article id after the law ('133', '133之一')."""
        return f"{self.number}{self.suffix}"

    @property
    def label(self) -> str:
        """The label as the statute prints it ('第一百三十三条之一')."""
        return f"第{chinese_numeral(self.number)}条{self.suffix}"

    @property
    def short(self) -> str:
        """A compact human form ('第133条之一')."""
        return f"第{self.number}条{self.suffix}"


def parse_article_number(value: int | str) -> ArticleNumber | None:
    """Any spelling of an article number (133, '133', '133之一', '第一百三十三条之一') or None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return ArticleNumber(value)
    m = _ARTICLE_RE.match(value)
    if not m:
        return None
    number = parse_numeral(m.group(1))
    if number is None:
        return None
    return ArticleNumber(number, m.group(2) or "")


def parse_part_number(value: int | str | None) -> int | None:
    """A 款 or 项 number given as 2, '2', '二', '第二款', '（二）', '第（二）项'; None stays None."""
    if value is None or isinstance(value, int):
        return value
    s = re.sub(r"[第款项条()（）\s]", "", value)
    n = parse_numeral(s)
    if n is None:
        raise ValueError(f"无法识别的款项序号：{value}")
    return n
