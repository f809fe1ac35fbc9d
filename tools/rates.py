"""Interest rates as agreed in a 借条 or claimed in a complaint (月息2分, 年利率24%, 日利率万分之五)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import DIGITS, FULLWIDTH, parse_numeral

Basis = Literal["year", "month", "day"]

# A rate per day is turned into a rate per year over 365 days, as courts compute interest by the day.
PER_YEAR: dict[Basis, int] = {"year": 1, "month": 12, "day": 365}
# One 厘 is 1% a year, 0.1% a month or 0.01% a day; one 分 is ten 厘 (年息1分 = 10%, 月息1分 = 1%).
LI: dict[Basis, Decimal] = {"year": Decimal("0.01"), "month": Decimal("0.001"), "day": Decimal("0.0001")}
BASIS_WORDS: dict[str, Basis] = {"年": "year", "月": "month", "日": "day"}

_CN = "".join(DIGITS) + "十百"
_NUM = rf"(?:\d+(?:\.\d+)?|[{_CN[:-1]}][{_CN}]*(?:点[{_CN}]+)?)"
_ONE = rf"[0-9{''.join(DIGITS)}]"
RATE_RE = re.compile(
    rf"每?(?P<basis>[年月日])(?P<word>利率|化利率|息|利|化)?(?:为|是|按|:|：)?\s*"
    rf"(?:(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
    rf"|(?P<part>百分之|千分之|万分之)(?P<partn>{_NUM})"
    rf"|(?P<fen>{_NUM})分(?!之)(?:(?P<fenli>{_ONE})厘?)?"
    rf"|(?P<li>{_NUM})厘)"
)
PARTS = {"百分之": Decimal("0.01"), "千分之": Decimal("0.001"), "万分之": Decimal("0.0001")}


@dataclass(frozen=True)
class Rate:
    """An agreed or claimed rate: annual fraction (0.24 for 月利率2%), the words written, and their basis."""

    annual: Decimal
    stated: str
    basis: Basis


@dataclass(frozen=True)
class RateMatch:
    """One rate mention in a text and where it is."""

    start: int
    end: int
    quote: str
    rate: Rate


def _number(text: str) -> Decimal:
    """A number in Arabic or Chinese digits, with 点 as the decimal point (一点五 = 1.5)."""
    if "点" not in text:
        return parse_numeral(text)
    whole, _, frac = text.partition("点")
    if not frac or any(c not in DIGITS for c in frac):
        raise ToolInputError(f"数字“{text}”无法识别 / cannot read number {text!r}")
    return parse_numeral(whole) + Decimal("0." + "".join(str(DIGITS[c]) for c in frac))


def _digit(text: str) -> Decimal:
    return Decimal(text) if text.isdigit() else Decimal(DIGITS[text])


def _rate(m: re.Match[str], stated: str) -> Rate:
    basis = BASIS_WORDS[m.group("basis")]
    if m.group("pct"):
        periodic = Decimal(m.group("pct")) / 100
    elif m.group("part"):
        periodic = _number(m.group("partn")) * PARTS[m.group("part")]
    else:
        if not m.group("word"):
            # 分/厘 after a bare 年/月 is as likely a time (2023年5分) as a rate.
            raise ToolInputError(
                f"利率“{stated}”须写明年息、月息或日息 / rate {stated!r} needs 年息/月息/日息"
            )
        if m.group("fen"):
            li = _number(m.group("fen")) * 10 + (_digit(m.group("fenli")) if m.group("fenli") else 0)
        else:
            li = _number(m.group("li"))
        periodic = li * LI[basis]
    return Rate((periodic * PER_YEAR[basis]).normalize(), stated, basis)


def parse_rate(text: str) -> Rate:
    """One rate: "月利率2%", "月息1.5分", "一分五厘" (月息), "日利率万分之五", "按年利率6%计算"."""
    raw = text.translate(FULLWIDTH).strip()
    m = RATE_RE.search(raw)
    stated = m.group(0) if m else raw
    if m is None and re.fullmatch(rf"{_NUM}分(?:{_ONE}厘?)?|{_NUM}厘", raw):
        # Between individuals 几分几厘 without a basis is always a monthly rate.
        m = RATE_RE.fullmatch("月息" + raw)
    if m is None:
        raise ToolInputError(
            f"利率“{text}”无法识别（须写明年、月或日，如“年利率24%”“月息2分”） / cannot read rate {text!r}"
        )
    return _rate(m, stated)


def find_rates(text: str) -> list[RateMatch]:
    """Every rate in a text that says its basis (年/月/日)."""
    norm = text.translate(FULLWIDTH)
    found: list[RateMatch] = []
    for m in RATE_RE.finditer(norm):
        quote = text[m.start() : m.end()]
        try:
            found.append(RateMatch(m.start(), m.end(), quote, _rate(m, quote)))
        except ToolInputError:
            continue
    return found


def percent_text(annual: Decimal) -> str:
    """An annual fraction as a court writes it: 0.24 → "24%", 0.154 → "15.4%", 0.1825 → "18.25%"."""
    pct = (annual * 100).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    return f"{pct:f}%"
