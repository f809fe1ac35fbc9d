"""All checks on a judgment text, without a case run (`judgeflow check`).

The ledger is read from the text itself (`agents.judgment_reader`): parties from the header, the
record from 诉称 / 辩称 / 公诉机关指控 / 经审理查明. The court's own sections (本院认为, 判决主文) are
checked against that record, the whole text against the knowledge graph when one is loaded (else the
statute database), the calendar and its own arithmetic. Every finding's offsets are into the text as given.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Literal

from judgeflow.agents.checking.arithmetic import (
    check_calculations,
    check_totals,
    find_bracketed_calculations,
    find_calculations,
)
from judgeflow.agents.checking.citations import citation_issues
from judgeflow.agents.checking.civil_consistency import check_civil_reasoning_against_orders
from judgeflow.agents.checking.collector import Collector
from judgeflow.agents.checking.consistency import check_reasoning_against_orders
from judgeflow.agents.checking.figures import check_figures
from judgeflow.agents.checking.graph_citations import graph_fallback, statute_graph
from judgeflow.agents.checking.interest import check_interest
from judgeflow.agents.checking.persons import (
    Person,
    check_id_number,
    check_mentions,
    inferred_people,
    mentions,
    whole_name,
)
from judgeflow.agents.checking.timeline import (
    check_birth,
    check_custody,
    check_impossible,
    check_ranges,
    check_signed_after,
    is_event,
)
from judgeflow.agents.judgment_reader import (
    RECORD_PARTS,
    Judgment,
    Part,
    all_dates,
    amounts,
    facts_date,
    facts_dates,
    read_judgment,
)
from judgeflow.graph.state import Finding
from judgeflow.tools.dates import DateMatch

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

FORMER_ROLE_RE = re.compile(r"[（(](?:原审|一审)?(?P<role>原告|被告|第三人|被告人)[）)]")


def signed_date(j: Judgment, dates: list[DateMatch]) -> DateMatch | None:
    """The date the judgment is signed: the last full date of its closing part."""
    tail = j.spans("尾部")
    if not tail:
        return None
    inside = [d for d in dates if tail[0][0] <= d.start < tail[0][1] and d.precision == "day"]
    return inside[-1] if inside else None


def _events(j: Judgment, dates: list[DateMatch], *parts: Part) -> list[DateMatch]:
    spans = j.spans(*parts)
    return [
        d
        for d in dates
        if d.precision == "day" and any(a <= d.start < b for a, b in spans) and is_event(j.text, d)
    ]


def _people(j: Judgment) -> list[Person]:
    out: list[Person] = []
    for p in j.parties:
        roles = {p.role}
        former = FORMER_ROLE_RE.search(j.text, p.start - 12, p.end + 12)
        if former and former.start() < p.end + 2:
            roles.add(former.group("role"))
        out.append(Person(p.name, frozenset(roles)))
    return out


def _check_people(c: Collector, j: Judgment, body: list[tuple[int, int]]) -> None:
    people = [p for p in _people(j) if len(p.name) <= 40]
    inferred = not any(p.roles & {"原告", "被告", "被告人", "原审被告人", "上诉人"} for p in people)
    if inferred:
        people = [
            Person(whole_name(j.text, p.name), p.roles) for p in inferred_people(mentions(j.text, body, []))
        ]
    # With a counterclaim (反诉) 原告 and 被告 name both parties in turn: roles cannot be checked, names can.
    roles = "反诉" not in j.text or j.kind == "criminal"
    check_mentions(c, people, body, criminal=j.kind == "criminal", inferred=inferred, roles=roles)


def _check_dates(c: Collector, j: Judgment, dates: list[DateMatch]) -> None:
    check_impossible(c)
    check_ranges(c, dates)
    check_custody(c, dates)
    signed = signed_date(j, dates)
    procedure = _events(j, dates, "当事人", "审理经过")
    record = _events(j, dates, *RECORD_PARTS) if j.kind == "criminal" else []
    if signed is not None:
        check_signed_after(c, signed, procedure + record)
    for p in j.parties:
        born = next(
            (d for d in dates if p.end <= d.start < p.line_end and j.text.startswith(("出生", "生"), d.end)),
            None,
        )
        if born is None:
            continue
        own = [d for d in procedure if p.end <= d.start < p.line_end]
        later = own + ([signed] if signed else []) + (record if p.role in ("被告人", "原审被告人") else [])
        check_birth(c, p.name, born, later)


def _check_particulars(c: Collector, j: Judgment) -> None:
    for p in j.parties:
        number = p.details.get("id_number", "")
        if not number:
            continue
        at = j.text.find(number, p.end, p.line_end)
        born = date.fromisoformat(p.details["birth_date"]) if "birth_date" in p.details else None
        if at >= 0:
            check_id_number(c, p.name, number, at, born, p.details.get("gender", ""))


def check_judgment_text(text: str, graph: GraphStore | Literal["auto"] | None = "auto") -> list[Finding]:
    """Every finding on a judgment text, offsets into `text`. Citations are checked through `graph`, a
    knowledge graph's store; "auto" (the default) uses the loaded graph when there is one, None the
    statute database."""
    if graph == "auto":
        with statute_graph() as (store, unavailable):
            findings = _check_text(text, store)
        if unavailable:
            findings.append(graph_fallback(unavailable))
        return findings
    return _check_text(text, graph)


def _check_text(text: str, store: GraphStore | None) -> list[Finding]:
    j = read_judgment(text)
    c = Collector(text)
    dates = all_dates(text)
    found = amounts(text)
    appendix = j.spans("附录")
    body = j.body()
    _check_dates(c, j, dates)
    signed = signed_date(j, dates)
    began, ended = facts_dates(j)
    for issue in citation_issues(
        text, began, signed.value if signed else None, appendix[0] if appendix else None, store, ended
    ):
        c.add("citation", issue.start, issue.end, issue.message, issue.evidence, issue.severity)
    check_calculations(c)
    check_totals(c, amounts=found)
    check_interest(c, j.spans("判决主文") or None, facts_date(j))
    record = [m for m in found if j.in_record(m.start)]
    court = [m for m in found if j.in_court(m.start)]
    calculations = find_calculations(text) + find_bracketed_calculations(text)
    computed_with = {m.value for m in court if any(k.start <= m.start < k.end for k in calculations)}
    check_figures(c, record, court, computed_with=computed_with)
    _check_people(c, j, body)
    _check_particulars(c, j)
    reasoning, orders = j.spans("本院认为"), j.spans("判决主文")
    parts = (reasoning[0] if reasoning else None, orders[0] if orders else None)
    if j.kind == "criminal":
        check_reasoning_against_orders(c, *parts)
    else:
        check_civil_reasoning_against_orders(c, *parts)
    return c.sorted()
