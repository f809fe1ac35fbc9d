"""Cited articles against the statute database: does the article exist, does the text quoted for it
match, and was the law already repealed when the facts happened.

`citation_issues(text, as_of, store=...)` is the one door the checkers use: with a loaded knowledge
graph it asks the graph (`checking.graph_citations`, versions and repeals by date); without one it
reads the statute database through `knowledge_graph.statute_db.read_article`, as below.

Citations are found in the body (《中华人民共和国刑法》第二百六十四条、第五十二条…, with a quoted text
right after: 第五十八条“……”的规定) and in an appended statute list (附：《…》 第六十七条犯罪以后…).
Laws the database does not hold (judicial interpretations, repealed laws) cannot be checked for
existence or text; repealed laws are known from the repealing articles the database holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Literal

from judgeflow.errors import StatuteDataError
from judgeflow.knowledge_graph.statute_db import SHORT_NAMES, Article, read_article
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import parse_numeral

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

NUM = "[〇零一二三四五六七八九十百千0-9０-９]+"
LAW_RE = re.compile(r"《([^《》\n]{1,60})》")
ARTICLE_RE = re.compile(rf"第({NUM})条(之[一二三四五六七八九十]+)?")
PART_RE = re.compile(rf"第[（(]?{NUM}[）)]?[款项]|[（(]{NUM}[）)]项?|第[（(]?{NUM}[）)]?、")
SEP_RE = re.compile(r"[ \t]*(?:、|，|,|和|及|以及|与)?[ \t]*")
QUOTE_OPEN_RE = re.compile(r"(?:的|之)?(?:规定|明确规定)?[ \t]*[：:，,]?[ \t]*[“\"「]")
QUOTE_CLOSE = {"“": "”", '"': '"', "「": "」"}
APPENDIX_ENTRY_RE = re.compile(
    rf"(?:(?<=[\s》：:…。])|^)第({NUM})条(之[一二三四五六七八九十]+)?"
    rf"(?:第{NUM}款(?:(?:、|和|及)第?{NUM}款)*)?(?:第[（(]?{NUM}[）)]?项)?"
)
EFFECTIVE_RE = re.compile(r"本法自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")
REPEALED_NAMES_RE = re.compile(r"((?:[^。]*?《[^》]+》[、和及]?)+)同时废止")
# Articles in the database that repeal earlier laws by name ("……同时废止").
REPEALING_ARTICLES: tuple[tuple[str, int], ...] = (
    ("中华人民共和国民法典", 1260),
    ("中华人民共和国城乡规划法", 70),
    ("中华人民共和国企业破产法", 136),
    ("中华人民共和国出境入境管理法", 93),
    ("中华人民共和国医师法", 67),
    ("中华人民共和国外商投资法", 42),
    ("中华人民共和国监察法", 78),
    ("中华人民共和国预备役人员法", 65),
    ("中华人民共和国禁毒法", 71),
    ("中华人民共和国居民身份证法", 23),
    ("中华人民共和国企业所得税法", 60),
    ("中华人民共和国噪声污染防治法", 90),
)
# Repeals the database cannot show, because the repealing article is in a version it does not hold.
REPEALS_NOT_IN_DATABASE: tuple[tuple[str, str, str], ...] = (
    ("中华人民共和国经济合同法", "1999-10-01", "《中华人民共和国合同法》（1999年）第四百二十八条"),
    ("中华人民共和国涉外经济合同法", "1999-10-01", "《中华人民共和国合同法》（1999年）第四百二十八条"),
    ("中华人民共和国技术合同法", "1999-10-01", "《中华人民共和国合同法》（1999年）第四百二十八条"),
    ("中华人民共和国食品卫生法", "2009-06-01", "《中华人民共和国食品安全法》（2009年）第一百零四条"),
    (
        "中华人民共和国治安管理处罚条例",
        "2006-03-01",
        "《中华人民共和国治安管理处罚法》（2005年）第一百一十九条",
    ),
)
QUOTE_MATCH = 0.6  # share of a quote's character pairs the cited article must contain
MIN_QUOTE = 8
NEARBY = 20  # articles either side searched for the quoted text

IssueKind = Literal["no_such_article", "quote_mismatch", "repealed", "not_in_force", "missing_part"]


@dataclass(frozen=True)
class Citation:
    """One cited article: the law as written, the article label's place, and any text quoted for it."""

    law: str
    law_start: int
    law_end: int
    number: int
    suffix: str
    start: int
    end: int
    quote: str = ""
    quote_start: int = -1
    quote_end: int = -1


@dataclass(frozen=True)
class CitationIssue:
    """A problem with a citation, located in the text."""

    kind: IssueKind
    start: int
    end: int
    message: str
    evidence: str
    severity: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class RepealedLaw:
    """A law repealed by name, when, and by which article."""

    name: str
    repealed_on: date
    repealed_by: str
    evidence: str


