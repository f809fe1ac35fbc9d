"""Turn the checkpoint pages' forms into edit decisions in the format of docs/EDITS.md.

The pages show every editable value; only what the judge actually changed goes into the edit
(a patch by id), so the stored diff and the adoption statistics reflect the judge's work and
nothing else. An empty result means "nothing changed".

Form field names: `fact:F3:value`, `syl:S1:conclusion.text`, `syl:S1:ca:0:response`,
`section:本院认为`, `remove` (statute ids, repeated), `add_law` / `add_article` / `add_claims` /
`add_reason`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from judgeflow.errors import InputError
from judgeflow.graph.state import CaseState, CheckpointName

FACT_FIELDS = ("label", "value")
SYLLOGISM_TEXT_FIELDS = ("issue", "reasoning")
CONCLUSION_FIELDS = ("disposition", "text", "award", "order")
COUNTER_FIELDS = ("party", "argument", "response")
ID_SPLIT = re.compile(r"[\s,，、;；]+")


def _text(form: Mapping[str, str], key: str, default: str) -> str:
    value = form.get(key)
    # Browsers send textarea newlines as CRLF; only ASCII blanks are trimmed (court text keeps its 　 indents).
    return default if value is None else value.replace("\r\n", "\n").replace("\r", "\n").strip(" \n\t")


def _ids(text: str) -> list[str]:
    return [part for part in ID_SPLIT.split(text) if part]


def facts_edit(state: CaseState, form: Mapping[str, str]) -> dict[str, Any]:
    """`{"facts": {id: {field: new}}}` for the facts whose label or value changed."""
    patch: dict[str, dict[str, str]] = {}
    for fact in state.facts:
        for field in FACT_FIELDS:
            old = getattr(fact, field)
            new = _text(form, f"fact:{fact.id}:{field}", old)
            if new != old:
                patch.setdefault(fact.id, {})[field] = new
    return {"facts": patch} if patch else {}


def statutes_edit(state: CaseState, form: Mapping[str, str], removed: Sequence[str]) -> dict[str, Any]:
    """`{"add": [...], "remove": [...]}` from the remove boxes and the add-an-article fields."""
    edit: dict[str, Any] = {}
    if removed:
        edit["remove"] = list(removed)
    law = _text(form, "add_law", "")
    article = _text(form, "add_article", "")
    if law or article:
        if not law or not article.isdigit():
            raise InputError("添加法条须同时填写法律名称和条号（阿拉伯数字），如 民法典 509")
        item: dict[str, Any] = {
            "law": law,
            "article": int(article),
            "claim_ids": _ids(_text(form, "add_claims", "")),
        }
        reason = _text(form, "add_reason", "")
        if reason:
            item["reason"] = reason
        edit["add"] = [item]
    return edit


def syllogisms_edit(state: CaseState, form: Mapping[str, str]) -> dict[str, Any]:
    """`{"syllogisms": {id: {changed parts}}}`: texts, premises, conclusion, counter-arguments."""
    patch: dict[str, dict[str, Any]] = {}
    for s in state.syllogisms:
        prefix = f"syl:{s.id}:"
        changes: dict[str, Any] = {}
        for field in SYLLOGISM_TEXT_FIELDS:
            new = _text(form, prefix + field, getattr(s, field))
            if new != getattr(s, field):
                changes[field] = new
        for field in ("major_premise", "minor_premise"):
            old_ids: list[str] = getattr(s, field)
            new_ids = _ids(_text(form, prefix + field, " ".join(old_ids)))
            if new_ids != old_ids:
                changes[field] = new_ids
        conclusion = {
            f: _text(form, f"{prefix}conclusion.{f}", getattr(s.conclusion, f)) for f in CONCLUSION_FIELDS
        }
        changed_conclusion = {f: v for f, v in conclusion.items() if v != getattr(s.conclusion, f)}
        if changed_conclusion:
            changes["conclusion"] = changed_conclusion
        counters = [
            {
                **ca.model_dump(mode="json"),
                **{f: _text(form, f"{prefix}ca:{n}:{f}", getattr(ca, f)) for f in COUNTER_FIELDS},
            }
            for n, ca in enumerate(s.counter_arguments)
        ]
        if counters != [ca.model_dump(mode="json") for ca in s.counter_arguments]:
            changes["counter_arguments"] = counters
        steps = {
            c.step_id: _text(form, f"{prefix}step:{c.step_id}", "")
            for c in s.computation
            if c.editable and c.step_id
        }
        set_steps = {step: value for step, value in steps.items() if value}
        if set_steps:
            changes["sentencing"] = set_steps  # criminal cases: recomputed from the judge's values
        if changes:
            patch[s.id] = changes
    return {"syllogisms": patch} if patch else {}


def draft_edit(state: CaseState, form: Mapping[str, str]) -> dict[str, Any]:
    """`{"sections": {name: new text}}` for the sections whose text changed."""
    if state.draft is None:
        return {}
    sections = {}
    for section in state.draft.sections:
        new = _text(form, f"section:{section.name}", section.text)
        if new != section.text:
            sections[section.name] = new
    return {"sections": sections} if sections else {}


def edit_from_form(
    checkpoint: CheckpointName, state: CaseState, form: Mapping[str, str], removed: Sequence[str] = ()
) -> dict[str, Any]:
    """The edit a checkpoint page's form describes (empty when nothing was changed)."""
    if checkpoint == "approve_facts":
        return facts_edit(state, form)
    if checkpoint == "approve_statutes":
        return statutes_edit(state, form, removed)
    if checkpoint == "approve_reasoning":
        return syllogisms_edit(state, form)
    return draft_edit(state, form)
