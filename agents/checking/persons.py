"""Names and roles in every mention, and particulars against the ID number.

Each 原告X / 被告人X / 被害人X in the body must name a party in a role it can hold: a defendant
written as 被害人, 原告 written for the 被告, or a name that differs from a party's by one character
(王伟 for 王位, 吴某3 for 吴某1) is an error. Where the text has no header (a fact paragraph), the
parties and their roles are what most mentions say. ID numbers (also masked, 3301**********1234)
must agree with the birth date and gender written beside them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from judgeflow.agents.checking.collector import Collector

MENTION_RE = re.compile(
    r"(?<!反诉)(?<!被反诉)(?P<role>原审被告人|被告人|被害人|原审原告|原审被告|被上诉人|上诉人|原告|被告|第三人|辩护人|法定代理人)"
)
MASKED_RE = re.compile(r"[\u4e00-\u9fff]{1,2}[某xX×＊*](?:[0-9]{1,2}(?![0-9])|[甲乙丙丁戊己庚辛壬癸]|某)?")
# Characters that stand in for the rest of a name in published texts (陈某, 赵XX).
MASK_CHARS = frozenset("某xX×＊*")
PLAIN_NAME_RE = re.compile(r"[\u4e00-\u9fff]{2,3}")
ORG_RE = re.compile(
    r"(?:(?!的|是|系|被告|原告|借用|与)[\u4e00-\u9fff（）()]){2,30}?(?:有限责任公司|股份有限公司|有限公司|分公司|公司|"
    r"合作社|联社|银行|支行|分行|商行|经营部|超市|商店|商场|酒店|门市部|中心|厂|医院|学校|委员会|事务所)"
)
# A third character that begins a verb or a function word ends a two-character name (李青垫付 → 李青).
VERB_START = frozenset(
    "垫返承原向与于在已未应称系及和为自签催等均不是之以将就经按依借还犯被所到从把让给支付偿赔负提主认同作辩诉出收交损"
)
# Common surnames: a plain two- or three-character word after a role word is taken for a name only
# when it starts with one of them (被告未举证 is not a name; 被告王芳 is).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢"
    "安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路"
    "游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全"
    "佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚"
    "鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁"
    "芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯"
    "元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
NOT_A_NAME_START = set(
    "的方未应主对于在已认提向称与人之均一答辩承负以等请要所及和不到同作就亦也仍虽但因自将尚是为并按经系各共曾即再"
    "又还可无有该此其上下前后犯某明分所属出实构如辩具归当拒供"
)
NAME_STOPS = tuple(
    [
        "与",
        "于",
        "向",
        "的",
        "对",
        "在",
        "已",
        "未",
        "应",
        "称",
        "系",
        "及",
        "和",
        "为",
        "自",
        "签",
        "催",
        "等",
        "均",
        "不",
        "是",
        "之",
        "以",
        "将",
        "就",
        "经",
        "按",
        "依",
        "借",
        "还",
        "犯",
        "被",
        "所",
        "到",
        "从",
        "把",
        "让",
        "给",
        "辩称",
        "诉称",
        "起诉",
        "提出",
        "到庭",
        "民间",
        "借款",
        "负担",
        "承担",
        "偿还",
        "返还",
        "清偿",
        "给付",
        "支付",
        "归还",
        "履行",
        "赔偿",
        "共同",
        "主张",
        "本金",
        "利息",
        "出具",
        "追偿",
        "作为",
        "提供",
        "交付",
        "还款",
        "连带",
        "陈述",
        "表示",
        "申请",
        "要求",
        "请求",
        "举证",
        "提交",
        "确认",
        "认可",
        "收到",
        "出借",
        "本人",
        "诉讼",
        "代理",
        "公司",
        "单位",
        "方面",
        "一方",
        "双方",
        "驾驶",
        "持有",
        "携带",
        "酒后",
        "伙同",
        "先后",
        "多次",
        "明知",
        "利用",
        "采用",
        "趁",
        "窃取",
        "盗窃",
        "在此",
        "家中",
    ]
)
DEFENDANT_ROLES = frozenset({"被告人", "原审被告人"})
# Written role → roles of the header that it contradicts.
CONFLICTS: dict[str, frozenset[str]] = {
    "被害人": frozenset({"被告人", "原审被告人", "辩护人", "法定代理人"}),
    "被告人": frozenset({"辩护人", "法定代理人", "被害人", "公诉机关", "附带民事诉讼原告人"}),
    "原审被告人": frozenset({"辩护人", "法定代理人", "被害人", "公诉机关"}),
    "辩护人": frozenset({"被告人", "原审被告人"}),
    "原告": frozenset({"被告", "原审被告", "第三人"}),
    "被告": frozenset({"原告", "原审原告", "第三人"}),
    "原审原告": frozenset({"被告", "原审被告"}),
    "原审被告": frozenset({"原告", "原审原告"}),
    "第三人": frozenset({"原告", "被告"}),
}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Person:
    """A party or participant: the name and the roles it holds (its header role and any former role)."""

    name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Mention:
    """A role word and the name written after it."""

    role: str
    start: int
    name_start: int
    name: str


def written_name(text: str, pos: int, known: list[str]) -> str:
    """The name written at `pos` after a role word: the longest known name there, else a masked name
    (张某1), else two or three characters that are not an ordinary word; '' when none."""
    for name in known:
        if text.startswith(name, pos):
            return name
    if pos >= len(text) or text[pos] in NOT_A_NAME_START or text.startswith(NAME_STOPS, pos):
        return ""
    masked = MASKED_RE.match(text, pos)
    if masked:
        return masked.group(0)
    org = ORG_RE.match(text, pos)
    if org:
        return org.group(0)
    plain = PLAIN_NAME_RE.match(text, pos)
    if plain is None or text[pos] not in SURNAMES:
        return ""
    name = plain.group(0)
    for cut in range(2, len(name)):
        if text.startswith(NAME_STOPS, pos + cut) or name[cut] in VERB_START:
            return name[:cut]
    return name


def mentions(
    text: str, spans: list[tuple[int, int]], known: list[str], *, keep_unread: bool = False
) -> list[Mention]:
    """Role words followed by a name, inside the given spans (and, with `keep_unread`, those followed by
    something not read as a name: 曾 and 于 begin ordinary words as well as surnames)."""
    names = sorted(known, key=len, reverse=True)
    out: list[Mention] = []
    for a, b in spans:
        for m in MENTION_RE.finditer(text, a, b):
            name = written_name(text, m.end(), names)
            unread = (
                keep_unread
                and text[m.end() : m.end() + 1] in SURNAMES
                and not text.startswith(NAME_STOPS, m.end())
            )
            if name or unread:
                out.append(Mention(m.group("role"), m.start(), m.end(), name))
    return out


def similar(written: str, known: str) -> bool:
    """Two names that differ in exactly one character (same length, at least two characters) — unless
    the known name is masked there and the written one is a plain name: 陈某 stands for any 陈 name,
    so 陈了(磊) is no slip of it (赵X平 for 赵XX, still masked, is)."""
    if len(written) != len(known) or len(written) < 2:
        return False
    diff = [i for i, (x, y) in enumerate(zip(written, known, strict=True)) if x != y]
    if len(diff) != 1:
        return False
    return not (known[diff[0]] in MASK_CHARS and not MASK_CHARS & set(written))


def _window(text: str, start: int, like: str) -> str:
    """The text at `start` as long as `like`, when it reads as a name (no punctuation, no digit run-on)."""
    window = text[start : start + len(like)]
    if len(window) < len(like) or not all(
        "\u4e00" <= ch <= "\u9fff" or ch.isalnum() or ch in "×＊*" for ch in window
    ):
        return ""
    return window


def inferred_people(found: list[Mention]) -> list[Person]:
    """Parties of a text without a header: names mentioned twice or more, in the role most mentions give."""
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for m in found:
        roles[m.name][m.role] += 1
    out = []
    for name, counts in roles.items():
        role, n = counts.most_common(1)[0]
        if n >= 2 and n > sum(counts.values()) - n:
            out.append(Person(name, frozenset({role})))
    return out


def whole_name(text: str, name: str) -> str:
    """A two-character name read short because its third character also begins ordinary words (万荣
    of 万荣和, 和 being 'and'): the longer name when all of its three or more occurrences go on with
    that same character."""
    if len(name) != 2 or MASKED_RE.fullmatch(name):
        return name
    following = [text[m.end() : m.end() + 1] for m in re.finditer(re.escape(name), text)]
    if len(following) >= 3 and len(set(following)) == 1 and following[0] in VERB_START:
        return name + following[0]
    return name


def check_mentions(
    c: Collector,
    people: list[Person],
    spans: list[tuple[int, int]],
    *,
    criminal: bool,
    inferred: bool,
    roles: bool = True,
) -> None:
    """Every role-word mention must name a person in a role that does not contradict the one known (when
    `roles`), and no name may differ from a known person's of that role by one character."""
    by_name = {p.name: p for p in people}
    found = mentions(c.text, spans, [p.name for p in people], keep_unread=True)
    roles_listed = "、".join(f"{'/'.join(sorted(p.roles))}{p.name}" for p in people)
    for m in found:
        end = m.name_start + len(m.name)
        person = by_name.get(m.name)
        if person is not None:
            clash = person.roles & CONFLICTS.get(m.role, frozenset())
            if roles and clash and not person.roles & {m.role} and not c.covered(m.start, end):
                c.add(
                    "party",
                    m.start,
                    end,
                    f"{m.name}是本案{'、'.join(sorted(person.roles))}，此处写作{m.role}",
                    f"{'多数提及' if inferred else '首部'}：{'、'.join(sorted(person.roles))}{m.name}",
                )
            continue
        if inferred and MASKED_RE.fullmatch(m.name) and c.text.count(m.name) > 1:
            continue  # 张某甲, 张某乙 … named again: without a header, another index is another person
        same_role = [
            p
            for p in people
            if m.role in p.roles or (criminal and m.role in DEFENDANT_ROLES and p.roles & DEFENDANT_ROLES)
        ]
        close = next((p for p in same_role if similar(_window(c.text, m.name_start, p.name), p.name)), None)
        if close is not None and not c.covered(m.name_start, m.name_start + len(close.name)):
            window = _window(c.text, m.name_start, close.name)
            written = m.name if m.name and m.name.startswith(window) else window
            c.add(
                "party",
                m.name_start,
                m.name_start + max(len(written), len(close.name)),
                f"“{m.role}{written}”与本案{m.role}{close.name}不符",
                f"本案当事人：{roles_listed}",
            )


