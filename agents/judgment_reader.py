"""Read a finished judgment (or any court text) into sections, parties and a fact ledger.

`judgeflow check` and `judgeflow facts` work on a text without a case run: this module finds the
judgment's sections (首部, 当事人, 审理经过, 诉辩意见 with 公诉机关指控, 经审理查明, 本院认为, 判决主文,
尾部 and an appended statute list), reads the parties from the header (原告/被告/第三人, 被告人 and
公诉机关 in criminal judgments, their particulars), and turns every amount, date, period and rate the
text states into a ledger fact with its span. A text with no section markers (a bare 经审理查明
paragraph) is read as facts throughout.

Offsets are always into the text as given: nothing is normalized before reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from judgeflow.agents.extraction.parties import ETHNICITY_RE
from judgeflow.graph.state import Fact, Origin, Span
from judgeflow.tools.amounts import AmountMatch, find_amounts, format_yuan
from judgeflow.tools.dates import CN_DATE_RE, PERIOD_RE, DateMatch, find_dates, iso, parse_period
from judgeflow.tools.rates import find_rates

ORIGIN = Origin(kind="document", name="rules:judgment_reader")
DOCUMENT_ID = "D1"
CENT = Decimal("0.01")

Part = Literal["首部", "当事人", "审理经过", "诉辩意见", "经审理查明", "本院认为", "判决主文", "尾部", "附录"]
# Sections whose statements are the record the court's own words are checked against.
RECORD_PARTS: frozenset[Part] = frozenset({"诉辩意见", "经审理查明"})
COURT_PARTS: frozenset[Part] = frozenset({"本院认为", "判决主文"})

CASE_NUMBER_RE = re.compile(r"[（(]\d{4}[）)][^，,。；\s（(）)]{1,30}?号")
TITLE_RE = re.compile(r"(?:刑事|民事|行政)?(?:附带民事)?(?:判决书|裁定书|调解书)")
# Where each section begins; the first hit after the previous section's start counts.
PART_STARTS: tuple[tuple[Part, re.Pattern[str]], ...] = (
    (
        "审理经过",
        re.compile(
            r"[^。\s]*(?:一案|提起公诉|起诉书指控|抗诉书|本院(?:于\d{4}年[^。]{0,12})?(?:立案|受理)|"
            r"向本院提起诉讼|诉至本院)"
        ),
    ),
    (
        "诉辩意见",
        re.compile(
            r"[^。\s，,]*(?:指控[，,：:\s]|指控称|诉称|向本院提出(?:诉讼|上诉)?请求|诉讼请求[：:]|辩称|上诉请求)"
        ),
    ),
    ("经审理查明", re.compile(r"(?:经审理|本院|再审|原审|一审|经审查|二审)?(?:审理)?查明")),
    ("本院认为", re.compile(r"本院认为")),
    ("判决主文", re.compile(r"判决如下[：:]?|裁定如下[：:]?")),
    (
        "尾部",
        re.compile(
            r"如不服本(?:判决|裁定)|本判决为终审判决|本裁定为终审裁定|(?<![\u4e00-\u9fff])审判长|(?<![\u4e00-\u9fff])审判员"
        ),
    ),
    (
        "附录",
        re.compile(
            r"(?<![\u4e00-\u9fff])附[：:]|附(?:本判决|本案)?(?:适用的|所引用的|相关的?)?(?:法律)?(?:条文|法条)"
        ),
    ),
)
HEAD_CHARS = 120  # the title stands in the first line
PROCEEDINGS_END_RE = re.compile(r"现已审理终结[。.]?|本案现已审理终结[。.]?")
ROLE_WORDS = (
    "附带民事诉讼原告人",
    "附带民事诉讼被告人",
    "原审被告人",
    "原审原告",
    "原审被告",
    "原审第三人",
    "被上诉人",
    "上诉人",
    "公诉机关",
    "抗诉机关",
    "被告人",
    "被害人",
    "法定代理人",
    "法定代表人",
    "委托诉讼代理人",
    "委托代理人",
    "诉讼代理人",
    "指定辩护人",
    "辩护人",
    "负责人",
    "第三人",
    "申请人",
    "被申请人",
    "原告",
    "被告",
)
_ROLE_ALT = "|".join(ROLE_WORDS)
HEADER_ENTRY_RE = re.compile(
    rf"(?:^|(?<=[。；;\s]))(?P<role>{_ROLE_ALT})[一二三四五六七八九十\d]*"
    r"(?:[（(][^）)\n]{1,16}[）)])?[：:]?[ \t]*"
    r"(?P<name>[^，,。；;：:（(\s]{1,40}?)(?=[，,。；;（(\s]|$)"
)
# Roles that are parties to the case (representatives and counsel are listed but are not parties).
NON_PARTY_ROLES = frozenset(
    {
        "被害人",
        "法定代理人",
        "法定代表人",
        "委托诉讼代理人",
        "委托代理人",
        "诉讼代理人",
        "指定辩护人",
        "辩护人",
        "负责人",
    }
)
PARTY_ROLES = frozenset(ROLE_WORDS) - NON_PARTY_ROLES
PARTICULARS_LINE_RE = re.compile(
    r"^[ \t\u3000]*(?P<role>原告|被告|第三人|上诉人|被上诉人|申请人|被申请人)[一二三四五六七八九十\d]*[：:][ \t]*"
    r"(?P<name>[^，,。；;：:（(\s]{1,40}?)(?=[，,。；;（(])",
    re.M,
)
PARTICULARS_WORD_RE = re.compile(r"男|女|出生|住|身份|法定代表人|统一社会信用代码|负责人")
ID_NUMBER_RE = re.compile(
    r"(?:公民身份号码|身份证号码|身份证号|居民身份证号码?|身份证)[：:为是]?\s*(?P<id>[0-9０-９Xx×*＊]{15,18})"
)
# A masked name ends in a digit (张x6, 曹0) and may run straight into a date in CJRC's paragraphs.
MASKED_NAME_RE = re.compile(r"[\u4e00-\u9fff][某xX×][0-9](?=[^0-9.,０-９])")
GLUED_YEAR_RE = re.compile(
    r"(?<=[\u4e00-\u9fffxX×*])\d(?=(?:19|20)\d\d年)|\d(?=(?:19|20)\d\d年\d{1,2}月\d{1,2}日)"
)


@dataclass(frozen=True)
class Section:
    """One section of the judgment: its name and where it lies."""

    name: Part
    start: int
    end: int


@dataclass
class HeaderParty:
    """A person or body the header lists, with the role and the particulars written there."""

    name: str
    role: str
    start: int
    end: int
    line_end: int
    details: dict[str, str] = field(default_factory=dict)

    @property
    def is_party(self) -> bool:
        """True for parties (原告, 被告人 …), False for representatives and counsel."""
        return self.role in PARTY_ROLES


@dataclass
class Judgment:
    """A judgment as read: its text, sections and header parties."""

    text: str
    kind: Literal["criminal", "civil", "other"]
    sections: list[Section]
    parties: list[HeaderParty]

    def part_at(self, pos: int) -> Part:
        """The section holding offset `pos` (经审理查明 for a text with no sections)."""
        for s in self.sections:
            if s.start <= pos < s.end:
                return s.name
        return "经审理查明" if not self.sections else "首部"

    def spans(self, *names: Part) -> list[tuple[int, int]]:
        """Where the named sections lie, in text order."""
        return [(s.start, s.end) for s in self.sections if s.name in names]

    def in_record(self, pos: int) -> bool:
        """True when `pos` is in what the parties said or the court found (the record)."""
        return self.part_at(pos) in RECORD_PARTS

    def in_court(self, pos: int) -> bool:
        """True when `pos` is in the court's own reasoning or orders."""
        return self.part_at(pos) in COURT_PARTS

    def body(self) -> list[tuple[int, int]]:
        """Where the parties are named in running text: every section but the title and the appended
        statutes, and the header too when it lists nobody (a title-like line in a fact paragraph)."""
        skip = {"首部", "附录"} | ({"当事人"} if self.parties else set())
        return [(s.start, s.end) for s in self.sections if s.name not in skip] or [(0, len(self.text))]

    def party(self, name: str) -> HeaderParty | None:
        """The header entry for a name, if any."""
        return next((p for p in self.parties if p.name == name), None)


