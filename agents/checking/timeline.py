"""Dates re-checked: dates that cannot exist, ranges that end before they begin, events after the
judgment was signed, births after the events, and custody set off against a sentence that the
sentence cannot hold (自A起至B止 longer than the term, unless custody was broken off by bail)."""

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
# Custody broken off (取保候审 …) and begun again: days out of custody are not set off, so the term's
# end moves later by them.
RELEASE_RE = re.compile(r"取保候审|监视居住|释放|保外就医|暂予监外执行")
CUSTODY_RE = re.compile(r"逮捕|拘留|羁押|收押|收监|抓获|归案|投案")
CLAUSE_STOPS_RE = re.compile(r"[，,。；;\n]")
SENTENCE_END_RE = re.compile(r"[。\n]")
# Days after the judgment's date within which a court-ordered arrest is read as made at pronouncement.
PRONOUNCED_WITHIN = 30
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


def _clause(text: str, d: DateMatch) -> str:
    """The clause a date stands in: from the punctuation before it to the punctuation after it."""
    before = [m.end() for m in CLAUSE_STOPS_RE.finditer(text, max(0, d.start - 40), d.start)]
    after = CLAUSE_STOPS_RE.search(text, d.end)
    return text[before[-1] if before else max(0, d.start - 40) : after.start() if after else len(text)]


def latest_start(text: str, dates: list[DateMatch], r: DateRange) -> date | None:
    """The latest day the set-off term can be counted from: the range's start, unless the particulars
    that date it say custody was broken off (取保候审 …) — then the last day it began again, or None
    when the text does not date that day (同年11月7日被逮捕)."""
    for d in dates:
        if d.end > r.first.start or d.start == r.first.start or d.value != r.first.value:
            continue
        stop = SENTENCE_END_RE.search(text, d.end)
        sentence = text[d.start : stop.start() if stop else len(text)]
        if not RELEASE_RE.search(sentence):
            continue
        again = [
            e.value
            for e in dates
            if d.start < e.start < d.start + len(sentence)
            and e.value > r.first.value
            and CUSTODY_RE.search(_clause(text, e))
        ]
        return max(again) if again else None
    return r.first.value


def check_custody(c: Collector, dates: list[DateMatch]) -> None:
    """羁押…折抵刑期，即自A起至B止: B may not fall after A plus the term just pronounced, less one day.
    Where the particulars show custody broken off by bail and begun again, B may fall as late as the
    term counted from the day it began again; where they do not date that day, B is not checked."""
    for r in find_ranges(c.text, dates):
        window = c.text[max(0, r.first.start - SET_OFF_WINDOW) : r.first.start]
        if not SET_OFF_RE.search(window):
            continue
        before = c.text[max(0, r.first.start - TERM_WINDOW) : r.first.start]
        terms = [(t, p) for t in TERM_RE.finditer(before) if (p := _term(t)) is not None]
        if not terms:
            continue
        pronounced, term = terms[-1]
        counted_from = latest_start(c.text, dates, r)
        if counted_from is None:
            continue
        latest = term_end(counted_from, term)
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


def arrest_at_pronouncement(text: str, d: DateMatch, signed: DateMatch) -> bool:
    """True for an arrest the court itself ordered (经本院决定，于…执行逮捕) dated shortly after the
    judgment: a defendant on bail sentenced to prison is arrested when the judgment is pronounced,
    which follows its date, and the text served records the arrest."""
    sentence_start = max(text.rfind("。", 0, d.start), text.rfind("\n", 0, d.start)) + 1
    return (
        (d.value - signed.value).days <= PRONOUNCED_WITHIN
        and "逮捕" in _clause(text, d)
        and "本院决定" in text[sentence_start : d.start]
    )


def check_signed_after(c: Collector, signed: DateMatch, events: list[DateMatch]) -> None:
    """Nothing the judgment reports as done can be dated after the judgment itself: both dates are
    marked, since either may be the slip. An arrest the court ordered, dated within days after the
    judgment, is only a warning (see `arrest_at_pronouncement`)."""
    late = [d for d in events if d.value > signed.value and d.start != signed.start]
    usual = {d.start for d in late if arrest_at_pronouncement(c.text, d, signed)}
    for d in late:
        if not c.covered(d.start, d.end):
            c.add(
                "date",
                d.start,
                d.end,
                f"日期{d.quote}晚于判决日期{signed.quote}"
                + ("（本院决定的逮捕如系宣判时执行，可不予更正）" if d.start in usual else ""),
                f"判决书落款日期：{cn_date(signed.value)}",
                "warning" if d.start in usual else "error",
            )
    if late and not c.covered(signed.start, signed.end):
        c.add(
            "date",
            signed.start,
            signed.end,
            f"判决日期{signed.quote}早于文中已发生的事件（{late[0].quote}）",
            "晚于判决日期的事件：" + "、".join(cn_date(d.value) for d in late[:5]),
            "warning" if all(d.start in usual for d in late) else "error",
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
