"""Which Criminal Law offences an organisation (单位) can commit, read from the articles' own text.

刑法第三十条: an organisation answers for an act only where the law says it is a 单位犯罪. The law says
so in two ways, and both are read here from the statute database rather than listed by hand:

- in the offence's own article: "单位犯前款罪的", "对单位判处罚金" (e.g. 第三百九十三条 单位行贿罪);
- in a clause for a whole section: "单位犯本节第三百三十八条至第三百四十五条规定之罪的" (第三百四十六条),
  "单位犯本节第一百九十四条、第一百九十五条规定之罪的" (第二百条).
"""

from __future__ import annotations

import re
from functools import lru_cache

from judgeflow.knowledge_graph.article_numbers import parse_numeral
from judgeflow.knowledge_graph.statute_db import connection

CRIMINAL_LAW = "中华人民共和国刑法"
UNIT_CLAUSES_QUERY = (
    "SELECT a.article_no, a.article_no_arabic, a.article_text FROM articles a "
    "WHERE a.law_name = ? AND a.status IN ('现行有效', '已被修改') "
    "AND (a.article_text LIKE '%单位犯%' OR a.article_text LIKE '%对单位判处罚金%') ORDER BY a.id"
)
_CN = r"[零一二三四五六七八九十百千]+"
_SECTION_RE = re.compile(rf"单位犯本节((?:第{_CN}条(?:之{_CN})?(?:至|、|和|或者)?)+)规定之罪")
_ARTICLE_RE = re.compile(rf"第({_CN})条(?:之({_CN}))?")


def _numbers(listing: str) -> set[str]:
    """'第二百一十三条至第二百一十九条之一' → {'213', …, '219', '219之一'}; '第194条、第195条' → both."""
    found = [(parse_numeral(m.group(1)), m.group(2), m.end()) for m in _ARTICLE_RE.finditer(listing)]
    out: set[str] = set()
    for i, (number, suffix, end) in enumerate(found):
        if number is None:
            continue
        out.add(f"{number}之{suffix}" if suffix else str(number))
        if listing[end : end + 1] == "至" and i + 1 < len(found) and found[i + 1][0] is not None:
            last = found[i + 1][0]
            assert last is not None
            out.update(str(n) for n in range(number, last + 1))
    return out


@lru_cache(maxsize=1)
def _clauses() -> dict[str, str]:
    """Article ('264', '133之一') → the article making an organisation liable for it."""
    out: dict[str, str] = {}
    rows = connection().execute(UNIT_CLAUSES_QUERY, (CRIMINAL_LAW,)).fetchall()
    for row in rows:
        label = str(row["article_no"])
        own = str(row["article_no_arabic"]) + (label[label.index("条") + 1 :] if "条之" in label else "")
        text = str(row["article_text"])
        section = _SECTION_RE.search(text)
        if section is not None:
            for article in _numbers(section.group(1)):
                out.setdefault(article, own)
        else:
            out.setdefault(own, own)
    return out


def unit_liability(article: str) -> str | None:
    """The article ('346') under which an organisation is liable for the offence of `article`, or None."""
    return _clauses().get(article)
