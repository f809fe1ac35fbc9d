"""Chinese word segmentation for full-text search (jieba), the same for stored text and queries.

FalkorDB's full-text index (RediSearch) does not segment Chinese, so articles keep a segmented
copy (`Article.text_seg`, words separated by spaces) and queries are segmented the same way.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

_WORD_RE = re.compile(r"[\w]", re.UNICODE)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba  # type: ignore[import-untyped]

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """The words of `text` (jieba, precise mode), without punctuation and whitespace."""
    return [w for w in _jieba().lcut(text or "", HMM=False) if _WORD_RE.search(w)]


def segment(text: str) -> str:
    """`text` as space-separated words, the form stored in Article.text_seg."""
    return " ".join(words(text))
