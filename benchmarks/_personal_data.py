"""Planted personal data: synthetic cases whose parties carry generated names, addresses, ID numbers,
phone numbers, bank accounts and plate numbers; after drafting, none of them may appear in the
pseudonymized export, in `case export-all`, or in text prepared for a non-local model endpoint.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
COMPOUND = ("欧阳", "司马", "诸葛", "上官")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕彬鹏辉建志海波宁晨浩宇欣怡子涵梓轩俊博文斌昊然思雨佳琪嘉瑞峰凯"
PROVINCES = (
    ("浙江省", "杭州市", ("西湖区", "拱墅区", "滨江区")),
    ("江苏省", "南京市", ("鼓楼区", "玄武区", "秦淮区")),
    ("广东省", "广州市", ("天河区", "越秀区", "海珠区")),
    ("四川省", "成都市", ("武侯区", "锦江区", "青羊区")),
)
ROADS = "解放中山人民建设和平文化胜利新华光明长江黄河青年迎宾"
PLATE_PREFIX = "京津沪渝冀豫鲁苏浙粤川鄂湘闽皖"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADER_RE = re.compile(r"^(?:原告|被告|第三人|委托诉讼代理人)：([^，,\n]+)[，,]", re.M)


@dataclass
class PlantedCase:
    """A synthetic case folder and the personal data planted in it."""

    folder: Path
    planted: dict[str, str] = field(default_factory=dict)  # planted string → category


class Planter:
    """Makes synthetic cases from the examples with a seeded random source."""

    def __init__(self, examples: Path, work: Path, seed: int) -> None:
        # Civil examples: the planter writes its parties into a 起诉状's header.
        self.examples = sorted(p for p in examples.iterdir() if (p / "起诉状.txt").is_file())
        self.work = work
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("could not make a unique value")

    def name(self, surname: str | None = None) -> str:
        rng = self.rng
        family = surname or (rng.choice(COMPOUND) if rng.random() < 0.05 else rng.choice(SURNAMES))
        return self._unique(lambda: family + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))))

    def address(self) -> str:
        rng = self.rng
        province, city, districts = rng.choice(PROVINCES)
        road = "".join(rng.sample(ROADS, 2))
        return self._unique(
            lambda: (
                f"{province}{city}{rng.choice(districts)}{road}路{rng.randrange(1, 999)}号"
                f"{rng.randrange(1, 30)}幢{rng.randrange(1, 6)}单元{rng.randrange(101, 2999)}室"
            )
        )

    def id_number(self) -> str:
        rng = self.rng

        def make() -> str:
            body = (
                f"{rng.choice(['330106', '320102', '440106', '510107'])}"
                f"{rng.randrange(1950, 2003)}{rng.randrange(1, 13):02}{rng.randrange(1, 29):02}{rng.randrange(1000):03}"
            )
            check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
            return body + check

        return self._unique(make)

    def phone(self) -> str:
        rng = self.rng
        return self._unique(lambda: f"1{rng.choice('3578')}{rng.randrange(10**9):09}")

    def bank_account(self) -> str:
        rng = self.rng
        return self._unique(
            lambda: "6222" + "".join(str(rng.randrange(10)) for _ in range(rng.choice((12, 15))))
        )

    def plate(self) -> str:
        rng = self.rng
        return self._unique(
            lambda: (
                rng.choice(PLATE_PREFIX)
                + rng.choice(PLATE_LETTERS)
                + "".join(rng.choice("0123456789" + PLATE_LETTERS) for _ in range(5))
            )
        )

    def case(self, number: int) -> PlantedCase:
        """One synthetic case: an example with every party's personal data replaced, plus more planted."""
        rng = self.rng
        source = rng.choice(self.examples)
        folder = self.work / f"planted-{number}"
        shutil.copytree(source, folder)
        complaint = (folder / "起诉状.txt").read_text(encoding="utf-8")
        planted: dict[str, str] = {}
        replace: dict[str, str] = {}
        names = list(dict.fromkeys(HEADER_RE.findall(complaint)))
        shared = rng.choice(SURNAMES) if rng.random() < 0.3 else None  # two people of one surname
        for index, old in enumerate(names):
            replace[old] = self.name(shared if index < 2 else None)
            planted[replace[old]] = "person"
        for old in re.findall(r"住([^，。\n]+?)，", complaint):
            replace[old] = self.address()
            planted[replace[old]] = "address"
        for old in re.findall(r"公民身份号码([0-9*Xx]+)", complaint):
            replace[old] = self.id_number()
            planted[replace[old]] = "id_number"
        for old in re.findall(r"联系电话([0-9*]+)", complaint):
            replace[old] = self.phone()
            planted[replace[old]] = "phone"
        extra = {"phone": self.phone(), "bank_account": self.bank_account(), "plate": self.plate()}
        planted.update({value: category for category, value in extra.items()})
        sentence = (
            f"原告收款账户为中国工商银行账号{extra['bank_account']}，原告联系电话{extra['phone']}；"
            f"被告名下有车牌号为{extra['plate']}的小型轿车一辆。"
        )
        for path in folder.glob("*.txt"):
            text = path.read_text(encoding="utf-8")
            for old in sorted(replace, key=len, reverse=True):
                text = text.replace(old, replace[old])
            if path.name == "起诉状.txt":
                text = text.replace("\n此致", f"\n{sentence}\n\n此致", 1)
            path.write_text(text, encoding="utf-8")
        return PlantedCase(folder, planted)


