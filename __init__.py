"""judgeflow: judge-in-the-loop drafting of Chinese court judgments (裁判文书)."""

__version__ = "0.1.0"
