"""共同犯罪 read from the facts: the defendant acted together with others (刑法第二十五条).

Several defendants in one indictment are a joint crime by themselves; this reads the other case, a
defendant tried alone who acted with others whose cases are handled separately (伙同他人, 纠集,
结伙, 共同实施 …). A person merely named with 另案处理 — a drug buyer, someone given a place to take
drugs — is not an accomplice, so that word alone is not read.
"""

from __future__ import annotations

import re

_JOINT_RE = re.compile(
    r"伙同|纠集|结伙|合谋|共谋|与他人共同|"
    r"共同(?:实施|作案|盗窃|诈骗|抢劫|抢夺|殴打|贩卖|运输|开设|经营赌场|组织|敲诈|窃取|骗取|持械)"
)
_NEGATION = ("未", "没有", "不存在", "并非", "不是")


def read_joint_crime(text: str) -> tuple[int, int] | None:
    """The span of the first words saying the offence was committed with others, if any."""
    for m in _JOINT_RE.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()]
        if not any(word in before for word in _NEGATION):
            return m.start(), m.end()
    return None
