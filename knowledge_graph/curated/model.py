"""The curated layers as typed records, read from the JSON files next to this module.

Charges (罪名), sentencing circumstances (量刑情节), civil causes of action (案由) and laws repealed
outside the statute database. Each file says in its `about` where its entries come from; each entry
names the articles it links to and an `anchor` phrase the linked article's text must contain, so
the loader can refuse a mapping that disagrees with the graph.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from judgeflow.knowledge_graph.article_numbers import ArticleNumber, parse_article_number
from pydantic import BaseModel, ConfigDict, Field

CRIMINAL_LAW = "中华人民共和国刑法"

Trigger = Literal[
    "fine",
    "probation",
    "fixed_term",
    "detention",
    "surveillance",
    "deprivation",
    "confiscation",
    "several_charges",
    "several_defendants",
    "drug_charge",
    "proceeds",
]


class ArticleLink(BaseModel):
    """An article (and optionally one 款) a curated entry links to."""

    model_config = ConfigDict(frozen=True)

    law: str = CRIMINAL_LAW
    article: str = Field(description="number with optional suffix: '264', '133之一'")
    paragraph: int | None = None
    scale: float = Field(1.0, ge=0, le=1, description="share of the entry's weight this article gets")

    @property
    def number(self) -> ArticleNumber:
        """The parsed article number."""
        parsed = parse_article_number(self.article)
        if parsed is None:
            raise ValueError(f"bad article number in curated data: {self.article!r}")
        return parsed

    @property
    def label(self) -> str:
        """'刑法第264条' / '刑法第303条第2款' for paths and reports."""
        short = self.law.removeprefix("中华人民共和国")
        para = f"第{self.paragraph}款" if self.paragraph else ""
        return f"{short}{self.number.short}{para}"


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    anchor: str
    strong: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


class ConcreteForm(BaseModel):
    """The name a judgment gives a selective charge (选择性罪名) when the facts show only some acts.

    `all` lists regular expressions that must each match the present facts for this form.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    all: tuple[str, ...]


class Charge(_Entry):
    """A criminal charge and the Criminal Law article(s) defining it."""

    defined_by: tuple[ArticleLink, ...]
    penalty: ArticleLink | None = None
    # Selective charges: the forms judgments use, most specific combination first.
    concrete: tuple[ConcreteForm, ...] = ()

    @property
    def penalty_link(self) -> ArticleLink:
        """Where the statutory penalty is stated (the first defining article unless said otherwise)."""
        return self.penalty or self.defined_by[0]

    @property
    def names(self) -> tuple[str, ...]:
        """The charge's name and the shorter forms judgments use."""
        return (self.name, *self.aliases)


class CuePrior(BaseModel):
    """How likely a court cites the governing article when a strong / only a weak cue is present."""

    model_config = ConfigDict(frozen=True)

    strong: float = Field(0.6, ge=0, le=1)
    cue: float = Field(0.2, ge=0, le=1)
    base: float = Field(0.0, ge=0, le=1, description="with no cue at all, in a criminal case")


class Circumstance(_Entry):
    """A sentencing circumstance or rule and the articles governing it."""

    law: str = CRIMINAL_LAW
    articles: tuple[ArticleLink, ...]
    trigger: Trigger | None = None
    p: CuePrior = CuePrior()


class Cause(_Entry):
    """A civil cause of action and the articles governing it."""

    articles: tuple[ArticleLink, ...]


class RepealedLaw(BaseModel):
    """A law repealed by a later one and absent from the statute database."""

    model_config = ConfigDict(frozen=True)

    name: str
    aliases: tuple[str, ...] = ()
    repealed_on: str
    repealed_by: ArticleLink


def _read(name: str) -> dict[str, Any]:
    text = resources.files("judgeflow.knowledge_graph.curated").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def charges() -> tuple[Charge, ...]:
    """Every curated charge."""
    data = _read("charges.json")
    law = data.get("law", CRIMINAL_LAW)
    out = []
    for raw in data["charges"]:
        raw = dict(raw)
        raw["defined_by"] = [{"law": law, **link} for link in raw["defined_by"]]
        if raw.get("penalty"):
            raw["penalty"] = {"law": law, **raw["penalty"]}
        out.append(Charge.model_validate(raw))
    return tuple(out)


@lru_cache(maxsize=1)
def circumstances() -> tuple[Circumstance, ...]:
    """Every curated sentencing circumstance."""
    out = []
    for raw in _read("circumstances.json")["circumstances"]:
        law = raw.get("law", CRIMINAL_LAW)
        out.append(
            Circumstance.model_validate({**raw, "articles": [{"law": law, **a} for a in raw["articles"]]})
        )
    return tuple(out)


@lru_cache(maxsize=1)
def causes() -> tuple[Cause, ...]:
    """Every curated civil cause of action."""
    return tuple(Cause.model_validate(raw) for raw in _read("causes.json")["causes"])


@lru_cache(maxsize=1)
def repealed_laws() -> tuple[RepealedLaw, ...]:
    """Laws known to be repealed that the statute database does not hold."""
    return tuple(RepealedLaw.model_validate(raw) for raw in _read("repealed_laws.json")["repealed"])


def sources() -> dict[str, str]:
    """Where each curated file's entries come from (its `about` line)."""
    return {
        name: _read(name)["about"]
        for name in ("charges.json", "circumstances.json", "causes.json", "repealed_laws.json")
    }
