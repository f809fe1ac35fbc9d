"""Money in yuan: read amounts written any way a Chinese court file writes them, and write them back.

Chinese numerals are parsed here by hand (not with cn2an over whole sentences) so that only the
numeral span itself is ever converted: 张三 must stay 张三.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from judgeflow.tools import ToolInputError

CENT = Decimal("0.01")

# Full-width digits map one-to-one onto ASCII, so offsets in the translated text stay valid.
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

DIGITS = {
    **{c: i for i, c in enumerate("零一二三四五六七八九")},
    **{c: i for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")},
    **{c: i for i, c in enumerate("○壹貳參肆伍陸柒捌玖")},
    "两": 2,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_TOKEN_RE = re.compile(rf"{ARABIC}|[{NUMERAL_CHARS}]")
_NUM = rf"(?:{ARABIC}|[{NUMERAL_CHARS}])+"
_ONE_DIGIT = rf"[0-9{''.join(DIGITS)}]"
AMOUNT_RE = re.compile(
    rf"(?P<prefix>(?:人民币|RMB|¥|￥)[ \t]?)?(?P<num>{_NUM})[ \t]?"
    rf"(?P<yuan>[元圆])?(?:零?(?P<jiao>{_ONE_DIGIT})角)?(?:零?(?P<fen>{_ONE_DIGIT})分)?(?P<whole>整|正)?"
)

UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
UPPER_UNITS = ("", "拾", "佰", "仟")
UPPER_GROUPS = ("", "万", "亿", "万亿")


@dataclass(frozen=True)
class AmountMatch:
    """One money mention in a text: where it is, what was written, and its value in yuan."""

    start: int
    end: int
    quote: str
    value: Decimal


def parse_numeral(text: str) -> Decimal:
    """Read a numeral written in Arabic digits, Chinese numerals, 大写 or a mix ("3万5千", "1.5万")."""
    raw = text.translate(FULLWIDTH).strip()
    tokens: list[str] = []
    pos = 0
    for m in _TOKEN_RE.finditer(raw):
        if m.start() != pos:
            break
        tokens.append(m.group(0))
        pos = m.end()
    if not tokens or pos != len(raw):
        raise ToolInputError(f"数字“{text}”无法识别 / cannot read numeral {text!r}")
    return _positional(tokens, text)


def _positional(tokens: list[str], text: str) -> Decimal:
    def bad(why: str) -> ToolInputError:
        return ToolInputError(f"数字“{text}”不合写法（{why}） / malformed numeral {text!r}: {why}")

    total = section = Decimal(0)
    current: Decimal | None = None
    last_small = 10**5  # units inside a section must fall: 五千三百, never 五百三千
    prev = ""  # kind of the previous token: "digit", "zero", "small", "big"
    prev_unit = 0
    for tok in tokens:
        if tok in DIGITS and DIGITS[tok] == 0:
            if prev in ("", "zero", "digit") and len(tokens) > 1:
                raise bad("零的位置不对")
            prev = "zero"
        elif tok in DIGITS or tok[0].isdigit():
            if prev == "digit":
                raise bad("两个数字相连")
            current = Decimal(DIGITS[tok]) if tok in DIGITS else Decimal(tok.replace(",", ""))
            prev = "digit"
        elif tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            if unit >= last_small:
                raise bad("位数顺序错误")
            section += (current if current is not None else Decimal(1)) * unit
            current, last_small, prev, prev_unit = None, unit, "small", unit
        else:
            unit = BIG_UNITS[tok]
            value = section + (current or 0)
            if value == 0 and total == 0:
                raise bad(f"“{tok}”前没有数字")
            if unit == 100_000_000:
                total = (total + value) * unit
            else:
                total += value * unit
            section, current, last_small, prev, prev_unit = Decimal(0), None, 10**5, "big", unit
    if current is not None and len(tokens) > 1 and len(tokens[-1]) == 1 and tokens[-2] not in DIGITS:
        # 一万五 means 15000: a lone digit right after a unit counts in the next lower place.
        current *= Decimal(prev_unit) / 10
    value = total + section + (current or 0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def parse_amount(text: str) -> Decimal:
    """Read one money expression ("人民币伍万元整", "3万5千元", "50,000.00元") as yuan."""
    raw = text.translate(FULLWIDTH).strip()
    # Sums under one yuan are written without 元 (伍角, 伍分); read them as 零元….
    m = AMOUNT_RE.fullmatch(raw)
    if m is None and raw.endswith(("角", "分")):
        m = AMOUNT_RE.fullmatch("零元" + raw)
    if m is None:
        raise ToolInputError(f"金额“{text}”无法识别 / cannot read amount {text!r}")
    try:
        return _value(m)
    except ToolInputError as exc:
        raise ToolInputError(f"金额“{text}”无法识别：{exc} / cannot read amount {text!r}") from exc


def _value(m: re.Match[str]) -> Decimal:
    value = parse_numeral(m.group("num"))
    for part, scale in (("jiao", Decimal("0.1")), ("fen", CENT)):
        if m.group(part):
            digit = m.group(part)
            value += (Decimal(digit) if digit.isdigit() else Decimal(DIGITS[digit])) * scale
    return value


def find_amounts(text: str) -> list[AmountMatch]:
    """Every money mention carrying 元, 万元 or 人民币; numerals in names such as 张三 are left alone."""
    return list(_amounts_in(text) if len(text) <= CACHED_TEXT_MAX else _amounts_in.__wrapped__(text))


# Texts up to this many characters have their scans remembered (512 of them at most); longer ones are
# scanned every time, so that the cache never holds more than a few megabytes.
CACHED_TEXT_MAX = 20_000


@lru_cache(maxsize=512)
def _amounts_in(text: str) -> tuple[AmountMatch, ...]:
    """The scan behind `find_amounts`, remembered per text: a case's documents and draft are read by
    the extractor, the statute step and every check, each asking again."""
    norm = text.translate(FULLWIDTH)
    found: list[AmountMatch] = []
    for m in AMOUNT_RE.finditer(norm):
        if not (m.group("prefix") or m.group("yuan")):
            continue
        num_start = _well_formed_start(norm, m.start("num"), m.end("num"), bool(m.group("prefix")))
        if num_start is None:
            continue
        start = m.start() if m.group("prefix") else num_start
        sub = AMOUNT_RE.fullmatch(norm, num_start, m.end())
        if sub is None:
            continue
        try:
            value = _value(sub)
        except ToolInputError:
            continue
        found.append(AmountMatch(start, m.end(), text[start : m.end()], value))
    return tuple(found)


def _well_formed_start(text: str, start: int, end: int, fixed: bool) -> int | None:
    """The leftmost start from which the numeral reads cleanly: 李四五万 → 五万."""
    for s in range(start, end if not fixed else start + 1):
        if s > start and text[s - 1] in "0123456789.,":
            continue
        try:
            parse_numeral(text[s:end])
        except ToolInputError:
            continue
        else:
            return s
    return None


def _cents(value: Decimal) -> Decimal:
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ToolInputError(f"金额{value!r}无效 / invalid amount {value!r}") from exc


def format_yuan(value: Decimal) -> str:
    """Ledger form with two decimals and no separators: 50000 → "50000.00"."""
    return f"{_cents(value):f}"


def yuan_text(value: Decimal) -> str:
    """Amount as written in a judgment: "50000元", and "1234.50元" when there are cents."""
    cents = _cents(value)
    if cents == cents.to_integral_value():
        return f"{cents.quantize(Decimal(1)):f}元"
    return f"{cents:f}元"


def rmb_uppercase(value: Decimal) -> str:
    """大写 as on a 借条 or cheque: 50000 → "伍万元整", 1234.5 → "壹仟贰佰叁拾肆元伍角"."""
    cents = _cents(value)
    if cents < 0:
        raise ToolInputError(f"负数金额不能写成大写：{value} / cannot write a negative amount in 大写")
    whole = int(cents)
    if whole >= 10**16:
        raise ToolInputError(f"金额{value}过大 / amount {value} too large for 大写")
    jiao, fen = divmod(int((cents - whole) * 100), 10)
    text = _upper_integer(whole) + "元" if whole or not (jiao or fen) else ""
    if not jiao and not fen:
        return text + "整"
    if jiao:
        text += UPPER_DIGITS[jiao] + "角"
    if fen:
        text += ("零" if whole and not jiao else "") + UPPER_DIGITS[fen] + "分"
    return text


def _upper_integer(n: int) -> str:
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        n, g = divmod(n, 10_000)
        groups.append(g)
    out = ""
    zero_pending = False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or g < 1000):
            out += "零"
        zero_pending = False
        part, gap = "", False
        for place in range(3, -1, -1):
            d = g // 10**place % 10
            if d == 0:
                gap = bool(part)
                continue
            part += ("零" if gap else "") + UPPER_DIGITS[d] + UPPER_UNITS[place]
            gap = False
        out += part + UPPER_GROUPS[idx]
    return out
