"""Evidence: one fact per exhibit, from the exhibit list (证据目录) and the exhibits produced at the
hearing, with who submitted it, what it is to prove, and how the other side answered in 质证.

`admitted` is read from the opposing party's 质证 opinion on the exhibit's authenticity: "yes" when it
is not disputed (无异议, 认可 …), "disputed" when it is (有异议, 不认可 …), "no" when the court's
record says it is not accepted; the key is left out when the record says nothing. Objections that
accept authenticity but contest what the exhibit proves are kept in the `objection` detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from judgeflow.agents.extraction.context import Context
from judgeflow.agents.extraction.text import Draft, Side, Turn, make_span, trimmed
from judgeflow.graph.state import Document
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import parse_numeral

NUMBER = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
EXHIBIT_ITEM_RE = re.compile(rf"^[ \t\u3000]*(?:证据)?(?P<n>{NUMBER})[.、．：:]\s*", re.M)
NAME_LINE_RE = re.compile(r"证据名称[：:][ \t]*(?P<name>[^\n]+?)[ \t]*$", re.M)
PURPOSE_LINE_RE = re.compile(r"证明(?:目的|事项|内容|对象)[：:][ \t]*(?P<purpose>[^\n]+?)[ \t]*$", re.M)
PLAIN_NAME_RE = re.compile(r"(?P<name>[^，,；;\n]+?)(?:[，,]\s*证明(?P<purpose>[^\n]+?))?[ \t]*$", re.M)
SUBMITTER_RE = re.compile(r"提交人[：:][ \t]*(?P<who>[^\n]+)")
PARENTHESES_RE = re.compile(r"[（(][^）)]*[）)]")
NAME_TAIL_RE = re.compile(r"(?:一份|一组|各一份|原件|复印件)+$")
PRESENT_RE = re.compile(
    rf"证据(?P<n>{NUMBER})[，,：:、]\s*(?P<name>[^，,。；;：:\n]+?)(?:一份|一组)?[，,]\s*证明(?P<purpose>[^。；;\n]*)"
)
SUBMIT_RE = re.compile(
    rf"提交(?:证据)?(?:(?:{NUMBER})(?:份|组))?[：:]\s*(?P<name>[^，,。；;\n]+?)(?:一份|一组)?[，,]\s*证明(?P<purpose>[^。；;\n]*)"
)
REFERENCE_RE = re.compile(
    rf"证据(?P<list>(?:{NUMBER})(?:\s*(?:[、，,和及至到\-－—~]|至证据|到证据|、证据)\s*(?:{NUMBER}))*)"
)
CROSS_PROMPT_RE = re.compile(r"质证")
NOT_ACCEPTED_RE = re.compile(r"不予采信|不予采纳|不予确认")
POSITIVE_RE = re.compile(r"无异议|没有异议|没有意见|无意见|认可|属实|是我写的|是我签的|收到了|确认|真实")
NEGATIVE_RE = re.compile(r"有异议|不认可|不予认可|不真实|不予确认|不是我(?:写|签)|伪造|否认|不符")
NEGATIONS_OF_NEGATIVE = re.compile(r"无异议|没有异议|没有意见|无意见")
NEGATIONS_OF_POSITIVE = re.compile(r"不认可|不予认可|不真实|不予确认")
OTHER_ASPECT_RE = re.compile(r"证明目的|关联性|合法性|证明力")


@dataclass
class Exhibit:
    """One exhibit as read so far."""

    side: Side
    submitter: str
    number: int
    draft: Draft
    verdicts: list[str] = field(default_factory=list)
    objections: list[str] = field(default_factory=list)


def _number(text: str) -> int | None:
    """An exhibit number in Arabic or Chinese digits; None when it cannot be read (十十)."""
    try:
        return int(text) if text.isdigit() else int(parse_numeral(text))
    except ToolInputError:
        return None


def exhibit_name(raw: str) -> str:
    """An exhibit's name without notes in brackets or 一份/原件: "借条（原件）一份" → "借条"."""
    name = PARENTHESES_RE.sub("", raw).strip(" \t。，,；;")
    return NAME_TAIL_RE.sub("", name).strip() or raw.strip()


