"""Stated arithmetic re-done: written-out calculations (140天×100元＝14000元) and totals (……共计X元).

A calculation is read back from its equals sign over numbers, units and operators, skipping the
labels between them (误工费, 被告垫付的医疗费), or from a bracket right after an amount that gives
its working (15004元（1364元／月×11个月）); a total is compared with the amounts listed before
it in the same sentence (or bracket). Where nothing listed adds up to the total, the finding spans
the list and the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from judgeflow.agents.checking.collector import Collector
from judgeflow.tools.amounts import AmountMatch, find_amounts, yuan_text

EQUALS_RE = re.compile(r"[=＝]")
RESULT_RE = re.compile(r"[ \t]*(?:人民币)?[ \t]*(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元|%|％)?")
TOKEN_RE = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>[ \t]*(?:万元|元|%|％)?)"
    r"|(?P<op>[×xX*＊+＋\-－﹣−÷/／])"
    r"|(?P<open>[(（\[［【{])"
    r"|(?P<close>[)）\]］】}])"
)
# Where a calculation's left side begins: the clause before the equals sign.
LEFT_STOPS = frozenset("。；;，,：:、\n")
PER_UNIT_RE = re.compile(r"[/／](?:天|日|月|年|人|次|平方米|吨|亩|辆|件|个)")
TOTAL_GAP = 10  # characters allowed between 共计 and its amount (价值人民币 …)
SENTENCE_STOPS = frozenset("。；;\n")
LIST_SEPARATORS = frozenset("、，,；;")
OPENERS = {"（": "）", "(": ")", "［": "］", "[": "]", "【": "】"}
CLOSERS = {v: k for k, v in OPENERS.items()}
CENT = Decimal("0.01")
# An amount followed by a bracket that may hold its working: 15004元（1364元／月×11个月）.
BRACKETED_RE = re.compile(r"(?<![\d.,])(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元)[ \t]*(?P<open>[(（\[［])")
# A bracket is read as working only when it multiplies, divides or adds (a dash alone is as often a
# range of years or a number as a subtraction).
WORKING_OPS = frozenset("×xX*＊÷+＋")
BRACKET_SPAN = 120


@dataclass(frozen=True)
class Calculation:
    """A written-out calculation: the left side as written, its value, and the stated result."""

    start: int
    end: int
    result_start: int
    result_end: int
    computed: Decimal
    stated: Decimal
    places: int


class _Parser:
    """Recursive descent over number and operator tokens (labels already dropped)."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Decimal:
        value = self.sum()
        if self.pos != len(self.tokens):
            raise ValueError("trailing tokens")
        return value

    def sum(self) -> Decimal:
        value = self.product()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in "+-":
            self.pos += 1
            value = value + self.product() if tok[1] == "+" else value - self.product()
        return value

    def product(self) -> Decimal:
        value = self.atom()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in "*/":
            self.pos += 1
            value = value * self.atom() if tok[1] == "*" else value / self.atom()
        return value

    def atom(self) -> Decimal:
        tok = self.peek()
        if tok is None:
            raise ValueError("missing operand")
        self.pos += 1
        if tok[0] == "num":
            return Decimal(tok[1])
        if tok[0] == "open":
            value = self.sum()
            close = self.peek()
            if close is None or close[0] != "close":
                raise ValueError("unbalanced bracket")
            self.pos += 1
            return value
        raise ValueError(f"unexpected {tok}")


_OPS = {"×": "*", "x": "*", "X": "*", "*": "*", "＊": "*", "+": "+", "＋": "+", "÷": "/", "/": "/", "／": "/"}


