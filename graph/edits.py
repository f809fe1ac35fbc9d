"""A judge's edit at a checkpoint: validated against the step's schema, applied, stored as a diff.

Edit files are JSON objects. For each checkpoint:

- approve_facts: `{"facts": {"F3": {"value": "45000.00"}}}` patches facts by id (details are merged);
  `{"facts": [ ...every fact... ]}` replaces the ledger. Changed facts take the judge as origin.
- approve_statutes: `{"add": [{"law": "民法典", "article": 509, "claim_ids": ["F20"]}], "remove": ["民法典:674"]}`;
  an added article's text is read from the statute database, never from the edit.
- approve_reasoning: `{"syllogisms": {"S2": {"conclusion": {"disposition": "不予支持", "text": "…", "order": ""}}}}`
  patches syllogisms by id; premises must name existing statute and fact ids. In criminal cases
  `{"syllogisms": {"S1": {"sentencing": {"starting_point": 8, "adj:自首": -0.3}}}}` sets sentencing
  steps and every proposal is recomputed from the judge's values.
- approve_draft: `{"sections": {"本院认为": "new text, paragraphs separated by newlines"}}`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from typing import Any

from judgeflow.agents.lookup_statutes import statute_ref
from judgeflow.errors import EditValidationError, StatuteDataError
from judgeflow.graph.state import (
    SECTION_ORDER,
    Actor,
    CaseState,
    CheckpointName,
    Draft,
    DraftSection,
    Fact,
    Origin,
    Sentence,
    Syllogism,
)
from judgeflow.knowledge_graph.statute_source import open_statute_source
from pydantic import BaseModel, ValidationError

EditResult = tuple[dict[str, Any], str]


def _dump(items: Sequence[BaseModel] | BaseModel | None) -> str:
    if items is None:
        return ""
    if isinstance(items, BaseModel):
        data: Any = items.model_dump(mode="json")
    else:
        data = [i.model_dump(mode="json") for i in items]
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def unified_diff(before: str, after: str, label: str) -> str:
    """Unified diff between two renderings of a step's output."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"{label} (machine)", f"{label} (judge)", lineterm=""
    )
    return "\n".join(lines)


