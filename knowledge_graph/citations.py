"""Check every statute citation in a text against the graph: exists, in force, 款/项, quoted words.

For each citation found (citation_text.find_citations) the verdict is one of
  verified          the article exists in the version in force on the date, parts and quote agree
  not_found         no such law or no such article in it
  repealed          the law (or the article) has been repealed
  not_in_force_at   the law or the article was not yet in force on the date (`date` says which)
  text_mismatch     the words quoted after the citation (“……”) are not the article's words
  item_not_found    the cited 款 or 项 does not exist
  not_covered       the citation names a document the graph does not hold (a judicial
                    interpretation, a regulation): it cannot be checked here
with the span (start, end) in the text and the evidence for the verdict.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from judgeflow.errors import InputError
from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.article_numbers import chinese_numeral
from judgeflow.knowledge_graph.article_parts import split_paragraphs
from judgeflow.knowledge_graph.citation_text import CitationSpan, CitedPart, find_citations

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

Verdict = Literal[
    "verified", "not_found", "repealed", "not_in_force_at", "text_mismatch", "item_not_found", "not_covered"
]
VERDICTS: tuple[Verdict, ...] = (
    "verified",
    "not_found",
    "repealed",
    "not_in_force_at",
    "text_mismatch",
    "item_not_found",
    "not_covered",
)
_LAW_LIKE = re.compile(r"(法|法典)$")
_NOT_NORMATIVE_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)
_ELLIPSIS = re.compile(r"……|…|\.\.\.|⋯")
_DELETED = re.compile(r"^[（(]删去[）)]$")


@dataclass(frozen=True)
class CitationCheck:
    """The verdict on one citation, where it is in the text, and the evidence."""

    start: int
    end: int
    text: str
    law_as_written: str | None
    law: str | None
    article: str
    parts: tuple[CitedPart, ...]
    verdict: Verdict
    evidence: str
    article_id: str | None = None
    law_id: str | None = None
    date: str | None = None
    quote: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "law_as_written": self.law_as_written,
            "law": self.law,
            "article": self.article,
            "parts": [{"paragraph": p.paragraph, "item": p.item} for p in self.parts],
            "verdict": self.verdict,
            "evidence": self.evidence,
            "article_id": self.article_id,
            "law_id": self.law_id,
            "date": self.date,
            "quote": self.quote,
        }


def _as_of(value: dt.date | str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(f"日期格式应为 YYYY-MM-DD：{value!r}") from None


_NAMES_CACHE: dict[int, tuple[weakref.ref[Any], tuple[str, ...]]] = {}


def law_names(store: GraphStore) -> tuple[str, ...]:
    """Every name, short name and alias of the laws in the graph (cached per store)."""
    cached = _NAMES_CACHE.get(id(store))
    if cached is not None and cached[0]() is store:
        return cached[1]
    names: set[str] = set()
    for row in store.read(q.LAW_NAMES, {}):
        names.update(n for n in (row.get("name"), row.get("short_name")) if n and len(n) >= 2)
        names.update(a for a in (row.get("aliases") or []) if a and len(a) >= 2)
    result = tuple(sorted(names))
    _NAMES_CACHE[id(store)] = (weakref.ref(store), result)
    return result


def _normalize(text: str) -> str:
    return _NOT_NORMATIVE_TEXT.sub("", text)


def quote_matches(quote: str, text: str) -> bool:
    """True if every fragment of the quote (split at ……) occurs in the text, punctuation aside."""
    target = _normalize(text)
    fragments = [_normalize(f) for f in _ELLIPSIS.split(quote)]
    return all(f in target for f in fragments if f)


class _Checker:
    def __init__(self, store: GraphStore, date: str) -> None:
        self.store, self.date = store, date
        self._versions: dict[str, list[dict[str, Any]]] = {}

    def versions(self, name: str) -> list[dict[str, Any]]:
        if name not in self._versions:
            rows = self.store.read(q.LAW_VERSIONS_BY_NAME, {"name": name})
            if not rows and not name.startswith("中华人民共和国"):
                rows = self.store.read(q.LAW_VERSIONS_BY_NAME, {"name": "中华人民共和国" + name})
            self._versions[name] = [dict(r["law"]) for r in rows]
        return self._versions[name]

    def article(self, law_id: str, cite: CitationSpan) -> dict[str, Any] | None:
        rows = self.store.read(
            q.ARTICLE_IN_LAW, {"law_id": law_id, "number": cite.article.number, "suffix": cite.article.suffix}
        )
        return dict(rows[0]["article"]) if rows else None

    def check(self, cite: CitationSpan) -> CitationCheck:
        def verdict(v: Verdict, evidence: str, **kw: Any) -> CitationCheck:
            return CitationCheck(
                cite.start,
                cite.end,
                cite.text,
                cite.law if cite.law_form != "carried" else None,
                kw.pop("law", None),
                cite.article.label,
                cite.parts,
                v,
                evidence,
                quote=cite.quote,
                **kw,
            )

        if cite.law is None:
            return verdict(
                "not_found", "无法确定“本法/该法”所指的法律（the law of this citation is not named）"
            )
        versions = self.versions(cite.law)
        if not versions:
            return self._absent_law(cite, verdict)
        name = versions[0]["name"]
        live = [v for v in versions if v.get("status") != q.STATUS_REPEALED]
        if not live:
            return verdict(
                "repealed",
                f"《{name}》已废止（status {q.STATUS_REPEALED}）",
                law=name,
                law_id=versions[0]["id"],
            )
        in_force = [v for v in live if v.get("effective_date") and v["effective_date"] <= self.date]
        if not in_force:
            first = min(v.get("effective_date") or "9999" for v in live)
            return verdict(
                "not_in_force_at",
                f"《{name}》自{first}起施行，{self.date}尚未施行",
                law=name,
                law_id=live[0]["id"],
                date=self.date,
            )
        version = max(in_force, key=lambda v: (v["effective_date"], v.get("version_date") or ""))
        art = self.article(version["id"], cite)
        if art is None:
            later = [v for v in live if v not in in_force and self.article(v["id"], cite) is not None]
            if later:
                return verdict(
                    "not_in_force_at",
                    f"《{name}》{cite.article.label}见于{later[0]['effective_date']}"
                    f"起施行的版本，{self.date}尚未施行",
                    law=name,
                    law_id=later[0]["id"],
                    date=self.date,
                )
            return verdict(
                "not_found",
                f"《{name}》（{version['effective_date']}施行的版本）没有{cite.article.label}",
                law=name,
                law_id=version["id"],
            )
        kw = {"law": name, "law_id": version["id"], "article_id": art["id"]}
        text = art.get("text") or ""
        if art.get("status") == q.STATUS_REPEALED or _DELETED.match(text.strip()):
            return verdict("repealed", f"{cite.article.label}已删去或废止：{text[:40]}", **kw)
        if art.get("effective_date") and art["effective_date"] > self.date:
            return verdict(
                "not_in_force_at",
                f"{cite.article.label}自{art['effective_date']}起施行",
                date=self.date,
                **kw,
            )
        part_text, missing = self._parts(cite, text)
        if missing:
            return verdict("item_not_found", missing, **kw)
        if cite.quote is not None and not quote_matches(cite.quote, part_text or text):
            return verdict(
                "text_mismatch", f"引文“{cite.quote[:60]}”与{cite.article.label}原文不符：“{text[:80]}”", **kw
            )
        return verdict("verified", f"{cite.article.label}：{(part_text or text)[:80]}", **kw)

    def _parts(self, cite: CitationSpan, text: str) -> tuple[str | None, str | None]:
        """The cited parts' text (None if no part is cited) and why a cited 款/项 does not exist."""
        if not cite.parts:
            return None, None
        paragraphs = split_paragraphs(text)
        texts = []
        for part in cite.parts:
            para = part.paragraph
            if para is None and part.item is not None:
                with_items = [p.number for p in paragraphs if p.items]
                para = with_items[0] if with_items else 1
            if para is None:
                continue
            if para > len(paragraphs):
                return None, f"{cite.article.label}只有{len(paragraphs)}款，没有第{chinese_numeral(para)}款"
            chosen = paragraphs[para - 1]
            if part.item is not None:
                if part.item > len(chosen.items):
                    return None, (
                        f"{cite.article.label}第{chinese_numeral(para)}款只有{len(chosen.items)}项，"
                        f"没有第（{chinese_numeral(part.item)}）项"
                    )
                texts.append(chosen.items[part.item - 1])
            else:
                texts.append(chosen.full_text)
        return "\n".join(texts), None

    def _absent_law(self, cite: CitationSpan, verdict: Callable[..., CitationCheck]) -> CitationCheck:
        law = cite.law or ""
        rows = self.store.read(q.REPEALED_LAW_BY_NAME, {"name": law})
        if not rows and not law.startswith("中华人民共和国"):
            rows = self.store.read(q.REPEALED_LAW_BY_NAME, {"name": "中华人民共和国" + law})
        if rows:
            row = rows[0]
            by = f"{row['repealed_by_law']}{row['repealed_by_label']}"
            if self.date >= row["repealed_on"]:
                return verdict(
                    "repealed", f"《{row['name']}》自{row['repealed_on']}起废止（{by}）", law=row["name"]
                )
            return verdict(
                "not_found",
                f"《{row['name']}》于{row['repealed_on']}废止（{by}），库中无其条文，无法核对",
                law=row["name"],
            )
        if _LAW_LIKE.search(law):
            return verdict("not_found", f"图谱中没有这部法律：《{law}》")
        return verdict("not_covered", f"《{law}》不在法规库中（库内只有法律、宪法和立法解释），无法核对")


def check_citations(store: GraphStore, text: str, as_of: dt.date | str | None = None) -> list[CitationCheck]:
    """The verdict on every statute citation in `text`, checked against the law in force on `as_of`."""
    if not isinstance(text, str):
        raise InputError("待核对的文本必须是字符串")
    date = _as_of(as_of)
    checker = _Checker(store, date)
    return [checker.check(c) for c in find_citations(text, law_names(store))]


def article_text(store: GraphStore, article_id: str) -> str | None:
    """The full text of one article node (a verdict's evidence shows only its beginning), or None."""
    rows = store.read(q.ARTICLE_BY_ID, {"article_id": article_id})
    return str(rows[0]["article"].get("text") or "") if rows else None


def law_version_count(store: GraphStore, name: str) -> int:
    """How many versions of a law (by full or short name) the graph holds."""
    return len(store.read(q.LAW_VERSIONS_BY_NAME, {"name": name}))