def _tokens(text: str) -> list[tuple[str, str]]:
    """Numbers (percent as a fraction, 万元 as yuan) and operators; labels between them are skipped."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if (per := PER_UNIT_RE.match(text, pos)) is not None and out and out[-1][0] == "num":
            pos = per.end()  # 100元/天: "per day", not a division
            continue
        m = TOKEN_RE.match(text, pos)
        if m is None:
            pos += 1
            continue
        pos = m.end()
        if m.group("num"):
            value = Decimal(m.group("num").replace(",", ""))
            unit = m.group("unit").strip()
            value = value / 100 if unit in ("%", "％") else value * 10000 if unit == "万元" else value
            out.append(("num", str(value)))
        elif m.group("op"):
            op = m.group("op")
            if op in "xX" and not (out and out[-1][0] in ("num", "close")):
                continue
            out.append(("op", _OPS.get(op, "-")))
        elif m.group("open"):
            out.append(("open", "("))
        else:
            out.append(("close", ")"))
    return out


def _left_start(text: str, eq: int) -> int:
    depth = 0
    pos = eq
    while pos > 0:
        c = text[pos - 1]
        if c in CLOSERS:
            depth += 1
        elif c in OPENERS:
            if depth == 0:
                break
            depth -= 1
        elif (c in LEFT_STOPS and depth == 0) or c in "=＝":
            break
        pos -= 1
    return pos


def find_calculations(text: str) -> list[Calculation]:
    """Every 'left side = result' in the text whose left side reads as arithmetic over two or more numbers."""
    out: list[Calculation] = []
    for eq in EQUALS_RE.finditer(text):
        result = RESULT_RE.match(text, eq.end())
        if result is None:
            continue
        start = _left_start(text, eq.start())
        tokens = _tokens(text[start : eq.start()])
        if sum(t[0] == "num" for t in tokens) < 2 or not any(t[0] == "op" for t in tokens):
            continue
        while tokens and tokens[0][0] == "close":
            tokens.pop(0)
        try:
            computed = _Parser(tokens).parse()
        except (ValueError, InvalidOperation, DivisionByZero, ArithmeticError):
            continue
        raw = result.group("num").replace(",", "")
        stated = Decimal(raw)
        if result.group("unit") in ("%", "％"):
            stated /= 100
        elif result.group("unit") == "万元":
            stated *= 10000
        places = len(raw.partition(".")[2])
        out.append(
            Calculation(start, eq.start(), result.start("num"), result.end(), computed, stated, places)
        )
    return out


def _closing(text: str, opened: int, limit: int) -> int | None:
    """The offset of the bracket that closes the one at `opened` (None past `limit` characters)."""
    depth = 0
    for pos in range(opened, min(len(text), opened + limit)):
        if text[pos] in OPENERS:
            depth += 1
        elif text[pos] in CLOSERS:
            depth -= 1
            if depth == 0:
                return pos
        elif text[pos] in SENTENCE_STOPS:
            return None
    return None


def find_bracketed_calculations(text: str) -> list[Calculation]:
    """Every 'amount（working）' whose bracket holds nothing but arithmetic over two or more numbers
    (units and labels aside) that multiplies, divides or adds: 15004元（1364元／月×11个月）."""
    out: list[Calculation] = []
    for m in BRACKETED_RE.finditer(text):
        close = _closing(text, m.start("open"), BRACKET_SPAN)
        if close is None:
            continue
        inner = text[m.end("open") : close]
        if EQUALS_RE.search(inner) or not any(ch in WORKING_OPS for ch in inner):
            continue
        tokens = _tokens(inner)
        if sum(t[0] == "num" for t in tokens) < 2 or not any(t[0] == "op" for t in tokens):
            continue
        try:
            computed = _Parser(tokens).parse()
        except (ValueError, InvalidOperation, DivisionByZero, ArithmeticError):
            continue
        raw = m.group("num").replace(",", "")
        stated = Decimal(raw) * (10000 if m.group("unit") == "万元" else 1)
        places = len(raw.partition(".")[2])
        out.append(Calculation(m.end("open"), close, m.start("num"), m.end("unit"), computed, stated, places))
    return out


def run_together(text: str, calc: Calculation) -> bool:
    """True when the calculation comes out once its first number loses leading digits: the text runs
    two figures together (直径500182×190＝34580元 is 直径500 and 182×190), so the slip is the
    text's spacing, not its arithmetic."""
    left = text[calc.start : calc.end]
    first = re.search(r"\d{2,}", left)
    if first is None or not re.match(r"[×xX*＊÷/／]", left[first.end() : first.end() + 1]):
        return False
    digits = first.group(0)
    for cut in range(1, len(digits)):
        shortened = left[: first.start()] + digits[cut:] + left[first.end() :]
        try:
            computed = _Parser(_tokens(shortened)).parse()
        except (ValueError, InvalidOperation, DivisionByZero, ArithmeticError):
            continue
        if _agrees(computed, calc.stated, calc.places):
            return True
    return False


