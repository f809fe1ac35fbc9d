"""Full-text search over the segmented article text (Article.text_seg), for a free-text query.

The query is segmented exactly as the importer segmented the stored text (`segment.words`), cut
down to its content words, and sent through the store's dialect (RediSearch or Lucene syntax).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from judgeflow.knowledge_graph.segment import words

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

_CONTENT_RE = re.compile(r"^[\u4e00-\u9fff]{2,}$")
# Words of fact statements and questions that say nothing about which law applies.
STOPWORDS = frozenset(
    (
        "被告人",
        "被害人",
        "公诉机关",
        "检察院",
        "人民检察院",
        "指控",
        "经审理",
        "查明",
        "上述",
        "事实",
        "证据",
        "证实",
        "足以",
        "认定",
        "开庭",
        "审理",
        "过程",
        "无异议",
        "供述",
        "辩解",
        "证人",
        "证言",
        "辨认",
        "笔录",
        "照片",
        "户籍",
        "证明",
        "抓获",
        "经过",
        "情况",
        "说明",
        "人民币",
        "价值",
        "共计",
        "其中",
        "同日",
        "当日",
        "次日",
        "期间",
        "之后",
        "随后",
        "后来",
        "然后",
        "以及",
        "并且",
        "或者",
        "但是",
        "因为",
        "所以",
        "如果",
        "其他",
        "有关",
        "相关",
        "一个",
        "一次",
        "现场",
        "位于",
        "左右",
        "许多",
        "多次",
        "分别",
        "先后",
        "已经",
        "没有",
        "可以",
        "应当",
        "进行",
        "予以",
        "我们",
        "他们",
        "自己",
        "本人",
        "对方",
        "某某",
        "什么",
        "怎么",
        "如何",
        "是否",
        "请问",
        "咨询",
        "问题",
        "时候",
        "地方",
        "小区",
        "街道",
        "附近",
        "房间",
        "门口",
        "路口",
        "公司",
        "有限公司",
        "市场",
        "村民",
        "群众",
    )
)
MAX_TERMS = 30


def query_terms(text: str, limit: int = MAX_TERMS) -> list[str]:
    """Content words of a query, most frequent (then earliest) first."""
    found = [w for w in words(text) if _CONTENT_RE.match(w) and w not in STOPWORDS]
    counts = Counter(found)
    first = {w: i for i, w in reversed(list(enumerate(found)))}
    return sorted(counts, key=lambda w: (-counts[w], first[w]))[:limit]


def search_articles(store: GraphStore, terms: list[str], limit: int) -> list[dict[str, Any]]:
    """Articles whose segmented text matches any of `terms`, best first (rows of FULLTEXT_ARTICLES)."""
    query = store.dialect.fulltext_query(terms)
    if not query:
        return []
    return store.read(store.dialect.FULLTEXT_ARTICLES, {"query": query, "limit": limit})
