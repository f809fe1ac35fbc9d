"""Errors of the model backends, by intent."""

from __future__ import annotations

from judgeflow.errors import JudgeflowError


class ModelUnavailableError(JudgeflowError):
    """The model could not answer (server down, timeout, HTTP error, weights or extra missing).

    The step keeps its rules result and the trace names this error's message as the reason.
    """
