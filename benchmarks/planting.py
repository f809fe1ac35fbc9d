"""Plant one known fault in a copy of a real judgment (for `benchmarks.planted_errors`).

Each planter finds the places in a text where its kind of fault can be planted, picks one with a
seeded random generator, and returns the changed text with the planted span. Nothing is planted
where the text offers no such place (the report counts those). The fault kinds follow the
fact-check issue: an amount changed in the court's text but not in the record, a sum or a
calculation that no longer adds up, a date made impossible, a date out of order (a range that ends
before it starts, a judgment signed before its own events, a birth after the events), a party's name
changed in one mention, a role swapped in one mention, an article number that does not exist, an
article number whose text contradicts the quoted text, and a law repealed before the facts.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from judgeflow.agents.checking.arithmetic import find_calculations, find_totals
from judgeflow.agents.checking.citations import (
    QUOTE_MATCH,
    Citation,
    appendix_citations,
    find_citations,
    law_in_database,
    quote_agreement,
    repealed_laws,
    statute_article,
)
from judgeflow.agents.checking.figures import context, label
from judgeflow.agents.checking.persons import CONFLICTS, MASKED_RE, Mention, inferred_people, mentions
from judgeflow.agents.checking.timeline import find_ranges, is_event
from judgeflow.agents.judgment_reader import Judgment, Part, all_dates, amounts, facts_date, read_judgment
from judgeflow.tools.amounts import AMOUNT_RE, AmountMatch, rmb_uppercase
from judgeflow.tools.dates import DateMatch

FAULTS: tuple[str, ...] = (
    "amount_changed",
    "sum_broken",
    "date_impossible",
    "date_order",
    "party_name",
    "party_role",
    "article_missing",
    "article_text",
    "law_repealed",
)
FAULT_NAMES = {
    "amount_changed": "金额一处改动",
    "sum_broken": "合计/算式不符",
    "date_impossible": "不存在的日期",
    "date_order": "日期顺序颠倒",
    "party_name": "当事人姓名改动",
    "party_role": "诉讼地位互换",
    "article_missing": "不存在的条文",
    "article_text": "条文与引文不符",
    "law_repealed": "已废止的法律",
}
GIVEN_NAME_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌"
SURNAME_SWAPS = "王李张刘陈杨黄赵周吴"
ORG_RE = re.compile(
    r".+?(?P<suffix>有限责任公司|股份有限公司|有限公司|分公司|公司|合作社|银行|支行|厂|店|中心)"
)
ROLE_SWAPS = {
    "原告": "被告",
    "被告": "原告",
    "被告人": "被害人",
    "原审被告人": "被害人",
    "第三人": "原告",
    "原审原告": "原审被告",
    "原审被告": "原审原告",
}
CN_DIGITS = "零一二三四五六七八九"
UPPER_TO_LOWER = str.maketrans("零壹贰叁肆伍陆柒捌玖拾佰仟", "零一二三四五六七八九十百千")


@dataclass(frozen=True)
class Planted:
    """A copy with one planted fault: its kind, where it is in the copy, and what was changed."""

    kind: str
    text: str
    start: int
    end: int
    original: str
    replacement: str


def _replace(text: str, kind: str, start: int, end: int, new: str) -> Planted:
    return Planted(kind, text[:start] + new + text[end:], start, start + len(new), text[start:end], new)


# ---------------------------------------------------------------- numerals


def cn_int(n: int) -> str:
    """A whole number in Chinese numerals as article numbers are written (17 → 十七, 105 → 一百零五)."""
    if n < 10:
        return CN_DIGITS[n]
    if n >= 10000:
        return rmb_uppercase(Decimal(n)).removesuffix("元整").translate(UPPER_TO_LOWER)
    out, zero, digits = "", False, str(n)
    for i, ch in enumerate(digits):
        place = len(digits) - 1 - i
        if ch == "0":
            zero = True
            continue
        if zero and out:
            out += "零"
        zero = False
        out += CN_DIGITS[int(ch)] + ("", "十", "百", "千")[place]
    return out[1:] if out.startswith("一十") else out


def _digit_slips(value: Decimal, rng: random.Random) -> list[Decimal]:
    """Slips of the pen on the whole-yuan part: a digit changed, two digits swapped, a zero added or lost."""
    whole, cents = int(value), value - int(value)
    s = str(whole)
    out: list[Decimal] = []
    positions = list(range(1, len(s))) or [0]
    i = rng.choice(positions)
    digit = rng.choice([d for d in "0123456789" if d != s[i] and not (i == 0 and d == "0")])
    out.append(Decimal(s[:i] + digit + s[i + 1 :]) + cents)
    swaps = [j for j in range(len(s) - 1) if s[j] != s[j + 1] and not (j == 0 and s[1] == "0")]
    if swaps:
        j = rng.choice(swaps)
        out.append(Decimal(s[:j] + s[j + 1] + s[j] + s[j + 2 :]) + cents)
    out.append(value * 10 if not s.endswith("0") or rng.random() < 0.5 else value / 10)
    return out


def _group(digits: str, sep: str) -> str:
    head, _, tail = digits.partition(".")
    grouped = f"{int(head):,}".replace(",", sep)
    return grouped + (f".{tail}" if tail else "")


def write_amount(quote: str, value: Decimal) -> str | None:
    """`value` written the way `quote` writes its amount (Arabic with or without 万 or separators,
    Chinese numerals, 大写); None where the form cannot carry the value."""
    num = re.search(r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?", quote)
    if num is not None:
        raw = num.group(0)
        unit = quote[num.end() : num.end() + 1]
        shown = (
            value / 10000 if unit in ("万", "萬") else value / 100_000_000 if unit in ("亿", "億") else value
        )
        places = len(re.split(r"[.．]", raw)[1]) if re.search(r"[.．]", raw) else 0
        if shown != shown.quantize(Decimal(1).scaleb(-places)):
            return None
        text = f"{shown.quantize(Decimal(1).scaleb(-places)):f}"
        sep = "，" if "，" in raw else "," if "," in raw else ""
        if sep:
            text = _group(text, sep)
        return quote[: num.start()] + text + quote[num.end() :]
    m = AMOUNT_RE.fullmatch(quote)
    if m is None or value != int(value) or value <= 0 or m.group("jiao") or m.group("fen"):
        return None
    upper = rmb_uppercase(value).removesuffix("元整")
    numeral = (
        upper
        if any(c in m.group("num") for c in "壹贰叁肆伍陆柒捌玖拾佰仟")
        else upper.translate(UPPER_TO_LOWER)
    )
    if numeral.startswith("一十") and not m.group("num").startswith("一十"):
        numeral = numeral[1:]
    return quote[: m.start("num")] + numeral + quote[m.end("num") :]


def write_date(quote: str, y: int, m: int, d: int) -> str:
    """(y, m, d) written in the style of `quote` (2018年2月8日, 二〇一八年二月八日, 2018-02-08, 2018.2.8)."""
    if quote and quote[0] in "〇○零一二三四五六七八九":
        year = "".join("〇一二三四五六七八九"[int(c)] for c in f"{y:04d}")
        return f"{year}年{cn_int(m)}月{cn_int(d)}日"
    if "年" in quote:
        return f"{y}年{m}月{d}日"
    sep = next((c for c in quote if c in "-./"), "-")
    padded = re.search(rf"\{sep}0\d", quote) is not None
    return f"{y}{sep}{m:02d}{sep}{d:02d}" if padded else f"{y}{sep}{m}{sep}{d}"


# ---------------------------------------------------------------- planters


def restates(text: str, court: AmountMatch, record: AmountMatch) -> bool:
    """True when the court states the record's figure about the same thing: the same value, and the
    same words before it (医疗费 … 医疗费) or a content word in common around it (退缴赃款, 薄金英)."""
    if court.value != record.value:
        return False
    mine = label(text, court.start)
    return bool(mine and mine == label(text, record.start)) or bool(
        context(text, court.start, court.end) & context(text, record.start, record.end)
    )


def plant_amount(j: Judgment, rng: random.Random) -> Planted | None:
    """An amount of the record restated by the court, changed in the court's text only."""
    found = amounts(j.text)
    record = [m for m in found if j.in_record(m.start)]
    every = {m.value for m in found}
    sites = [
        m
        for m in found
        if j.in_court(m.start) and m.value >= 10 and any(restates(j.text, m, r) for r in record)
    ]
    rng.shuffle(sites)
    for site in sites:
        slips = _digit_slips(site.value, rng)
        rng.shuffle(slips)
        for value in slips:
            new = write_amount(site.quote, value) if value not in every else None
            if new and new != site.quote:
                return _replace(j.text, "amount_changed", site.start, site.end, new)
    return None


