"""The text checks a draft shares with `judgeflow check`: impossible dates and reversed ranges, sums and
written-out calculations, interest and the legal ceiling, citations against the knowledge graph (or,
without one, the statute database) as of the facts' date, and ID numbers against the particulars written with them and in the ledger."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from judgeflow.agents.checking.arithmetic import check_calculations, check_totals
from judgeflow.agents.checking.citations import citation_issues
from judgeflow.agents.checking.collector import Collector
from judgeflow.agents.checking.interest import check_interest
from judgeflow.agents.checking.persons import check_id_number
from judgeflow.agents.checking.timeline import check_impossible, check_ranges
from judgeflow.agents.judgment_reader import ID_NUMBER_RE
from judgeflow.graph.state import CaseState
from judgeflow.tools.dates import find_dates

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

PARTY_LINE_RE = re.compile(
    r"^(?:原告|被告|第三人)[^：:\n]{0,8}[：:](?P<name>[^，。\n]+)(?P<rest>[^\n]*)$", re.M
)


def facts_began(state: CaseState) -> date | None:
    """The earliest date of the facts in the ledger (births left out): the 'as of' of citations."""
    found: list[date] = []
    for fact in state.facts:
        if fact.kind == "party":
            continue
        texts = [fact.value, *(v for k, v in fact.details.items() if k.endswith("date"))]
        for text in texts:
            try:
                found.append(date.fromisoformat(text))
            except ValueError:
                continue
    return min(found) if found else None


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_id_numbers(c: Collector, state: CaseState) -> None:
    """An ID number in a particulars line must agree with that line and with the ledger's."""
    parties = {p.value: p for p in state.facts_of("party")}
    for line in PARTY_LINE_RE.finditer(c.text):
        found = ID_NUMBER_RE.search(line.group("rest"))
        if found is None:
            continue
        number = found.group("id")
        at = line.start("rest") + found.start("id")
        party = parties.get(line.group("name").strip())
        rest = line.group("rest")
        gender = next((g for g in ("男", "女") if f"，{g}，" in f"{rest}，"), "")
        births = [
            d.value for d in find_dates(rest) if d.precision == "day" and "出生" in rest[d.end : d.end + 3]
        ]
        check_id_number(c, line.group("name"), number, at, births[0] if births else None, gender)
        known = party.details.get("id_number", "") if party else ""
        if (
            known
            and len(known) == len(number)
            and any(
                a != b and a.isalnum() and b.isalnum()
                for a, b in zip(known.upper(), number.upper(), strict=True)
            )
        ) and not c.covered(at, at + len(number)):
            c.add(
                "party",
                at,
                at + len(number),
                f"{line.group('name')}的身份证号码与台账不符",
                f"台账 {party.id if party else ''}：{known}",
            )


def contract_date(state: CaseState) -> date | None:
    """When the loan contract was concluded (the ledger's contract or loan date), for the interest ceiling."""
    for purpose in ("contract_date", "loan_date"):
        found = [d for f in state.facts_of("date", purpose=purpose) if (d := _iso(f.value)) is not None]
        if found:
            return min(found)
    return facts_began(state)


def citation_date(state: CaseState) -> date | None:
    """The date the cited law must have been in force on: the offence date in a criminal case, the
    contract or loan date in a civil one, else the earliest date of the facts."""
    if state.info.case_type == "criminal":
        found = [
            d for f in state.facts_of("date", purpose="offence_date") if (d := _iso(f.value)) is not None
        ]
        if found:
            return min(found)
        return facts_began(state)
    return contract_date(state)


def check_text_facts(
    c: Collector, state: CaseState, orders: tuple[int, int] | None = None, store: GraphStore | None = None
) -> None:
    """The shared text checks on a draft whose ledger is `state`; `orders` is where its 判决主文 is;
    `store` is the loaded knowledge graph that checks the citations (None: the statute database)."""
    dates = find_dates(c.text)
    check_impossible(c)
    check_ranges(c, dates)
    check_calculations(c)
    check_totals(c)
    check_interest(c, [orders] if orders else [], contract_date(state))
    for issue in citation_issues(c.text, citation_date(state), _iso(state.info.judgment_date), store=store):
        if not c.covered(issue.start, issue.end) and not _overlaps(c, issue.start, issue.end):
            c.add("citation", issue.start, issue.end, issue.message, issue.evidence, issue.severity)
    check_id_numbers(c, state)


def _overlaps(c: Collector, start: int, end: int) -> bool:
    return any(f.start < end and start < f.end and f.type == "citation" for f in c.findings)