# ---------------------------------------------------------------- particulars


def _id_date(number: str) -> tuple[str, str]:
    """The birth digits (YYYYMMDD) and the gender digit of an ID number, as written (masks kept)."""
    if len(number) == 18:
        return number[6:14], number[16]
    if len(number) == 15:
        return "19" + number[6:12], number[14]
    return "", ""


def id_problems(number: str, born: date | None, gender: str) -> list[str]:
    """What an ID number contradicts: its check digit, the birth date, the gender (masked digits skipped)."""
    number = number.upper().replace("＊", "*").replace("×", "X")
    problems: list[str] = []
    if len(number) == 18 and re.fullmatch(r"\d{17}[\dX]", number):
        total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
        if ID_CHECK[total % 11] != number[17]:
            problems.append(f"校验位应为{ID_CHECK[total % 11]}")
    digits, sex = _id_date(number)
    if born is not None and digits:
        stated = f"{born:%Y%m%d}"
        if any(d != s for d, s in zip(digits, stated, strict=True) if d.isdigit()):
            problems.append(f"号码中的出生日期为{digits}，与所写出生日期{born.isoformat()}不符")
    if gender in ("男", "女") and sex.isdigit() and ("男" if int(sex) % 2 else "女") != gender:
        problems.append(
            f"号码第{17 if len(number) == 18 else 15}位表示{'男' if int(sex) % 2 else '女'}性，与所写性别{gender}不符"
        )
    return problems


def check_id_number(c: Collector, name: str, number: str, start: int, born: date | None, gender: str) -> None:
    """An ID number written at `start` must agree with the birth date and gender written with it."""
    problems = id_problems(number, born, gender)
    if problems and not c.covered(start, start + len(number)):
        c.add(
            "party",
            start,
            start + len(number),
            f"{name}的身份证号码与其身份事项不符",
            "；".join(problems),
        )