@dataclass
class LeakStats:
    """Planted strings and where any of them was found."""

    cases: int = 0
    drafted: int = 0
    planted: int = 0
    refused: int = 0  # exports the final leak check stopped (counted apart: nothing left the machine)
    model_requests: int = 0  # requests the model layer sent to the non-local endpoint
    leaks: dict[str, int] = field(
        default_factory=lambda: {
            "export": 0,
            "export-all": 0,
            "endpoint": 0,
            "endpoint, no ledger": 0,
            "model requests": 0,
        }
    )
    examples: list[str] = field(default_factory=list)


def _leaked(planted: dict[str, str], texts: list[str]) -> list[str]:
    return [p for p in planted if any(p in t for t in texts)]


@contextmanager
def _models_file(path: Path, base_url: str) -> Iterator[None]:
    """JUDGEFLOW_MODELS pointing every step at `base_url`, marked not local, for the duration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[default]\nbackend = "sglang"\nbase_url = "{base_url}"\nmodel = "remote"\nlocal = false\n',
        encoding="utf-8",
    )
    before = os.environ.get("JUDGEFLOW_MODELS")
    os.environ["JUDGEFLOW_MODELS"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("JUDGEFLOW_MODELS", None)
        else:
            os.environ["JUDGEFLOW_MODELS"] = before


def run_planted(examples: Path, work: Path, home: Path, cases: int, seed: int = 0) -> LeakStats:
    """Draft `cases` synthetic cases and look for their planted data in everything meant to leave."""
    from judgeflow.app.privacy_commands import docx_text, pseudonymized_export
    from judgeflow.graph.data_requests import LeakError, export_all, officials, pseudonymizer_for
    from judgeflow.graph.runner import CaseRunner
    from judgeflow.llm.compat_server import ScriptedResponder, running_server
    from judgeflow.tools.pseudonymize import Pseudonymizer, redact_for_endpoint

    stats = LeakStats()
    planter = Planter(examples, work, seed)
    # Every model step goes to an endpoint marked not local (a scripted server on loopback that
    # answers with nothing to add): what the model layer really sends is read off the server.
    models = work / "models.toml"
    empty = {"extract_facts": '{"facts": []}', "build_reasoning": '{"syllogisms": []}'}

    def nothing(body: dict[str, Any]) -> str:
        schema = (body.get("response_format") or {}).get("json_schema") or {}
        return empty.get(str(schema.get("name", "")), '{"sentences": []}')

    with (
        running_server(ScriptedResponder([nothing])) as server,
        _models_file(models, server.base_url),
        CaseRunner(home=home) as runner,
    ):
        for number in range(1, cases + 1):
            case = planter.case(number)
            stats.cases += 1
            stats.planted += len(case.planted)
            server.requests.clear()
            status = runner.run_folder(case.folder, case.folder.name, "evaluation")
            found_requests = _leaked(case.planted, [json.dumps(server.requests, ensure_ascii=False)])
            stats.model_requests += len(server.requests)
            state = status.state
            stats.drafted += bool(state.judgment)
            out = work / f"out-{number}"
            found: dict[str, list[str]] = {"export": [], "export-all": []}
            try:
                files = pseudonymized_export(state, out / "export", home)
                read = [docx_text(f) if f.suffix == ".docx" else f.read_text(encoding="utf-8") for f in files]
                found["export"] = _leaked(case.planted, read)
                files = export_all(runner, state.case_id, out / "all", pseudonymize=True)
                found["export-all"] = _leaked(case.planted, [f.read_text(encoding="utf-8") for f in files])
            except LeakError:  # the last check caught what pseudonymization missed; nothing left
                stats.refused += 1
            pseudonymizer = pseudonymizer_for(state, home)
            prompts = [d.text for d in state.documents] + [state.judgment]
            sent = [redact_for_endpoint(t, pseudonymizer, endpoint_is_local=False) for t in prompts]
            found["endpoint"] = _leaked(case.planted, sent)
            # Before extraction there is no ledger yet: patterns and the tagger alone must do.
            fresh = Pseudonymizer(keep=officials(state))
            found["endpoint, no ledger"] = _leaked(
                case.planted,
                [redact_for_endpoint(d.text, fresh, endpoint_is_local=False) for d in state.documents],
            )
            found["model requests"] = found_requests
            for channel, leaked in found.items():
                stats.leaks[channel] += len(leaked)
                stats.examples += [f"{channel}: {case.planted[p]} {p}" for p in leaked][
                    : 10 - len(stats.examples)
                ]
    return stats