def _kind(text: str) -> Literal["criminal", "civil", "other"]:
    head = text[:300]
    if "刑事" in head or "公诉机关" in text[:600] or "被告人" in head:
        return "criminal"
    if "民事" in head or "原告" in text[:600]:
        return "civil"
    return "other"


def _candidates(text: str, head_end: int, titled: bool) -> list[tuple[int, int]]:
    """(position, part index) of every place a section could begin, in text order (a text with no title
    has no proceedings part: 一案 in a fact paragraph is another case)."""
    proceedings_end = PROCEEDINGS_END_RE.search(text, head_end)
    out: list[tuple[int, int]] = []
    for index, (name, pattern) in enumerate(PART_STARTS):
        if name == "审理经过" and not titled:
            continue
        floor = proceedings_end.end() if name == "诉辩意见" and proceedings_end else head_end
        out += [(m.start(), index) for m in pattern.finditer(text, floor)]
    return sorted(set(out))


def _in_order(cands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of candidates whose sections come in the order judgments have them, each section
    at its earliest place that keeps the run longest."""
    n = len(cands)
    longest = [1] * n
    for i in range(n - 1, -1, -1):
        for k in range(i + 1, n):
            if cands[k][0] > cands[i][0] and cands[k][1] > cands[i][1]:
                longest[i] = max(longest[i], longest[k] + 1)
    chain: list[tuple[int, int]] = []
    need = max(longest, default=0)
    for i, cand in enumerate(cands):
        if need == 0:
            break
        after = not chain or (cand[0] > chain[-1][0] and cand[1] > chain[-1][1])
        if after and longest[i] == need:
            chain.append(cand)
            need -= 1
    return chain


def find_sections(text: str) -> list[Section]:
    """The judgment's sections in order; an empty list when the text has no section markers. A text with
    no title (a fact paragraph, a judgment's body) is read as facts up to its first marker."""
    title = TITLE_RE.search(text[:HEAD_CHARS])
    number = CASE_NUMBER_RE.search(text, title.end(), title.end() + 60) if title else None
    if number is None:
        title = None  # 判决书 mentioned in the facts is no title
    head_end = number.end() if number else 0
    starts: list[tuple[Part, int]] = [
        (PART_STARTS[index][0], pos)
        for pos, index in _in_order(_candidates(text, head_end, title is not None))
    ]
    if not starts:
        return []
    if head_end and starts[0][1] > head_end:
        starts.insert(0, ("当事人", head_end))
    if starts[0][1] > 0:
        starts.insert(0, ("首部" if title else "经审理查明", 0))
    out = []
    for (name, begin), nxt in zip(starts, [*starts[1:], ("尾部", len(text))], strict=True):
        if nxt[1] > begin:
            out.append(Section(name, begin, nxt[1]))
    return out


def _particulars(text: str, start: int, end: int) -> dict[str, str]:
    """Gender, birth date, ethnicity and ID number written after a party's name."""
    found: dict[str, str] = {}
    for part in re.split(r"[，,；;]", text[start:end]):
        part = part.strip()
        if part in ("男", "女", "男性", "女性"):
            found.setdefault("gender", part[0])
        elif "出生" in part or "生于" in part:
            dates = [d for d in find_dates(part) if d.precision == "day"]
            if dates:
                found.setdefault("birth_date", iso(dates[0].value))
        elif ETHNICITY_RE.match(part):
            found.setdefault("ethnicity", part)
        if m := ID_NUMBER_RE.search(part):
            found.setdefault("id_number", m.group("id"))
    return found


def read_parties(text: str, sections: list[Section]) -> list[HeaderParty]:
    """The persons and bodies listed in the header (当事人 section), in order."""
    header = next((s for s in sections if s.name == "当事人"), None)
    if header is None:
        return _particulars_lines(text)
    entries = [m for m in HEADER_ENTRY_RE.finditer(text, header.start, header.end) if m.group("name")]
    out: list[HeaderParty] = []
    for i, m in enumerate(entries):
        line_end = entries[i + 1].start() if i + 1 < len(entries) else header.end
        name = m.group("name").rstrip("。")
        if len(name) < 1:
            continue
        out.append(
            HeaderParty(
                name=name,
                role=m.group("role"),
                start=m.start("name"),
                end=m.start("name") + len(name),
                line_end=line_end,
                details=_particulars(text, m.end("name"), line_end),
            )
        )
    return out


def _particulars_lines(text: str) -> list[HeaderParty]:
    """Parties of a text without a judgment's header (a complaint, an answer): 原告：张伟，男，… lines."""
    out: list[HeaderParty] = []
    for m in PARTICULARS_LINE_RE.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if not PARTICULARS_WORD_RE.search(text, m.end(), line_end):
            continue
        name = m.group("name")
        out.append(
            HeaderParty(
                name=name,
                role=m.group("role"),
                start=m.start("name"),
                end=m.end("name"),
                line_end=line_end,
                details=_particulars(text, m.end("name"), line_end),
            )
        )
    return out


def read_judgment(text: str) -> Judgment:
    """Sections and header parties of a judgment text."""
    sections = find_sections(text)
    return Judgment(text=text, kind=_kind(text), sections=sections, parties=read_parties(text, sections))


# ---------------------------------------------------------------- the ledger


def yuan_value(value: Decimal) -> str:
    """An amount as the facts command prints it: "12000", "1234.50"."""
    cents = value.quantize(CENT)
    return f"{cents.quantize(Decimal(1)):f}" if cents == cents.to_integral_value() else f"{cents:f}"


def masked_names(text: str) -> set[str]:
    """Masked names with an index (胡某1, 张x6) written elsewhere in the text before a non-digit."""
    return set(MASKED_NAME_RE.findall(text))


def amounts(text: str) -> list[AmountMatch]:
    """Every amount in a text; where a masked name's index runs into the amount (胡某19000元 for 胡某1 and
    9000元) and the text names 胡某1 elsewhere, the index is not read as part of the amount."""
    names = masked_names(text)
    out: list[AmountMatch] = []
    for m in find_amounts(text):
        glued = next(
            (n for n in names if m.start >= 2 and text.startswith(n, m.start - 2) and len(n) > 2), None
        )
        if glued is not None:
            cut = m.start - 2 + len(glued)
            rest = find_amounts(text[cut : m.end])
            if rest and rest[0].start == 0 and rest[0].end == m.end - cut:
                out.append(AmountMatch(cut, m.end, text[cut : m.end], rest[0].value))
                continue
        out.append(m)
    return out


def all_dates(text: str) -> list[DateMatch]:
    """Every date in a text, also where a masked name's digit runs into the year (张x62011年…)."""
    found = find_dates(text)
    seen = {m.start for m in found}
    for glued in GLUED_YEAR_RE.finditer(text):
        start = glued.end()
        m = CN_DATE_RE.match(text[start : start + 16])
        if m is None or start in seen:
            continue
        for d in find_dates(m.group(0)):
            found.append(DateMatch(start + d.start, start + d.end, d.quote, d.value, d.precision))
            seen.add(start)
    return sorted(found, key=lambda d: d.start)


def _span(text: str, start: int, end: int) -> Span:
    return Span(document_id=DOCUMENT_ID, start=start, end=end, quote=text[start:end])


def _fact(number: int, kind: str, label: str, value: str, span: Span, **details: str) -> Fact:
    return Fact.model_validate(
        {
            "id": f"F{number}",
            "kind": kind,
            "label": label,
            "value": value,
            "details": {k: v for k, v in details.items() if v},
            "spans": [span],
            "origin": ORIGIN,
        }
    )


def judgment_ledger(judgment: Judgment) -> list[Fact]:
    """The facts a judgment text states: header parties, then every amount, date, period and rate in text
    order, each with its section (details["section"]) and span."""
    text = judgment.text
    facts: list[Fact] = []
    for p in judgment.parties:
        facts.append(
            _fact(
                len(facts) + 1,
                "party",
                p.role,
                p.name,
                _span(text, p.start, p.end),
                role=p.role,
                **p.details,
            )
        )
    items: list[tuple[int, str, str, str, int, dict[str, str]]] = []
    for a in amounts(text):
        items.append((a.start, "amount", "金额", format_yuan(a.value), a.end, {}))
    dates = all_dates(text)
    for d in dates:
        items.append((d.start, "date", "日期", iso(d.value, d.precision), d.end, {"precision": d.precision}))
    date_spans = [(d.start, d.end) for d in dates]
    for m in PERIOD_RE.finditer(text):
        if any(s <= m.start() < e for s, e in date_spans) or (
            m.group("unit") == "年" and m.group("n").isdigit()
        ):
            continue
        try:
            period = parse_period(m.group(0))
        except ValueError:
            continue
        items.append((m.start(), "period", "期间", str(period), m.end(), {}))
    for r in find_rates(text):
        items.append((r.start, "rate", "利率", f"{r.rate.annual.normalize():f}", r.end, {"stated": r.quote}))
    for start, kind, label, value, end, details in sorted(items, key=lambda i: (i[0], i[1])):
        facts.append(
            _fact(
                len(facts) + 1,
                kind,
                label,
                value,
                _span(text, start, end),
                section=judgment.part_at(start),
                **details,
            )
        )
    return facts


def facts_date(judgment: Judgment) -> date | None:
    """The earliest date of the facts (record sections, births excluded), for checking citations."""
    return facts_dates(judgment)[0]


def facts_dates(judgment: Judgment) -> tuple[date | None, date | None]:
    """The earliest and the latest date of the facts (record sections, births excluded)."""
    spans = judgment.spans(*RECORD_PARTS) or [(0, len(judgment.text))]
    found: list[date] = []
    for start, end in spans:
        for d in all_dates(judgment.text[start:end]):
            after = judgment.text[start + d.end : start + d.end + 3]
            if not after.startswith(("出生", "生")):
                found.append(d.value)
    return (min(found), max(found)) if found else (None, None)


def facts_json(facts: list[Fact]) -> list[dict[str, str | int]]:
    """The ledger as `judgeflow facts --json` prints it: one span per fact, amounts as plain yuan
    ("12000", "1234.50")."""
    out: list[dict[str, str | int]] = []
    for f in facts:
        span = f.spans[0]
        value = yuan_value(Decimal(f.value)) if f.kind == "amount" else f.value
        out.append(
            {
                "id": f.id,
                "kind": f.kind,
                "value": value,
                "start": span.start,
                "end": span.end,
                "quote": span.quote,
            }
        )
    return out
