"""Pseudonymization: personal data in case text → stable pseudonyms, and back (DESIGN §9).

Natural persons' names become 张某 / 李某某 (surname kept, given name replaced, indexed 张某1, 张某2
when two people share the form), addresses keep their county-level prefix (浙江省杭州市拱墅区某处),
and ID numbers, phone numbers, bank accounts and plate numbers become numbered placeholders
(〔身份证号1〕). What to replace is found three ways: entities the caller already knows (the
ledger's parties, via `learn`), patterns with context (住…, 原告…, 账号…), and — as a supplement —
jieba's offline part-of-speech tagger (nr for persons, ns to confirm places). The mapping never
leaves the machine: it is kept as JSON next to the case (mode 0600), and `reverse` restores the
originals in text that comes back.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from judgeflow.tools import ToolInputError

Category = Literal["person", "id_number", "phone", "address", "bank_account", "plate"]
CATEGORIES: tuple[Category, ...] = ("person", "id_number", "phone", "address", "bank_account", "plate")
PLACEHOLDER: dict[Category, str] = {
    "id_number": "身份证号",
    "phone": "电话",
    "bank_account": "银行账号",
    "plate": "车牌号",
}
# Pattern detectors, most specific first: an earlier category wins a tie on the same span.
_CJK = "\u4e00-\u9fff"
ID_RE = re.compile(
    r"(?<![0-9A-Za-z*])(?:\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|\d{6,14}[*＊×]{3,12}[\dXx*]{0,4})(?![0-9A-Za-z*])"
)
ID_CONTEXT_RE = re.compile(
    r"(?:身份证号码?|公民身份号码|身份证件号码?|证件号码?)[：:为是\s]*([\dXx*＊×]{15,18})"
)
BANK_RE = re.compile(r"(?<![\d*])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,4})?)(?![\d*])")
BANK_CONTEXT_RE = re.compile(
    r"(?:账号|帐号|卡号|账户|帐户|银行卡|户号)(?:尾号)?[：:为是\s]*(\d[\d *＊-]{5,28}\d)(?![\d*])"
)
PHONE_RE = re.compile(
    r"(?<![\d*])(?:\+?86[- ]?)?1[3-9]\d(?:\d{8}|[\d*]{4}\d{4}|[*＊]{4,6}\d{2,4})(?![\d*])"
    r"|(?<![\d-])0\d{2,3}[-－—]\d{7,8}(?![\d-])"
)
PHONE_CONTEXT_RE = re.compile(r"(?:电话|手机|联系方式|手机号码?)[：:为是\s]*(\d[\d*＊ -]{6,16}\d)")
PLATE_RE = re.compile(
    r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]"
    r"[·•]?(?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])(?![A-Za-z0-9])"
)
ADDRESS_CONTEXT_RE = re.compile(
    rf"(?:住所地|住所|住址|家住|现住|户籍地|户籍所在地|经常居住地|联系地址|送达地址|地址|住)[：:在于\s]*"
    rf"([{_CJK}][{_CJK}0-9A-Za-z\-－#（）()]{{3,60}}?)(?=[，,。；;\n、]|$|（|\(|公民身份|身份证|联系电话)"
)
ADDRESS_TAIL_RE = re.compile(
    rf"[{_CJK}]{{2,15}}(?:路|街|大道|巷|弄|胡同|新村|小区|村|苑|花园|公寓|大厦|广场)"
    rf"(?:[{_CJK}0-9\-]{{0,20}}?\d+(?:号楼|号|幢|栋|单元|室|楼|层|组))+"
)
ADDRESS_MARKS = re.compile(r"省|市|自治区|自治州|区|县|旗|镇|乡|街道|村|路|街|巷|弄|号|室|幢|栋|组|小区")
COUNTY_PREFIX_RE = re.compile(
    rf"^(?:[{_CJK}]{{2,9}}?(?:省|自治区))?(?:[{_CJK}]{{2,9}}?(?:市|自治州|地区|盟))?(?:[{_CJK}]{{1,9}}?(?:区|县|市|旗))?"
)
ROLE_WORDS = (
    "委托诉讼代理人|委托代理人|诉讼代理人|法定代理人|法定代表人|被上诉人|上诉人|被申请人|申请人|被答辩人|答辩人"
    "|第三人|原告|被告|负责人|代理人|证人|具状人|出借人|借款人|保证人|担保人|收款人|付款人|经办人|当事人"
)
ROLE_NAME_RE = re.compile(
    rf"(?:{ROLE_WORDS})(?:（[^）\n]{{1,6}}）)?[：:]?\s*([{_CJK}]{{2,4}}?(?:·[{_CJK}]{{2,8}})?)"
    r"(?=[，,。；;、（(：:\s]|$|与|诉|向|于|的|称|辩称|到庭|系|及|和|出具|签|借|还|共同|作为|在|未|已|对|将|（签名）)"
)
NOT_IN_NAMES = set("的了诉称未已应对将被把为是有和及或等向与在到庭借还款元年月日人告院法条款项不无")
NAME_SUFFIXES = ("法官", "律师", "先生", "女士", "同志", "老师", "经理", "书记员", "审判员", "审判长")
_TAGGER_NAME_MAX = 4
# jieba's guesses are trusted only with the most frequent surnames (国栋, 和睦 are words, not names).
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗"
)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """One piece of personal data found in a text."""

    start: int
    end: int
    category: Category
    text: str


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], tuple[str, ...]]:
    """Common single-character surnames and compound surnames (longest first)."""
    raw = resources.files("judgeflow.tools").joinpath("data/surnames.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return frozenset(data["single"]), tuple(sorted(data["compound"], key=len, reverse=True))


def surname_of(name: str) -> str:
    """The surname of a Chinese personal name ('' when it does not start with a known one)."""
    single, compound = surnames()
    for family in compound:
        if name.startswith(family) and len(name) > len(family):
            return family
    return name[0] if name[:1] in single and len(name) > 1 else ""


def looks_like_name(word: str) -> bool:
    """True for a plausible personal name: known surname, 2–4 Han characters, no function words."""
    if "·" in word:
        return 3 <= len(word) <= 20 and all(
            part and re.fullmatch(f"[{_CJK}]+", part) for part in word.split("·")
        )
    if not re.fullmatch(f"[{_CJK}]{{2,{_TAGGER_NAME_MAX}}}", word) or "某" in word:
        return False
    family = surname_of(word)
    given = word[len(family) :]
    if not family or len(given) > 2 or word.endswith(NAME_SUFFIXES):
        return False
    return not any(ch in NOT_IN_NAMES for ch in given)


def person_base(name: str) -> str:
    """The un-indexed pseudonym of a name: 张三 → 张某, 张三丰 → 张某某, 欧阳明远 → 欧阳某某."""
    if "·" in name:
        return name[0] + "某"
    family = surname_of(name) or name[0]
    return family + ("某" if len(name) - len(family) <= 1 else "某某")


def address_base(address: str) -> str:
    """The un-indexed pseudonym of an address: its county-level prefix + 某处."""
    return COUNTY_PREFIX_RE.match(address).group(0) + "某处"  # type: ignore[union-attr]  # always matches


@lru_cache(maxsize=1)
def _tagger() -> Any:
    """jieba's part-of-speech tagger, loaded once (offline; its dictionary ships with the package)."""
    import jieba  # type: ignore[import-untyped]
    import jieba.posseg  # type: ignore[import-untyped]

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def _ordinary_word(word: str) -> bool:
    """True for a dictionary word that is not a name (jieba's dictionary tags many words nr, e.g. 陈述)."""
    tag = _tagger().dt.word_tag_tab.get(word)
    return tag is not None and (len(word) <= 2 or not tag.startswith("nr"))


