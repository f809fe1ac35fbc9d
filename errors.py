"""One root exception, subclasses by intent (who can fix it)."""

from __future__ import annotations


class JudgeflowError(Exception):
    """Root of every error judgeflow raises on purpose; its message is shown to the user as is."""


class InputError(JudgeflowError):
    """Case materials or a command's input are unusable; the message says what to fix."""


class CaseNotFoundError(JudgeflowError):
    """No case with that id exists under JUDGEFLOW_HOME."""


class NotWaitingError(JudgeflowError):
    """A decision was given for a case that is not waiting at that checkpoint."""


class ConflictError(JudgeflowError):
    """Another decision or run holds the case, or got there first; reload and try again."""


class PermissionDeniedError(JudgeflowError):
    """The actor's role may not take this action under the case's policy."""


class EditValidationError(JudgeflowError):
    """A judge's edit does not validate against the step's schema; nothing was changed."""


class StatuteDataError(JudgeflowError):
    """The statute database is missing or lacks an article the flow needs."""
