"""Roles and what each may do (DESIGN §1): the judge decides, the clerk prepares, the reviewer reads.

The administrator manages the workbench's accounts; an administrator account takes no part in a
case's decisions (decisions name a judge, clerk or reviewer).
"""

from __future__ import annotations

from typing import Literal

Action = Literal[
    "run",
    "view",
    "decide",
    "sign",
    "export",
    "export_real_names",
    "history",
    "delete",
    "stats",
    "manage_accounts",
]

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # "delete": erase a case's content on a data-subject request (the audit entries stay).
    # "export_real_names": an export that keeps personal data (the court's own file, the judgment
    # served on the parties); every other export is pseudonymized.
    "judge": frozenset(
        {"run", "view", "decide", "sign", "export", "export_real_names", "history", "delete", "stats"}
    ),
    "clerk": frozenset({"run", "view", "export", "history", "stats"}),
    "reviewer": frozenset({"view", "export", "history", "stats"}),
    "admin": frozenset({"view", "history", "stats", "manage_accounts"}),
}

ROLE_NAMES_ZH: dict[str, str] = {
    "judge": "法官",
    "clerk": "书记员/法官助理",
    "reviewer": "审核人员",
    "admin": "系统管理员",
}

ACTION_NAMES_ZH: dict[Action, str] = {
    "run": "立案并运行流程",
    "view": "查看案件",
    "decide": "在审批节点作出决定",
    "sign": "签发判决",
    "export": "导出案件材料（化名）",
    "export_real_names": "导出含真实个人信息的材料",
    "history": "查看办案轨迹",
    "delete": "删除案件内容",
    "stats": "查看采纳率统计",
    "manage_accounts": "管理账户",
}


def may(role: str, action: Action) -> bool:
    """True when the role may take the action at all (the case policy may narrow it further)."""
    return action in ROLE_ACTIONS.get(role, frozenset())