def _merge(original: BaseModel, patch: dict[str, Any], what: str) -> dict[str, Any]:
    if not isinstance(patch, dict):
        raise EditValidationError(
            f"{what} 的修改内容必须是 JSON 对象（the patch for {what} must be an object）"
        )
    data = original.model_dump(mode="json")
    for key, value in patch.items():
        if key not in data:
            raise EditValidationError(f"{what} 没有字段 {key!r}（unknown field {key!r}）")
        if isinstance(data[key], dict) and isinstance(value, dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def _validated(model: type[BaseModel], data: Any, what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise EditValidationError(f"{what} 的修改未通过校验，未作任何更改：{problems}") from None


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise EditValidationError(f"{what} 编号重复：{item_id}（duplicate id）")
        seen.add(item_id)


def edit_facts(state: CaseState, replacement: dict[str, Any], actor: Actor) -> EditResult:
    """Patch or replace the fact ledger; changed facts take the judge as their origin."""
    spec = replacement.get("facts")
    judge = Origin(kind="human", name=str(actor))
    originals = {f.id: f for f in state.facts}
    if isinstance(spec, dict):
        unknown = [fid for fid in spec if fid not in originals]
        if unknown:
            raise EditValidationError(f"事实台账中没有这些编号：{', '.join(unknown)}（unknown fact ids）")
        new_facts = []
        for fact in state.facts:
            if fact.id in spec:
                data = _merge(fact, spec[fact.id], f"事实 {fact.id}")
                data["origin"] = judge.model_dump()
                new_facts.append(_validated(Fact, data, f"事实 {fact.id}"))
            else:
                new_facts.append(fact)
    elif isinstance(spec, list):
        new_facts = [_validated(Fact, item, f"第{n}项事实") for n, item in enumerate(spec, start=1)]
        _unique([f.id for f in new_facts], "事实")
        new_facts = [
            f.model_copy(update={"origin": judge}) if originals.get(f.id) != f else f for f in new_facts
        ]
    else:
        raise EditValidationError(
            '编辑文件须包含 "facts"：按编号修改的对象或完整列表（expected a "facts" key）'
        )
    return {"facts": new_facts}, unified_diff(_dump(state.facts), _dump(new_facts), "facts")


def edit_statutes(state: CaseState, replacement: dict[str, Any], actor: Actor) -> EditResult:
    """Add articles (text read from the database) or remove them from the list before the judge."""
    unknown_keys = set(replacement) - {"add", "remove"}
    if unknown_keys or not replacement:
        raise EditValidationError('法条编辑只接受 "add" 与 "remove"（expected "add" and/or "remove"）')
    remove = replacement.get("remove", [])
    additions = replacement.get("add", [])
    if not isinstance(remove, list) or not all(isinstance(sid, str) for sid in remove):
        raise EditValidationError('"remove" 须为法条编号（如 "民法典:674"）的列表')
    if not isinstance(additions, list):
        raise EditValidationError('"add" 须为列表，如 [{"law": "民法典", "article": 509}]')
    present = {s.id for s in state.statutes}
    missing = [sid for sid in remove if sid not in present]
    if missing:
        raise EditValidationError(f"待删除的法条不在列表中：{', '.join(missing)}")
    statutes = [s for s in state.statutes if s.id not in remove]
    claim_ids = {c.id for c in state.facts_of("claim")}
    for item in additions:
        if not isinstance(item, dict) or "law" not in item or "article" not in item:
            raise EditValidationError('新增法条须写成 {"law": "民法典", "article": 509}')
        source = open_statute_source()
        try:
            found = source.article(str(item["law"]), int(item["article"]))
        except (StatuteDataError, ValueError, TypeError) as exc:
            raise EditValidationError(f"无法添加法条：{exc}") from None
        finally:
            source.close()
        article = found.article
        targets = item.get("claim_ids", [])
        if not isinstance(targets, list) or any(t not in claim_ids for t in targets):
            raise EditValidationError(f"claim_ids 须为诉讼请求的事实编号：{sorted(claim_ids)}")
        statutes = [s for s in statutes if s.id != article.id]
        statutes.append(
            statute_ref(
                found,
                source.name,
                str(item.get("reason") or f"法官 {actor.name} 添加（检索路径：{found.path}）"),
                [str(t) for t in targets],
            )
        )
    return {"statutes": statutes}, unified_diff(_dump(state.statutes), _dump(statutes), "statutes")


def _recompute_sentencing(state: CaseState, spec: dict[str, Any]) -> tuple[CaseState, dict[str, Any]]:
    """Criminal cases: apply the judge's values for sentencing steps and recompute every proposal.

    `{"S1": {"sentencing": {"starting_point": 8, "adj:自首": -0.3}}}` sets steps of S1; the rest of
    each patch (e.g. a conclusion) is applied afterwards to the recomputed syllogism.
    """
    from judgeflow.agents.criminal.reasoning import propose_syllogisms
    from judgeflow.tools import ToolInputError

    overrides = {sid: dict(values) for sid, values in state.sentencing_overrides.items()}
    rest: dict[str, Any] = {}
    for sid, patch in spec.items():
        if not isinstance(patch, dict):
            raise EditValidationError(f"三段论 {sid} 的修改须为对象")
        values = patch.get("sentencing")
        if values is None:
            rest[sid] = patch
            continue
        if not isinstance(values, dict) or not values:
            raise EditValidationError(
                f'三段论 {sid} 的 "sentencing" 须为“步骤编号: 数值”的对象，如 {{"starting_point": 8}}'
            )
        for step_id, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise EditValidationError(f"量刑步骤“{step_id}”的值须为数字：{value!r}")
            try:
                number = float(value)
            except ValueError:
                raise EditValidationError(f"量刑步骤“{step_id}”的值须为数字：{value!r}") from None
            overrides.setdefault(sid, {})[str(step_id)] = f"{number:g}"
        others = {k: v for k, v in patch.items() if k != "sentencing"}
        if others:
            rest[sid] = others
    updated = state.model_copy(update={"sentencing_overrides": overrides})
    try:
        syllogisms, _ = propose_syllogisms(updated)
    except ToolInputError as exc:
        raise EditValidationError(f"量刑步骤的修改无法计算：{exc}") from None
    return updated.model_copy(update={"syllogisms": syllogisms}), rest


def edit_reasoning(state: CaseState, replacement: dict[str, Any], actor: Actor) -> EditResult:
    """Patch syllogisms by id; the judge's conclusions are recorded as the judge's.

    In criminal cases a patch may set sentencing steps (`"sentencing"`); the proposals are then
    recomputed from the judge's values before the other changes are applied.
    """
    spec = replacement.get("syllogisms")
    if not isinstance(spec, dict) or not spec:
        raise EditValidationError('编辑文件须包含 "syllogisms"：按编号（如 S1）修改的对象')
    by_id = {s.id: s for s in state.syllogisms}
    unknown = [sid for sid in spec if sid not in by_id]
    if unknown:
        raise EditValidationError(f"没有这些三段论编号：{', '.join(unknown)}（known: {', '.join(by_id)}）")
    original, judged = state, set(spec)
    if state.case_type == "criminal" and any(
        isinstance(p, dict) and "sentencing" in p for p in spec.values()
    ):
        state, spec = _recompute_sentencing(state, spec)
    statute_ids = {s.id for s in state.statutes}
    fact_ids = {f.id for f in state.facts}
    updated = []
    for syllogism in state.syllogisms:
        if syllogism.id not in spec:
            if syllogism.id in judged:  # its sentencing steps were set by the judge
                decided = syllogism.conclusion.model_copy(update={"decided_by": str(actor)})
                syllogism = syllogism.model_copy(update={"conclusion": decided})
            updated.append(syllogism)
            continue
        data = _merge(syllogism, spec[syllogism.id], f"三段论 {syllogism.id}")
        data["conclusion"]["decided_by"] = str(actor)
        new = _validated(Syllogism, data, f"三段论 {syllogism.id}")
        bad_statutes = [s for s in new.major_premise if s not in statute_ids]
        bad_facts = [f for f in new.minor_premise if f not in fact_ids]
        if bad_statutes or bad_facts:
            raise EditValidationError(
                f"三段论 {new.id} 引用了不存在的法条 {bad_statutes} 或事实 {bad_facts}；请先在前序节点添加"
            )
        updated.append(new)
    result: dict[str, Any] = {"syllogisms": updated}
    if state.sentencing_overrides != original.sentencing_overrides:
        result["sentencing_overrides"] = state.sentencing_overrides
    return result, unified_diff(_dump(original.syllogisms), _dump(updated), "syllogisms")


def edit_draft(state: CaseState, replacement: dict[str, Any], actor: Actor) -> EditResult:
    """Replace the text of named sections; the draft is then checked again before signing."""
    spec = replacement.get("sections")
    if state.draft is None:
        raise EditValidationError("尚无草稿可编辑（no draft yet）")
    if not isinstance(spec, dict) or not spec:
        raise EditValidationError('编辑文件须包含 "sections"：{"本院认为": "新文本"}')
    unknown = [name for name in spec if name not in SECTION_ORDER]
    if unknown or not all(isinstance(v, str) and v.strip() for v in spec.values()):
        raise EditValidationError(f"段落名须为 {'、'.join(SECTION_ORDER)} 之一，内容不能为空")
    sections = [
        DraftSection(name=s.name, sentences=[Sentence(text=p) for p in spec[s.name].split("\n") if p.strip()])
        if s.name in spec
        else s
        for s in state.draft.sections
    ]
    draft = Draft(
        title=state.draft.title, sections=sections, revision=state.draft.revision, edited_by=str(actor)
    )
    return {"draft": draft}, unified_diff(state.draft.text, draft.text, "draft")


EDITORS: dict[CheckpointName, Callable[[CaseState, dict[str, Any], Actor], EditResult]] = {
    "approve_facts": edit_facts,
    "approve_statutes": edit_statutes,
    "approve_reasoning": edit_reasoning,
    "approve_draft": edit_draft,
}


def apply_edit(
    state: CaseState, checkpoint: CheckpointName, replacement: dict[str, Any], actor: Actor
) -> EditResult:
    """Validate and apply an edit; returns the state update and the diff, or raises EditValidationError."""
    if not isinstance(replacement, dict):
        raise EditValidationError("编辑内容必须是 JSON 对象（the edit must be a JSON object）")
    return EDITORS[checkpoint](state, replacement, actor)