def _changed_total(value: Decimal, rng: random.Random, every: set[Decimal]) -> Decimal | None:
    for candidate in _digit_slips(value, rng)[:2]:
        if candidate not in every and abs(candidate - value) >= 1:
            return candidate
    return None


def plant_sum(j: Judgment, rng: random.Random) -> Planted | None:
    """A total that adds up (or a calculation that comes out), its result changed."""
    found = amounts(j.text)
    every = {m.value for m in found}
    sites: list[tuple[int, int, str, Decimal]] = []
    for total in find_totals(j.text, found):
        if len(total.items) >= 2 and total.adds_up():
            sites.append((total.amount.start, total.amount.end, total.amount.quote, total.amount.value))
    for calc in find_calculations(j.text):
        agrees = abs(calc.computed - calc.stated) < Decimal(1).scaleb(-calc.places)
        if agrees and calc.stated >= 10:
            quote = j.text[calc.result_start : calc.result_end]
            sites.append((calc.result_start, calc.result_end, quote, calc.stated))
    rng.shuffle(sites)
    for start, end, quote, value in sites:
        changed = _changed_total(value, rng, every)
        new = write_amount(quote, changed) if changed is not None else None
        if new and new != quote:
            return _replace(j.text, "sum_broken", start, end, new)
    return None