def article_number(text: str) -> int | None:
    """第N条's N, in Arabic or Chinese numerals."""
    try:
        value = parse_numeral(text)
    except ToolInputError:
        return None
    return int(value) if value == value.to_integral_value() and value > 0 else None


def _quote_after(text: str, pos: int) -> tuple[str, int, int] | None:
    m = QUOTE_OPEN_RE.match(text, pos)
    if m is None or m.end() - pos > 10:
        return None
    close = text.find(QUOTE_CLOSE[text[m.end() - 1]], m.end())
    if close < 0 or close - m.end() > 2000:
        return None
    return text[m.end() : close], m.end(), close


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """Every article cited after a law in 《》 in text[start:end], lists included; a quoted text right after
    a single cited article is kept with it."""
    stop = len(text) if end is None else end
    out: list[Citation] = []
    for law in LAW_RE.finditer(text, start, stop):
        pos = law.end()
        chain: list[Citation] = []
        while pos < stop:
            sep = SEP_RE.match(text, pos)
            at = sep.end() if sep else pos
            art = ARTICLE_RE.match(text, at)
            if art is not None:
                number = article_number(art.group(1))
                if number is not None:
                    chain.append(
                        Citation(
                            law.group(1), law.start(1), law.end(1), number, art.group(2) or "", *art.span()
                        )
                    )
                pos = art.end()
                continue
            part = PART_RE.match(text, at)
            if part is None or (at > pos and not chain):
                break
            pos = part.end()
        if len(chain) == 1 and (quote := _quote_after(text, pos)) is not None:
            c = chain[0]
            chain[0] = Citation(c.law, c.law_start, c.law_end, c.number, c.suffix, c.start, c.end, *quote)
        out += chain
    return out


def appendix_citations(text: str, start: int, end: int) -> list[Citation]:
    """The entries of an appended statute list: each article label with the text that follows it."""
    out: list[Citation] = []
    law: re.Match[str] | None = None
    marks: list[tuple[int, re.Match[str]]] = [(m.start(), m) for m in LAW_RE.finditer(text, start, end)]
    marks += [(m.start(), m) for m in APPENDIX_ENTRY_RE.finditer(text, start, end)]
    marks.sort(key=lambda item: item[0])
    for (_, m), nxt in zip(marks, [*marks[1:], (end, None)], strict=True):
        if m.re is LAW_RE:
            law = m
            continue
        number = article_number(m.group(1))
        if law is None or number is None:
            continue
        body_end = nxt[0]
        quote = text[m.end() : body_end].strip()
        q_start = m.end() + (len(text[m.end() : body_end]) - len(text[m.end() : body_end].lstrip()))
        out.append(
            Citation(
                law.group(1),
                law.start(1),
                law.end(1),
                number,
                m.group(2) or "",
                m.start(),
                m.start() + len(m.group(0)),
                quote,
                q_start,
                q_start + len(quote),
            )
        )
    return out


# ---------------------------------------------------------------- the statute database


def _full_names(law: str) -> list[str]:
    name = law.strip()
    if name in SHORT_NAMES:
        return [SHORT_NAMES[name]]
    return [name] if name.startswith("中华人民共和国") else [name, "中华人民共和国" + name]


@cache
def _article(full: str, number: int) -> Article | None:
    try:
        return read_article(full, number)
    except StatuteDataError:
        return None


def law_in_database(law: str) -> str | None:
    """The full name under which the database holds a law, or None."""
    return next((full for full in _full_names(law) if _article(full, 1) is not None), None)


def statute_article(law: str, number: int) -> Article | None:
    """Article `number` of `law` as the database holds it, or None."""
    full = law_in_database(law)
    return _article(full, number) if full else None


def _iso(text: str) -> date:
    return date.fromisoformat(text)


@cache
def repealed_laws() -> dict[str, RepealedLaw]:
    """Laws repealed by name, read from the repealing articles in the database (and the few repeals
    whose repealing text the database does not hold)."""
    table: dict[str, RepealedLaw] = {}
    for law, number in REPEALING_ARTICLES:
        article = _article(law, number)
        if article is None:
            continue
        when = EFFECTIVE_RE.search(article.text)
        names = REPEALED_NAMES_RE.search(article.text)
        if when is None or names is None:
            continue
        on = date(int(when.group(1)), int(when.group(2)), int(when.group(3)))
        label = f"《{article.law}》{article.label}"
        for name in LAW_RE.findall(names.group(1)):
            if name != article.law:
                table[name] = RepealedLaw(name, on, label, f"{label}：{article.text.strip()}")
    for name, on_text, label in REPEALS_NOT_IN_DATABASE:
        table.setdefault(name, RepealedLaw(name, _iso(on_text), label, f"{label}规定该法自{on_text}起废止"))
    return table