def _submitter(ctx: Context, doc: Document) -> tuple[Side, str]:
    m = SUBMITTER_RE.search(doc.text)
    who = m.group("who") if m else doc.text[:40]
    for side, role in (("defendant", "被告"), ("plaintiff", "原告")):
        for name in ctx.names(role):
            if name in who:
                return side, name  # type: ignore[return-value]
    if "被告" in who:
        names = ctx.names("被告")
        return "defendant", names[0] if len(names) == 1 else ""
    names = ctx.names("原告")
    return "plaintiff", names[0] if names else ""


def _new(ctx: Context, side: Side, submitter: str, number: int, name: str) -> Exhibit:
    draft = Draft("evidence", f"证据{number}", exhibit_name(name), {"submitted_by": submitter})
    return Exhibit(side, submitter, number, draft)


def _listed(ctx: Context) -> list[Exhibit]:
    """Exhibits of the exhibit lists: name, purpose, submitter."""
    exhibits: list[Exhibit] = []
    for doc in ctx.of_kind("证据目录"):
        side, submitter = _submitter(ctx, doc)
        marks = list(EXHIBIT_ITEM_RE.finditer(doc.text))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(doc.text)
            block = doc.text[m.end() : end]
            base = m.end()
            named = NAME_LINE_RE.search(block) or PLAIN_NAME_RE.match(block)
            number = _number(m.group("n"))
            if named is None or not named.group("name").strip() or number is None:
                continue
            exhibit = _new(ctx, side, submitter, number, named.group("name"))
            exhibit.draft.add(trimmed(doc, base + named.start("name"), base + named.end("name")).span())
            purpose = PURPOSE_LINE_RE.search(block)
            p_start, p_end = (
                (purpose.start("purpose"), purpose.end("purpose"))
                if purpose
                else (
                    (named.start("purpose"), named.end("purpose"))
                    if "purpose" in named.groupdict() and named.group("purpose")
                    else (-1, -1)
                )
            )
            if p_start >= 0:
                seg = trimmed(doc, base + p_start, base + p_end)
                exhibit.draft.details["purpose"] = seg.text
                exhibit.draft.add(seg.span())
            exhibits.append(exhibit)
    return exhibits


def _references(text: str) -> list[int]:
    """Exhibit numbers a 质证 opinion names: 证据一、证据二 / 证据1-3 / 证据一至证据三."""
    numbers: list[int] = []
    for m in REFERENCE_RE.finditer(text):
        tokens = re.findall(rf"({NUMBER})|(至|到|-|－|—|~)", m.group("list"))
        pending_range = False
        for number, dash in tokens:
            if dash:
                pending_range = True
                continue
            n = _number(number)
            if n is None:
                continue
            if pending_range and numbers:
                numbers += list(range(numbers[-1] + 1, n + 1))
            else:
                numbers.append(n)
            pending_range = False
    return list(dict.fromkeys(numbers))


def opinion(text: str) -> tuple[str, list[str]]:
    """A 质证 opinion read: ('yes' | 'disputed' | '', objections that do not dispute authenticity)."""
    positive = negative = False
    objections: list[str] = []
    pieces = [p.strip() for p in re.split(r"[，,；;。]", text) if p.strip()]
    for number, piece in enumerate(pieces):
        neg = bool(NEGATIVE_RE.search(NEGATIONS_OF_NEGATIVE.sub("", piece)))
        pos = bool(POSITIVE_RE.search(NEGATIONS_OF_POSITIVE.sub("", piece)))
        other_only = bool(OTHER_ASPECT_RE.search(piece)) and "真实性" not in piece and "三性" not in piece
        if neg and not other_only:
            negative = True
        elif not objections and (neg or (piece.startswith(("但", "但是")) and not pos)):
            objections.append("，".join(pieces[number:]))  # the objection and the reasons given for it
        elif pos and not other_only and not objections:
            positive = True
    return ("disputed" if negative else "yes" if positive else ""), objections