def plant_impossible_date(j: Judgment, rng: random.Random) -> Planted | None:
    """A full date made one that cannot exist (4月31日, 2月30日, 13月)."""
    sites = [
        d for d in all_dates(j.text) if d.precision == "day" and j.part_at(d.start) not in ("首部", "附录")
    ]
    if not sites:
        return None
    d = rng.choice(sites)
    v = d.value
    month_days = (date(v.year + (v.month == 12), v.month % 12 + 1, 1) - timedelta(days=1)).day
    y, m, day = rng.choice([(v.year, v.month, month_days + 1), (v.year, 13, v.day), (v.year, 2, 30)])
    return _replace(j.text, "date_impossible", d.start, d.end, write_date(d.quote, y, m, day))


def _events(j: Judgment, dates: list[DateMatch], *parts: Part) -> list[DateMatch]:
    spans = j.spans(*parts)
    return [
        d
        for d in dates
        if d.precision == "day" and any(a <= d.start < b for a, b in spans) and is_event(j.text, d)
    ]


def plant_date_order(j: Judgment, rng: random.Random) -> Planted | None:
    """A range made to end before it starts, the judgment dated before its own events, or a party born
    after the events the judgment reports."""
    dates = all_dates(j.text)
    options: list[Callable[[], Planted | None]] = []
    full = {d.start: d for d in dates if d.precision == "day"}
    ranges = [r for r in find_ranges(j.text, dates) if r.last_start in full and r.last > r.first.value]
    if ranges:

        def reverse() -> Planted:
            r = rng.choice(ranges)
            new = r.first.value - timedelta(days=rng.randint(1, 400))
            end = full[r.last_start]
            return _replace(
                j.text, "date_order", end.start, end.end, write_date(end.quote, new.year, new.month, new.day)
            )

        options.append(reverse)
    tail = j.spans("尾部")
    signed = [d for d in dates if tail and tail[0][0] <= d.start < tail[0][1] and d.precision == "day"]
    procedure = _events(j, dates, "当事人", "审理经过")
    if signed and procedure and max(p.value for p in procedure) <= signed[-1].value:

        def backdate() -> Planted:
            s = signed[-1]
            new = max(p.value for p in procedure) - timedelta(days=rng.randint(1, 60))
            return _replace(
                j.text, "date_order", s.start, s.end, write_date(s.quote, new.year, new.month, new.day)
            )

        options.append(backdate)
    births = []
    for p in j.parties:
        born = next(
            (d for d in dates if p.end <= d.start < p.line_end and j.text.startswith(("出生", "生"), d.end)),
            None,
        )
        later = [d.value for d in procedure if p.end <= d.start < p.line_end] + (
            [signed[-1].value] if signed else []
        )
        if born is not None and later and born.value < min(later):
            births.append((born, min(later)))
    if births:

        def reborn() -> Planted:
            born, first = rng.choice(births)
            new = first + timedelta(days=rng.randint(1, 300))
            return _replace(
                j.text,
                "date_order",
                born.start,
                born.end,
                write_date(born.quote, new.year, new.month, new.day),
            )

        options.append(reborn)
    return rng.choice(options)() if options else None