def _agrees(computed: Decimal, stated: Decimal, places: int) -> bool:
    """True when the stated result is the computed value as rounded (or cut) to the places written."""
    unit = Decimal(1).scaleb(-places)
    rounded = computed.quantize(unit, rounding=ROUND_HALF_UP)
    return abs(rounded - stated) <= unit or abs(computed - stated) <= unit


def check_calculations(c: Collector, spans: list[tuple[int, int]] | None = None) -> None:
    """Each written-out calculation (and each working given in brackets after an amount) must come to
    its stated result; the finding covers the calculation and its result, since either may hold the
    slip."""
    for calc in find_calculations(c.text) + find_bracketed_calculations(c.text):
        if spans is not None and not any(a <= calc.start < b for a, b in spans):
            continue
        if _agrees(calc.computed, calc.stated, calc.places) or c.covered(calc.result_start, calc.result_end):
            continue
        if run_together(c.text, calc):
            continue
        start = calc.start + len(c.text[calc.start : calc.end]) - len(c.text[calc.start : calc.end].lstrip())
        bracketed = calc.result_start < calc.start  # 15004元（…）: from the result to the closing bracket
        c.add(
            "computation",
            calc.result_start if bracketed else start,
            calc.end + 1 if bracketed else calc.result_end,
            f"计算结果有误：{c.text[start : calc.end]}应为{_plain(calc.computed)}，"
            f"文中写作{c.text[calc.result_start : calc.result_end]}",
            f"按所列算式重新计算得{_plain(calc.computed)}",
        )


def _plain(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP).normalize():f}"


# ---------------------------------------------------------------- totals

TOTAL_RE = re.compile(
    r"(?:以上|上述|前述)?(?:共计|合计|总计|总共|累计|小计)|共(?=[\d人一二三四五六七八九十壹贰叁肆伍陆柒捌玖])"
)
# Words that make a list more than a plain addition (a deduction, a part, a rate per unit).
NOT_PLAIN_RE = re.compile(
    r"其中|扣除|减去|扣减|已付|已支付|已给付|垫付|尚欠|剩余|余款|下欠|利息|本息|罚息|单价|每|[×÷＋+－\-﹣−*＊=＝/／]"
)


@dataclass(frozen=True)
class Total:
    """A stated total (共计/合计 …) and the amounts listed before it in its sentence or bracket."""

    keyword_start: int
    scope_start: int
    amount: AmountMatch
    items: list[AmountMatch]
    plain: bool  # a bare list of amounts: nothing but labels and separators between them

    def run_sums(self, distinct: bool = False) -> list[Decimal]:
        """The sums of every run of two or more consecutive listed amounts (with `distinct`, only runs
        that do not name one figure twice: a figure said again is a restatement, not an item)."""
        values = [m.value for m in self.items]
        out: list[Decimal] = []
        for i in range(len(values)):
            running = values[i]
            for j in range(i + 1, len(values)):
                if distinct and values[j] in values[i:j]:
                    break
                running += values[j]
                out.append(running)
        return out

    def adds_up(self) -> bool:
        """True when some run of two or more consecutive listed amounts sums to the total."""
        return any(abs(total - self.amount.value) < CENT for total in self.run_sums())

    def slip_of(self) -> Decimal | None:
        """A run's sum of three or more significant digits that the stated total reads like with a digit
        mistyped, dropped or doubled (round sums differ from round totals for other reasons)."""
        from judgeflow.agents.checking.figures import significant, slip

        return next(
            (t for t in self.run_sums(distinct=True) if significant(t) >= 3 and slip(self.amount.value, t)),
            None,
        )


