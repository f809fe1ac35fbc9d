"""Deterministic legal arithmetic: money, dates, rates, interest and court fees (no model involved)."""

from __future__ import annotations

from judgeflow.errors import JudgeflowError


class ToolInputError(JudgeflowError, ValueError):
    """A tool was given text or figures it cannot read; the message says which input and why."""