def _people_and_mentions(j: Judgment) -> tuple[dict[str, frozenset[str]], list[Mention], bool]:
    """Who is who (name → roles) and the body's mentions; inferred from mentions when there is no header."""
    body = j.body()
    listed = {p.name: frozenset({p.role}) for p in j.parties}
    inferred = not any(r & {"原告", "被告", "被告人", "原审被告人", "上诉人"} for r in listed.values())
    if inferred:
        listed = {p.name: p.roles for p in inferred_people(mentions(j.text, body, []))}
    return listed, mentions(j.text, body, list(listed)), inferred


def _name_variants(name: str) -> list[str]:
    """Names one character away: another index for 吴某1, another surname for 高某, another character of
    the distinctive part of a company's name, another given-name character for a person."""
    if MASKED_RE.fullmatch(name):
        if name[-1].isdigit():
            return [name[:-1] + d for d in "0123456789"]
        if name[-1] in "甲乙丙丁戊己庚辛壬癸":
            return [name[:-1] + d for d in "甲乙丙丁戊"]
        return [s + name[1:] for s in SURNAME_SWAPS]
    suffix = ORG_RE.fullmatch(name)
    if suffix is not None or len(name) > 4:
        keep = len(name) - (len(suffix.group("suffix")) if suffix else 4)
        inner = [i for i in range(keep) if "\u4e00" <= name[i] <= "\u9fff"]
        return [name[:i] + c + name[i + 1 :] for i in inner[:4] for c in GIVEN_NAME_CHARS[:6]]
    return [name[:-1] + c for c in GIVEN_NAME_CHARS]


def plant_party_name(j: Judgment, rng: random.Random) -> Planted | None:
    """One mention of a party written with another person's name or with one character changed."""
    people, found, inferred = _people_and_mentions(j)
    counts: dict[str, int] = {}
    for m in found:
        counts[m.name] = counts.get(m.name, 0) + 1
    # Without a header a name is known from its mentions: it keeps two after the change.
    need = 3 if inferred else 2
    sites = [m for m in found if m.name in people and m.role in people[m.name] and counts[m.name] >= need]
    if not sites:
        return None
    m = rng.choice(sites)
    others = [n for n, roles in people.items() if roles & CONFLICTS.get(m.role, frozenset()) and n != m.name]
    if others and rng.random() < 0.5:
        new = rng.choice(others)
    else:
        variants = [v for v in _name_variants(m.name) if v not in people and v != m.name]
        if not variants:
            return None
        new = rng.choice(variants)
    end = m.name_start + len(m.name)
    return _replace(j.text, "party_name", m.name_start, end, new)