def _scope_start(text: str, pos: int, floor: int) -> int:
    """Where the list before `pos` begins: the sentence start, or the bracket that holds `pos`."""
    depth = 0
    while pos > floor:
        ch = text[pos - 1]
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            if depth == 0:
                return pos
            depth -= 1
        elif ch in SENTENCE_STOPS:
            return pos
        pos -= 1
    return floor


def _pieces(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """[start, end) cut at list separators outside brackets, and the bracketed stretches."""
    depth, pieces, inner, opened, begin = 0, [], [], start, start
    for pos in range(start, end):
        ch = text[pos]
        if ch in OPENERS:
            opened = pos if depth == 0 else opened
            depth += 1
        elif ch in CLOSERS and depth > 0:
            depth -= 1
            if depth == 0:
                inner.append((opened, pos + 1))
        elif depth == 0 and ch in LIST_SEPARATORS:
            pieces.append((begin, pos))
            begin = pos + 1
    if depth > 0:
        inner.append((opened, end))
    pieces.append((begin, end))
    return [p for p in pieces if text[p[0] : p[1]].strip()], inner


def find_totals(text: str, amounts: list[AmountMatch] | None = None) -> list[Total]:
    """Every 共计/合计 … amount with the amounts listed before it (since the previous total): the amounts
    outside brackets when there are two or more, else every amount of the stretch."""
    found = sorted(amounts if amounts is not None else find_amounts(text), key=lambda m: m.start)
    out: list[Total] = []
    floor = 0
    for kw in TOTAL_RE.finditer(text):
        amount = next((m for m in found if kw.end() <= m.start <= kw.end() + TOTAL_GAP), None)
        if amount is None:
            continue
        between = text[kw.end() : amount.start]
        if any(ch in SENTENCE_STOPS or ch in "，," for ch in between) or re.search(r"\d", between):
            continue
        start = _scope_start(text, kw.start(), floor)
        every = [m for m in found if start <= m.start and m.end <= kw.start()]
        pieces, inner = _pieces(text, start, kw.start())
        outside = [m for m in every if not any(a <= m.start < b for a, b in inner)]
        items = outside if len(outside) >= 2 else every
        per_piece = [sum(a <= m.start < b for m in outside) for a, b in pieces]
        plain = (
            len(outside) >= 2
            and all(n == 1 for n in per_piece)
            and not any(PER_UNIT_RE.match(text, m.end) for m in items)
            and not NOT_PLAIN_RE.search(re.sub(r"\d[\d,.]*", "", text[start : kw.start()]))
        )
        out.append(Total(kw.start(), start, amount, items, plain))
        floor = max(floor, amount.end)
    return out


def check_totals(
    c: Collector, spans: list[tuple[int, int]] | None = None, amounts: list[AmountMatch] | None = None
) -> None:
    """A stated total must be the sum of the amounts listed with it (when two or more are listed): an
    error for a bare list or a total that reads like a run's sum mistyped, a warning where the list also
    deducts, multiplies or nests amounts."""
    for total in find_totals(c.text, amounts):
        if spans is not None and not any(a <= total.keyword_start < b for a, b in spans):
            continue
        if len(total.items) < 2 or total.adds_up():
            continue
        items = total.items
        listed = sum((m.value for m in items), Decimal(0))
        near = total.slip_of()
        message = f"合计金额{total.amount.quote}与所列各项之和不符"
        if near is not None:
            message += f"（所列金额之和为{yuan_text(near)}，疑为笔误）"
        c.add(
            "computation",
            items[0].start,
            total.amount.end,
            message,
            "所列各项：" + "＋".join(m.quote for m in items) + f"＝{yuan_text(listed)}",
            "error" if total.plain or near is not None else "warning",
        )
