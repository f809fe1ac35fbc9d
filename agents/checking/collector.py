"""Findings on one text: what is wrong, where (character offsets), how bad, and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from judgeflow.graph.state import Finding

FindingType = Literal["amount", "date", "party", "citation", "consistency", "decision", "computation"]
Severity = Literal["error", "warning", "info"]


@dataclass
class Collector:
    """Collects findings on `text`; a span already reported is not reported twice."""

    text: str = ""
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        kind: FindingType,
        start: int,
        end: int,
        message: str,
        evidence: str,
        severity: Severity = "error",
    ) -> None:
        """Record a finding at text[start:end]."""
        self.findings.append(
            Finding(type=kind, severity=severity, start=start, end=end, message=message, evidence=evidence)
        )

    def covered(self, start: int, end: int) -> bool:
        """True when a finding already points at this span or at a part of it (no need to say it twice);
        a broader finding (a whole order line) does not hide a precise one (its wrong amount)."""
        return any(start <= f.start and f.end <= end and f.start < f.end for f in self.findings)

    def sorted(self) -> list[Finding]:
        """The findings in text order."""
        return sorted(self.findings, key=lambda f: (f.start, f.end, f.type))