def _produced(ctx: Context, turn: Turn, exhibits: list[Exhibit]) -> list[Exhibit]:
    """Exhibits a party produces in a turn (adding spans to listed ones, creating the others)."""
    produced: list[Exhibit] = []
    text = turn.doc.text
    for m in PRESENT_RE.finditer(text, turn.start, turn.end):
        n = _number(m.group("n"))
        if n is None:
            continue
        exhibit = next((e for e in exhibits if e.side == turn.side and e.number == n), None)
        if exhibit is None:
            exhibit = _new(ctx, turn.side, turn.party, n, m.group("name"))
            exhibits.append(exhibit)
        exhibit.draft.add(trimmed(turn.doc, m.start(), m.end()).span())
        exhibit.draft.details.setdefault("purpose", m.group("purpose").strip())
        produced.append(exhibit)
    for m in SUBMIT_RE.finditer(text, turn.start, turn.end):
        n = 1 + sum(1 for e in exhibits if e.side == turn.side and e.submitter == turn.party)
        exhibit = _new(ctx, turn.side, turn.party, n, m.group("name"))
        exhibit.draft.add(trimmed(turn.doc, m.start("name"), m.end()).span())
        exhibit.draft.details["purpose"] = m.group("purpose").strip()
        exhibits.append(exhibit)
        produced.append(exhibit)
    return produced


def _cross_examination(ctx: Context, exhibits: list[Exhibit]) -> None:
    """Walk each hearing record: exhibits produced, the court's call for 质证, the other side's opinions."""
    for turns in ctx.turns.values():
        current: list[Exhibit] = []
        calling = False
        for turn in turns:
            if turn.side == "court":
                calling = bool(CROSS_PROMPT_RE.search(turn.text))
                if NOT_ACCEPTED_RE.search(turn.text):
                    for e in _named(turn, exhibits, None):
                        e.verdicts.append("no")
                continue
            if turn.side not in ("plaintiff", "defendant"):
                continue
            produced = _produced(ctx, turn, exhibits)
            if produced:
                current, calling = produced, False
                continue
            if not calling:
                continue
            targets = _named(turn, exhibits, turn.side) or [e for e in current if e.side != turn.side]
            if not targets:
                targets = [e for e in exhibits if e.side != turn.side]
            verdict, objections = opinion(turn.text)
            for e in targets:
                if verdict:
                    e.verdicts.append(verdict)
                e.objections += [f"{turn.party or turn.speaker}：{o}" for o in objections]
                e.draft.add(make_span(turn.doc, turn.start, turn.end))


def _named(turn: Turn, exhibits: list[Exhibit], own_side: Side | None) -> list[Exhibit]:
    numbers = _references(turn.text)
    return [e for e in exhibits if e.number in numbers and e.side != own_side]


def evidence(ctx: Context) -> list[Draft]:
    """One fact per exhibit, listed exhibits first, with submitter, purpose and the 质证 outcome."""
    exhibits = _listed(ctx)
    _cross_examination(ctx, exhibits)
    drafts = []
    for e in exhibits:
        if "no" in e.verdicts:
            e.draft.details["admitted"] = "no"
        elif "disputed" in e.verdicts:
            e.draft.details["admitted"] = "disputed"
        elif "yes" in e.verdicts:
            e.draft.details["admitted"] = "yes"
        if e.objections:
            e.draft.details["objection"] = "；".join(dict.fromkeys(e.objections))
        e.draft.details["index"] = str(e.number)
        drafts.append(e.draft)
    return drafts
