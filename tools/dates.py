"""Dates and periods as a Chinese court file writes them (2023年3月5日, 二〇二三年三月五日, 六个月)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import CACHED_TEXT_MAX, FULLWIDTH, parse_numeral

Precision = Literal["day", "month", "year"]
Unit = Literal["day", "month", "year"]

YEAR_DIGITS = "〇○零Ｏ一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_YEAR = rf"(?P<year>\d{{4}}|[{YEAR_DIGITS}]{{4}})"
_MONTH = rf"(?P<month>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})"
_DAY = rf"(?P<day>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})"
CN_DATE_RE = re.compile(rf"(?<!\d){_YEAR}年(?:{_MONTH}月(?:{_DAY}[日号])?)?")
# Arabic dates with one separator used twice (2023-03-05, 2023.3.5, 2023/3/5); never inside a longer number.
NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.])(?P<year>\d{4})(?P<sep>[-./])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\.?\d)"
)

UPPER_YEAR = "〇一二三四五六七八九"
_UPPER_SMALL = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九")


@dataclass(frozen=True)
class DateMatch:
    """One date mention: where it is, what was written, the date, and how precise the writing was."""

    start: int
    end: int
    quote: str
    value: date
    precision: Precision


@dataclass(frozen=True)
class Period:
    """A stretch of time as agreed or prescribed: 六个月 is Period(6, "month")."""

    n: int
    unit: Unit

    def __str__(self) -> str:
        """English form for logs: "6 months", "1 year"."""
        return f"{self.n} {self.unit}{'' if self.n == 1 else 's'}"


def _year(text: str) -> int:
    if text.isdigit():
        return int(text)
    # Judgment dates spell the year digit by digit: 二〇二三.
    return int("".join(str(UPPER_YEAR.index(c)) if c in UPPER_YEAR else "0" for c in text))


def _small(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_numeral(text))


def _build(year: int, month: int, day: int, quote: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ToolInputError(f"日期“{quote}”不存在（{exc}） / date {quote!r} does not exist: {exc}") from exc


def _from_match(m: re.Match[str]) -> tuple[date, Precision]:
    quote = m.group(0)
    year = _year(m.group("year"))
    if not m.group("month"):
        return _build(year, 1, 1, quote), "year"
    month = _small(m.group("month"))
    if not m.group("day"):
        return _build(year, month, 1, quote), "month"
    return _build(year, month, _small(m.group("day")), quote), "day"


def parse_date(text: str) -> date:
    """One full date: "2023年3月5日", "二〇二三年三月五日", "2023.3.5", "2023-03-05", "2023/3/5"."""
    raw = text.translate(FULLWIDTH).strip()
    m = CN_DATE_RE.fullmatch(raw) or NUMERIC_DATE_RE.fullmatch(raw)
    if m is None or not m.group("day"):
        raise ToolInputError(f"日期“{text}”无法识别（需写明年月日） / cannot read date {text!r} (need y/m/d)")
    return _from_match(m)[0]


def find_dates(text: str) -> list[DateMatch]:
    """Every date in a text, with its precision; impossible dates (2023年2月30日) are skipped."""
    return list(_dates_in(text) if len(text) <= CACHED_TEXT_MAX else _dates_in.__wrapped__(text))


@lru_cache(maxsize=512)
def _dates_in(text: str) -> tuple[DateMatch, ...]:
    """The scan behind `find_dates`, remembered per text (the same texts are read by many steps)."""
    norm = text.translate(FULLWIDTH)
    found: list[DateMatch] = []
    for regex in (CN_DATE_RE, NUMERIC_DATE_RE):
        for m in regex.finditer(norm):
            try:
                value, precision = _from_match(m)
            except ValueError:
                continue
            found.append(DateMatch(m.start(), m.end(), text[m.start() : m.end()], value, precision))
    return tuple(sorted(found, key=lambda d: d.start))


def iso(d: date, precision: Precision = "day") -> str:
    """ISO form cut to the precision written: "2023-03-05", "2023-03" or "2023"."""
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def cn_date(d: date) -> str:
    """Date in the body of a judgment: "2023年3月5日"."""
    return f"{d.year}年{d.month}月{d.day}日"


def _upper_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _UPPER_SMALL[ones]
    return ("" if tens == 1 else _UPPER_SMALL[tens]) + "十" + _UPPER_SMALL[ones]


def cn_date_upper(d: date) -> str:
    """Date under the judges' names at the end of a judgment: "二〇二三年三月五日"."""
    year = "".join(UPPER_YEAR[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{_upper_small(d.month)}月{_upper_small(d.day)}日"


def add_months(d: date, n: int) -> date:
    """The same day n months later, or the month's last day when it has none (1月31日 + 1 → 2月28日)."""
    months = d.year * 12 + d.month - 1 + n
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        raise ToolInputError(f"日期{d}加{n}个月超出范围 / {d} plus {n} months is out of range")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def add_period(d: date, period: Period) -> date:
    """Last day of a period counted from d, d itself not counted (民法典第二百零一条、第二百零二条).

    By month or year the period ends on the corresponding day of the last month, or that month's last
    day; by day it ends n days after d.
    """
    if period.unit == "day":
        return d + timedelta(days=period.n)
    return add_months(d, period.n * (12 if period.unit == "year" else 1))


_UNITS: dict[str, Unit] = {
    "日": "day",
    "天": "day",
    "个月": "month",
    "個月": "month",
    "月": "month",
    "年": "year",
}
PERIOD_RE = re.compile(rf"(?P<n>\d+|[{_CN_SMALL}两百零]+|半)\s*(?P<unit>个月|個月|年|日|天)")


def parse_period(text: str) -> Period:
    """A period such as "六个月", "6个月", "一年", "30日", "三十天", "半年" as Period(n, unit)."""
    m = PERIOD_RE.search(text.translate(FULLWIDTH))
    if m is None:
        raise ToolInputError(f"期间“{text}”无法识别（如“六个月”“一年”“30日”） / cannot read period {text!r}")
    unit = _UNITS[m.group("unit")]
    if m.group("n") == "半":
        if unit != "year":
            raise ToolInputError(f"期间“{text}”无法识别 / cannot read period {text!r}")
        return Period(6, "month")
    n = int(m.group("n")) if m.group("n").isdigit() else int(parse_numeral(m.group("n")))
    if n <= 0:
        raise ToolInputError(f"期间“{text}”长度须大于零 / period {text!r} must be positive")
    return Period(n, unit)