def plant_party_role(j: Judgment, rng: random.Random) -> Planted | None:
    """One mention of a party given the opposite role (原告 ↔ 被告, 被告人 → 被害人)."""
    if "反诉" in j.text:
        return None  # with a counterclaim each party is 原告 and 被告 in turn: a swap may be no error
    people, found, inferred = _people_and_mentions(j)
    counts: dict[tuple[str, str], int] = {}
    for m in found:
        counts[(m.name, m.role)] = counts.get((m.name, m.role), 0) + 1
    need = 3 if inferred else 1
    sites = [
        m
        for m in found
        if m.name in people
        and m.role in people[m.name]
        and m.role in ROLE_SWAPS
        and counts[(m.name, m.role)] >= need
    ]
    if not sites:
        return None
    m = rng.choice(sites)
    return _replace(j.text, "party_role", m.start, m.start + len(m.role), ROLE_SWAPS[m.role])


def _citations(j: Judgment) -> list[Citation]:
    appendix = j.spans("附录")
    body_end = appendix[0][0] if appendix else len(j.text)
    return find_citations(j.text, 0, body_end) + (
        appendix_citations(j.text, *appendix[0]) if appendix else []
    )


def _last_article(law: str) -> int:
    low, high = 1, 2000
    while low < high:
        mid = (low + high + 1) // 2
        if statute_article(law, mid) is not None:
            low = mid
        else:
            high = mid - 1
    return low


def _label(c: Citation, text: str, number: int) -> str:
    written = text[c.start : c.end]
    arabic = re.search(r"\d", written) is not None
    return f"第{number if arabic else cn_int(number)}条"


def plant_article_missing(j: Judgment, rng: random.Random) -> Planted | None:
    """A cited article of a law the database holds renumbered past the law's last article."""
    sites = [c for c in _citations(j) if not c.suffix and law_in_database(c.law)]
    if not sites:
        return None
    c = rng.choice(sites)
    number = _last_article(c.law) + rng.randint(1, 60)
    return _replace(j.text, "article_missing", c.start, c.end, _label(c, j.text, number))


def plant_article_text(j: Judgment, rng: random.Random) -> Planted | None:
    """A cited article whose quoted text it holds, renumbered to another article of the same law."""
    sites = []
    for c in _citations(j):
        article = statute_article(c.law, c.number) if not c.suffix and c.quote else None
        if (
            article is not None
            and len(c.quote) >= 8
            and quote_agreement(c.quote, article.text) >= QUOTE_MATCH
        ):
            sites.append(c)
    if not sites:
        return None
    c = rng.choice(sites)
    last = _last_article(c.law)
    for _ in range(50):
        number = rng.randint(1, last)
        other = statute_article(c.law, number)
        if number != c.number and other is not None and quote_agreement(c.quote, other.text) < QUOTE_MATCH:
            return _replace(j.text, "article_text", c.start, c.end, _label(c, j.text, number))
    return None


def plant_repealed_law(j: Judgment, rng: random.Random) -> Planted | None:
    """A cited law's name replaced by a law repealed before the facts."""
    when = facts_date(j)
    sites = [c for c in find_citations(j.text, 0, (j.spans("附录") or [(len(j.text), 0)])[0][0])]
    if when is None or not sites:
        return None
    gone = sorted(n for n, law in repealed_laws().items() if law.repealed_on <= when)
    if not gone:
        return None
    c = rng.choice(sites)
    return _replace(j.text, "law_repealed", c.law_start, c.law_end, rng.choice(gone))


PLANTERS: dict[str, Callable[[Judgment, random.Random], Planted | None]] = {
    "amount_changed": plant_amount,
    "sum_broken": plant_sum,
    "date_impossible": plant_impossible_date,
    "date_order": plant_date_order,
    "party_name": plant_party_name,
    "party_role": plant_party_role,
    "article_missing": plant_article_missing,
    "article_text": plant_article_text,
    "law_repealed": plant_repealed_law,
}


def plant(text: str, kind: str, seed: str) -> Planted | None:
    """A copy of `text` with one fault of `kind`, chosen by `seed` (the same seed, the same copy)."""
    return PLANTERS[kind](read_judgment(text), random.Random(f"{seed}:{kind}"))