def tagged_names(text: str) -> list[Found]:
    """Person names jieba tags nr that are not ordinary dictionary words (its dictionary over-tags nr)."""
    posseg = _tagger()
    found, offset = [], 0
    for pair in posseg.cut(text):
        word, flag = pair.word, pair.flag
        start = text.find(word, offset)
        offset = start + len(word) if start >= 0 else offset
        if start < 0 or flag not in ("nr", "nrfg", "nrt"):
            continue
        common = word[:1] in COMMON_SURNAMES or surname_of(word) in surnames()[1]
        if posseg.dt.word_tag_tab.get(word) is None and common and looks_like_name(word):
            found.append(Found(start, start + len(word), "person", word))
    return found


def _with_tagged_place(candidate: str) -> bool:
    """True when an address candidate starts with a place name (jieba tags ns)."""
    first = next(iter(_tagger().cut(candidate[:12])), None)
    return first is not None and first.flag == "ns"


def detect(text: str, use_tagger: bool = True) -> list[Found]:
    """Personal data in `text` by pattern (and, if asked, by jieba's tags), non-overlapping, in order."""
    hits: list[tuple[int, Found]] = []

    def add(priority: int, start: int, end: int, category: Category) -> None:
        hits.append((priority, Found(start, end, category, text[start:end])))

    for m in ID_CONTEXT_RE.finditer(text):
        add(0, m.start(1), m.end(1), "id_number")
    for m in ID_RE.finditer(text):
        add(1, m.start(), m.end(), "id_number")
    for m in BANK_CONTEXT_RE.finditer(text):
        add(2, m.start(1), m.end(1), "bank_account")
    for m in PHONE_CONTEXT_RE.finditer(text):
        add(3, m.start(1), m.end(1), "phone")
    for m in PHONE_RE.finditer(text):
        add(3, m.start(), m.end(), "phone")
    for m in BANK_RE.finditer(text):
        add(4, m.start(), m.end(), "bank_account")
    for m in PLATE_RE.finditer(text):
        add(5, m.start(), m.end(), "plate")
    for m in ADDRESS_CONTEXT_RE.finditer(text):
        candidate = m.group(1)
        if ADDRESS_MARKS.search(candidate) or (use_tagger and _with_tagged_place(candidate)):
            add(6, m.start(1), m.end(1), "address")
    for m in ADDRESS_TAIL_RE.finditer(text):
        add(7, m.start(), m.end(), "address")
    for m in ROLE_NAME_RE.finditer(text):
        if looks_like_name(m.group(1)) and not (use_tagger and _ordinary_word(m.group(1))):
            add(8, m.start(1), m.end(1), "person")
    if use_tagger and re.search(f"[{_CJK}]{{2}}", text):
        hits += [(9, found) for found in tagged_names(text)]
    # The most specific detector wins an overlap, then the longer span.
    hits.sort(key=lambda h: (h[0], -(h[1].end - h[1].start), h[1].start))
    chosen: list[Found] = []
    for _, found in hits:
        if all(found.end <= c.start or found.start >= c.end for c in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


class Pseudonymizer:
    """A case's mapping from personal data to pseudonyms, with `apply` and `reverse`."""

    def __init__(
        self,
        path: Path | None = None,
        keep: Iterable[str] = (),
        use_tagger: bool = True,
        categories: Iterable[str] = CATEGORIES,
    ) -> None:
        self.path = path
        self.keep = {k for k in keep if k}
        self.use_tagger = use_tagger
        self.categories = frozenset(categories)
        self._forward: dict[str, str] = {}
        self._category: dict[str, Category] = {}
        self._pattern: re.Pattern[str] | None = None
        self._scanned: set[str] = set()  # texts already searched (searching is the costly part)
        if path is not None and path.is_file():
            self._load(path)

    # -- the mapping ----------------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = [(e["original"], e["pseudonym"], e["category"]) for e in data["entries"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ToolInputError(
                f"化名对照表 {path} 已损坏，无法读取（{exc}）；请从备份恢复。"
                f" / the pseudonym mapping {path} is unreadable: {exc}"
            ) from None
        for original, pseudonym, category in entries:
            self._forward[original] = pseudonym
            self._category[original] = category if category in CATEGORIES else "person"
        self._pattern = None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str], use_tagger: bool = True) -> Pseudonymizer:
        """An in-memory pseudonymizer seeded with original → pseudonym pairs."""
        made = cls(use_tagger=use_tagger)
        for original, pseudonym in mapping.items():
            made._forward[original] = pseudonym
            made._category[original] = "person"
        return made

    @property
    def mapping(self) -> dict[str, str]:
        """Original → pseudonym (a copy)."""
        return dict(self._forward)

    def save(self) -> None:
        """Write the mapping to its JSON file atomically, readable by this user only."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = [
            {"original": o, "pseudonym": p, "category": self._category[o]} for o, p in self._forward.items()
        ]
        temp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "entries": entries}, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, self.path)

    def _taken(self) -> set[str]:
        return set(self._forward.values())

    def learn(self, category: Category, original: str) -> str | None:
        """Give `original` a pseudonym (kept if it has one); None for kept names and non-data."""
        original = original.strip()
        if len(original) < 2 or original in self.keep or "某" in original:
            return None
        if original in self._forward:
            return self._forward[original]
        self.learn_all(category, [original])
        return self._forward.get(original)

    def learn_all(self, category: Category, originals: Iterable[str]) -> None:
        """Give several originals pseudonyms at once: those sharing a form are indexed 1, 2 … together."""
        if category not in self.categories:
            return
        new = [o for o in dict.fromkeys(s.strip() for s in originals) if o and o not in self._forward]
        new = [o for o in new if len(o) >= 2 and o not in self.keep and "某" not in o]
        if category == "person":
            new = [o for o in new if looks_like_name(o)]
        groups: dict[str, list[str]] = {}
        for original in new:
            base = self._base(category, original)
            groups.setdefault(base, []).append(original)
        taken = self._taken()
        for base, members in groups.items():
            indexed = any(t.startswith(base) and t[len(base) :].isdigit() for t in taken)
            numbered = category in PLACEHOLDER or len(members) > 1 or indexed
            index = 1 if numbered else (2 if base in taken else 0)
            for original in members:
                while self._form(category, base, index) in taken:
                    index += 1
                pseudonym = self._form(category, base, index)
                taken.add(pseudonym)
                self._forward[original] = pseudonym
                self._category[original] = category
                index += 1
        self._pattern = None

    @staticmethod
    def _form(category: Category, base: str, index: int) -> str:
        if category in PLACEHOLDER:
            return f"〔{PLACEHOLDER[category]}{index}〕"
        return f"{base}{index}" if index else base

    def _base(self, category: Category, original: str) -> str:
        if category == "person":
            return person_base(original)
        if category == "address":
            return address_base(original)
        return PLACEHOLDER[category]

    # -- applying ---------------------------------------------------------------------------------
    def _replacer(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._forward:
            ordered = sorted(self._forward, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(o) for o in ordered))
        return self._pattern

    def learn_from(self, text: str) -> None:
        """Find the personal data in `text` and give it pseudonyms (nothing is replaced yet)."""
        if text in self._scanned:
            return
        self._scanned.add(text)
        by_category: dict[Category, list[str]] = {}
        people = [o for o, c in self._category.items() if c == "person"] + list(self.keep)
        for found in detect(text, self.use_tagger):
            if found.text in self._forward or found.text in self.keep:
                continue
            if found.category == "person" and any(found.text in p or p in found.text for p in people):
                continue  # a piece of a known name (国栋 of 钱国栋), or a known name with a word after it
            by_category.setdefault(found.category, []).append(found.text)
        for category, originals in by_category.items():
            self.learn_all(category, originals)

    def apply(self, text: str) -> str:
        """`text` with every piece of personal data (known or found now) replaced by its pseudonym."""
        self.learn_from(text)
        pattern = self._replacer()
        if pattern is None:
            return text
        return pattern.sub(lambda m: self._forward[m.group(0)], text)

    def reverse(self, text: str) -> str:
        """`text` with every pseudonym replaced by the original it stands for."""
        if not self._forward:
            return text
        backward = {p: o for o, p in self._forward.items()}
        pattern = re.compile("|".join(re.escape(p) for p in sorted(backward, key=len, reverse=True)))
        return pattern.sub(lambda m: backward[m.group(0)], text)

    def leaks(self, text: str) -> list[str]:
        """Originals of the mapping that still occur in `text` (what a check before export looks for)."""
        return [o for o in self._forward if o in text]


def redact_for_endpoint(
    text: str, mapping: Pseudonymizer | Mapping[str, str], endpoint_is_local: bool
) -> str:
    """What may be sent to a model endpoint: the text itself if the endpoint is local, else pseudonymized."""
    if endpoint_is_local:
        return text
    pseudonymizer = mapping if isinstance(mapping, Pseudonymizer) else Pseudonymizer.from_mapping(mapping)
    return pseudonymizer.apply(text)