def repealed(law: str) -> RepealedLaw | None:
    """The repeal of a law cited by full or short name, if it was repealed by name."""
    table = repealed_laws()
    return next((table[n] for n in _full_names(law) if n in table), None)


# ---------------------------------------------------------------- comparing quoted text


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def quote_agreement(quote: str, article_text: str) -> float:
    """Share of the quote's character pairs that the article text contains (1.0 = all)."""
    q, a = _letters(quote), _letters(article_text)
    pairs = [q[i : i + 2] for i in range(len(q) - 1)]
    if not pairs:
        return 1.0
    known = {a[i : i + 2] for i in range(len(a) - 1)}
    return sum(p in known for p in pairs) / len(pairs)


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _version_after(article: Article, as_of: date | None) -> bool:
    """True when the database's version took effect after `as_of` (an earlier text may have applied)."""
    if as_of is None or not article.effective_date:
        return False
    try:
        return _iso(article.effective_date[:10]) > as_of
    except ValueError:
        return False


def _check(c: Citation, facts_date: date | None, judged: date | None) -> list[CitationIssue]:
    out: list[CitationIssue] = []
    gone = repealed(c.law)
    if gone is not None and facts_date is not None and gone.repealed_on <= facts_date:
        out.append(
            CitationIssue(
                "repealed",
                c.law_start,
                c.law_end,
                f"《{c.law}》已于{_cn_date(gone.repealed_on)}废止，早于本案事实发生之日（{_cn_date(facts_date)}）",
                gone.evidence,
            )
        )
    full = law_in_database(c.law)
    if full is None:
        return out
    article = _article(full, c.number)
    label = f"第{c.number}条{c.suffix}"
    if article is None:
        out.append(
            CitationIssue(
                "no_such_article",
                c.start,
                c.end,
                f"《{c.law}》没有{text_label(c)}（法条数据库中无此条）",
                f"法条数据库：《{full}》无{label}",
            )
        )
        return out
    if c.suffix or len(_letters(c.quote)) < MIN_QUOTE:
        return out
    # An appended list runs on to whatever follows its last entry: compare no more than an article's length.
    quote = c.quote[: len(article.text) + 20]
    score = quote_agreement(quote, article.text)
    if score >= QUOTE_MATCH:
        return out
    # A nearby article with the quoted text points to renumbering between versions of the law (the
    # database holds one version) as much as to a wrong number: that is for the judge to look at.
    around = [k for k in range(c.number - NEARBY, c.number + NEARBY + 1) if k > 0 and k != c.number]
    scored = [
        (quote_agreement(quote, other.text), -abs(k - c.number), other)
        for k in around
        if (other := _article(full, k)) is not None
    ]
    best = max(scored, key=lambda item: item[:2], default=None)
    nearby = best[2] if best is not None and best[0] >= QUOTE_MATCH else None
    older = _version_after(article, judged)
    agreement = Decimal(score).quantize(Decimal("0.01"))
    message = f"所引条文内容与《{full}》{article.label}不符（相符度{agreement}）"
    if nearby is not None:
        message += f"，而与现行文本{nearby.label}相符：可能是修订前后条文序号不同，也可能引错条文"
    elif older:
        message += "；数据库所存为其后施行的版本，请核对当时有效的文本"
    out.append(
        CitationIssue(
            "quote_mismatch",
            c.start,
            c.end,
            message,
            f"《{full}》{article.label}：{article.text.strip()[:300]}",
            "warning" if nearby is not None or older else "error",
        )
    )
    return out


def text_label(c: Citation) -> str:
    """第N条 as the citation wrote it (its Chinese form is not rebuilt)."""
    return f"第{c.number}条{c.suffix}"


def citation_issues(
    text: str,
    facts_date: date | None,
    judged: date | None = None,
    appendix: tuple[int, int] | None = None,
    store: GraphStore | None = None,
    facts_end: date | None = None,
) -> list[CitationIssue]:
    """Problems with the citations in `text`: articles the database lacks, quoted text that contradicts
    the cited article, laws repealed on or before `facts_date`. `judged` is the judgment's date (a quote
    may follow a version older than the database's); `appendix` is an appended statute list, if any.
    With a `store` (a loaded knowledge graph) the graph answers instead, with the facts running from
    `facts_date` to `facts_end` (the same day when not given)."""
    body_end = appendix[0] if appendix else len(text)
    if store is not None:
        from judgeflow.agents.checking.graph_citations import graph_citation_issues

        listed = appendix_citations(text, *appendix) if appendix else []
        return graph_citation_issues(
            store, text, (facts_date, facts_end or facts_date), judged, body_end, listed
        )
    cited = find_citations(text, 0, body_end)
    if appendix:
        cited += appendix_citations(text, *appendix)
    issues: dict[tuple[str, int, int], CitationIssue] = {}
    for c in cited:
        for issue in _check(c, facts_date, judged):
            issues.setdefault((issue.kind, issue.start, issue.end), issue)
    return list(issues.values())
