"""Dates re-checked: dates that cannot exist, ranges that end before they begin, events after the
judgment was signed, births after the events, and custody set off against a sentence that the
sentence cannot hold (自A起至B止 longer than the term)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from judgeflow.agents.checking.collector import Collector
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import parse_numeral
from judgeflow.tools.dates import DateMatch, Period, add_period, cn_date

_CN = "〇○零一二三四五六七八九"
_SMALL = "一二三四五六七八九十"
YEAR_DIGITS = "〇一二三四五六七八九"
DATE_LIKE_RE = re.compile(
    rf"(?<![\d.])(?P<y>\d{{4}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]"
    rf"|(?P<cy>[{_CN}]{{4}})年(?P<cm>[{_SMALL}]{{1,3}})月(?P<cd>[{_SMALL}]{{1,3}})日"
    r"|(?<![\d.])(?P<ny>\d{4})(?P<sep>[-./])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})(?![\d.])"
)
RANGE_LINK_RE = re.compile(
    r"[ \t]*(?:(?:起|开始|始)(?:(?!\d{4}[年.\-/])[^。；;，,、]){0,24}?)?(?:至|到|止至|—|－|~|～)[ \t]*"
)
BARE_DAY_RE = re.compile(
    rf"(?:(?P<m>\d{{1,2}}|[{_SMALL}]{{1,3}})月)?(?P<d>\d{{1,2}}|[{_SMALL}]{{1,3}})[日号]"
)
TERM_RE = re.compile(
    rf"(?P<kind>有期徒刑|拘役|管制)(?:(?P<y>[{_SMALL}]+)年)?(?:(?P<m>[零{_SMALL}]+)个月)?"
    rf"(?:零?(?P<d>[{_SMALL}]+)[天日])?"
)
SET_OFF_RE = re.compile(r"折抵刑期")
FUTURE_AFTER_RE = re.compile(r"^(?:之|以)?前|^止|^届满|^到期|^起至|^至|^以后|^后")
FUTURE_BEFORE_RE = re.compile(r"(?:至|到|截至|截止|止于|期限为?|届满|到期日?为?|约定|应于|须于|前于)$")
BIRTH_AFTER_RE = re.compile(r"^\s*(?:出生|生)")
SET_OFF_WINDOW = 60
TERM_WINDOW = 240


@dataclass(frozen=True)
class DateRange:
    """自A起至B止 as written: both ends with where they are."""

    first: DateMatch
    last_start: int
    last_end: int
    last: date


def _cn_small(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_numeral(text))


def _cn_year(text: str) -> int:
    return int("".join(str(YEAR_DIGITS.index(c)) if c in YEAR_DIGITS else "0" for c in text))


def check_impossible(c: Collector) -> None:
    """A date with a month over 12 or a day its month lacks (2023年2月30日) is an error."""
    for m in DATE_LIKE_RE.finditer(c.text):
        try:
            if m.group("y"):
                y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            elif m.group("cy"):
                y, mo, d = _cn_year(m.group("cy")), _cn_small(m.group("cm")), _cn_small(m.group("cd"))
            else:
                y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        except (ValueError, ToolInputError):
            continue
        if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(max(1, min(y, 9999)), mo)[1]:
            continue
        if m.group("ny") and not 1 <= mo <= 12:
            continue  # 2023.15.3 is more likely a section or version number than a date
        if c.covered(m.start(), m.end()):
            continue
        why = f"{y}年没有{mo}月" if not 1 <= mo <= 12 else f"{y}年{mo}月没有{d}日"
        c.add("date", m.start(), m.end(), f"日期{m.group(0)}不存在", why)


def find_ranges(text: str, dates: list[DateMatch]) -> list[DateRange]:
    """Every 'A至B' whose ends are full dates (B may leave out the year, or year and month)."""
    out: list[DateRange] = []
    days = [d for d in dates if d.precision == "day"]
    by_start = {d.start: d for d in days}
    for d in days:
        link = RANGE_LINK_RE.match(text, d.end)
        if link is None or link.end() == d.end:
            continue
        nxt = by_start.get(link.end())
        if nxt is not None:
            out.append(DateRange(d, nxt.start, nxt.end, nxt.value))
            continue
        bare = BARE_DAY_RE.match(text, link.end())
        if bare is None or re.match(r"\d", text[bare.end() : bare.end() + 1]):
            continue
        try:
            month = _cn_small(bare.group("m")) if bare.group("m") else d.value.month
            last = date(d.value.year, month, _cn_small(bare.group("d")))
        except (ValueError, ToolInputError):
            continue
        out.append(DateRange(d, bare.start(), bare.end(), last))
    return out


def check_ranges(c: Collector, dates: list[DateMatch]) -> None:
    """A range must not end before it begins."""
    for r in find_ranges(c.text, dates):
        if r.last >= r.first.value or c.covered(r.first.start, r.last_end):
            continue
        c.add(
            "date",
            r.first.start,
            r.last_end,
            f"期间止日{c.text[r.last_start : r.last_end]}早于起日{r.first.quote}",
            f"起日{cn_date(r.first.value)}，止日{cn_date(r.last)}",
        )


def _term(m: re.Match[str]) -> tuple[Period, int] | None:
    """The term pronounced: whole months, and days on top (拘役一个月零十五天)."""
    years = _cn_small(m.group("y")) if m.group("y") else 0
    months = _cn_small(m.group("m").replace("零", "")) if m.group("m") else 0
    days = _cn_small(m.group("d")) if m.group("d") else 0
    total = years * 12 + months
    return (Period(total, "month"), days) if total > 0 or days > 0 else None


def term_end(start: date, term: tuple[Period, int]) -> date:
    """The last day of a term begun on `start`: the day before the corresponding day (or, when that
    month lacks it, its last day), counted either way courts count it."""
    months, days = term
    one = add_period(start, months) + timedelta(days=days) - timedelta(days=1)
    other = add_period(start - timedelta(days=1), months) + timedelta(days=days)
    return max(one, other)


def check_custody(c: Collector, dates: list[DateMatch]) -> None:
    """羁押…折抵刑期，即自A起至B止: B may not fall after A plus the term just pronounced, less one day."""
    for r in find_ranges(c.text, dates):
        window = c.text[max(0, r.first.start - SET_OFF_WINDOW) : r.first.start]
        if not SET_OFF_RE.search(window):
            continue
        before = c.text[max(0, r.first.start - TERM_WINDOW) : r.first.start]
        terms = [(t, p) for t in TERM_RE.finditer(before) if (p := _term(t)) is not None]
        if not terms:
            continue
        pronounced, term = terms[-1]
        latest = term_end(r.first.value, term)
        if r.last <= latest or c.covered(r.last_start, r.last_end):
            continue
        c.add(
            "date",
            r.last_start,
            r.last_end,
            f"刑期止日{c.text[r.last_start : r.last_end]}超出所判刑期（{pronounced.group(0)}）",
            f"自{cn_date(r.first.value)}起算，{pronounced.group(0)}至迟于{cn_date(latest)}届满",
        )


def is_event(text: str, d: DateMatch) -> bool:
    """True for a date on which something happened (not a birth, a deadline or the end of a term)."""
    after = text[d.end : d.end + 4]
    before = text[max(0, d.start - 6) : d.start]
    return not (
        BIRTH_AFTER_RE.match(after) or FUTURE_AFTER_RE.match(after) or FUTURE_BEFORE_RE.search(before)
    )


def check_signed_after(c: Collector, signed: DateMatch, events: list[DateMatch]) -> None:
    """Nothing the judgment reports as done can be dated after the judgment itself: both dates are
    marked, since either may be the slip."""
    late = [d for d in events if d.value > signed.value and d.start != signed.start]
    for d in late:
        if not c.covered(d.start, d.end):
            c.add(
                "date",
                d.start,
                d.end,
                f"日期{d.quote}晚于判决日期{signed.quote}",
                f"判决书落款日期：{cn_date(signed.value)}",
            )
    if late and not c.covered(signed.start, signed.end):
        c.add(
            "date",
            signed.start,
            signed.end,
            f"判决日期{signed.quote}早于文中已发生的事件（{late[0].quote}）",
            "晚于判决日期的事件：" + "、".join(cn_date(d.value) for d in late[:5]),
        )


def check_birth(c: Collector, name: str, born: DateMatch, events: list[DateMatch]) -> None:
    """A party cannot be born on or after a date the judgment reports as past."""
    later = [d for d in events if d.value < born.value and d.start != born.start]
    if later and not c.covered(born.start, born.end):
        c.add(
            "date",
            born.start,
            born.end,
            f"{name}的出生日期{born.quote}晚于文中事件日期{later[0].quote}",
            "早于出生日期的事件：" + "、".join(cn_date(d.value) for d in later[:5]),
        )
