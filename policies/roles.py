"""Roles and what each may do (DESIGN §1): the judge decides, the clerk prepares, the reviewer reads."""

from __future__ import annotations

from typing import Literal

Action = Literal["run", "view", "decide", "sign", "export", "history", "delete"]

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # "delete": erase a case's content on a data-subject request (the audit entries stay).
    "judge": frozenset({"run", "view", "decide", "sign", "export", "history", "delete"}),
    "clerk": frozenset({"run", "view", "export", "history"}),
    "reviewer": frozenset({"view", "export", "history"}),
}

ROLE_NAMES_ZH: dict[str, str] = {"judge": "法官", "clerk": "书记员/法官助理", "reviewer": "审核人员"}


def may(role: str, action: Action) -> bool:
    """True when the role may take the action at all (the case policy may narrow it further)."""
    return action in ROLE_ACTIONS.get(role, frozenset())
