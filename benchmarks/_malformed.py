"""Generated malformed inputs: each must be read, or refused with a JudgeflowError — never crash.

Kinds: case folders (random bytes, truncated UTF-8, GBK, empty, huge, NUL bytes, control
characters, other encodings, binary formats, flipped bytes, broken case.json), documents that read
but are mangled (run through the whole flow under the evaluation policy), the CLI's `run` on such
folders, edit files (broken JSON, wrong shapes, via `judgeflow edit`), edits given to the runner,
batch rows and `--as` actors. An input is *accepted* (read or applied), *handled* (a JudgeflowError,
or argparse's exit 2), or *unhandled* (anything else: a bug).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXAMPLE_FILES = ("起诉状.txt", "答辩状.txt", "证据目录.txt", "庭审笔录.txt")
ENCODINGS = ("utf-16", "utf-16-le", "utf-32", "big5", "shift_jis", "euc-kr", "latin-1", "cp1252")
MAGIC = (b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x89PNG\r\n\x1a\n", b"{\\rtf1")
CONTROL = ("\x1b[2J", "\x07", "\x7f", "\u202e", "\u2066", "\x85", "\x0b", "\ud800")


@dataclass
class MalformedStats:
    """Outcomes per kind, and the first unhandled exceptions."""

    tried: int = 0
    accepted: int = 0
    handled: int = 0
    unhandled: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    unhandled_by_kind: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def run(self, kind: str, attempt: Callable[..., object], *args: Any) -> None:
        """Try one input (`attempt(*args)`) and file its outcome."""
        from judgeflow.errors import JudgeflowError

        self.tried += 1
        self.by_kind[kind] += 1
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                result = attempt(*args)
        except JudgeflowError:
            self.handled += 1
            return
        except SystemExit as exc:
            if exc.code == 2:
                self.handled += 1
                return
            result = exc
        except Exception as exc:  # what this benchmark exists to find
            self.unhandled += 1
            self.unhandled_by_kind[kind] += 1
            if len(self.failures) < 12:
                last = traceback.format_exc().strip().splitlines()[-1]
                self.failures.append(f"{kind}: {type(exc).__name__}: {last[:160]}")
            return
        if result == 2:  # the CLI's exit status for an error a user caused
            self.handled += 1
        else:
            self.accepted += 1


class Inputs:
    """Generates malformed inputs from the example cases with a seeded random source."""

    def __init__(self, examples: Path, work: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.work = work
        self.texts = [
            (folder / name).read_text(encoding="utf-8")
            for folder in sorted(p for p in examples.iterdir() if p.is_dir())
            for name in EXAMPLE_FILES
            if (folder / name).is_file()
        ]
        self.manifests = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*/case.json"))]
        self.count = 0

    def folder(self, files: dict[str, bytes]) -> Path:
        """A new case folder holding `files`."""
        self.count += 1
        path = self.work / f"m{self.count}"
        path.mkdir(parents=True)
        for name, data in files.items():
            (path / name).write_bytes(data)
        return path

    def text(self) -> str:
        return self.rng.choice(self.texts)

    def _insert(self, text: str, piece: str, times: int) -> str:
        for _ in range(times):
            at = self.rng.randrange(len(text) + 1)
            text = text[:at] + piece + text[at:]
        return text

    def document(self) -> tuple[str, bytes]:
        """One malformed document: (kind, bytes)."""
        rng, text = self.rng, self.text()
        raw = text.encode("utf-8")
        choice = rng.randrange(11)
        if choice == 0:
            return "random bytes", rng.randbytes(rng.randrange(1, 3000))
        if choice == 1:
            return "truncated UTF-8", raw[: rng.randrange(1, len(raw))]
        if choice == 2:
            gbk = text.encode("gbk", errors="replace")
            return "GBK", gbk if rng.random() < 0.5 else gbk[: rng.randrange(1, len(gbk))]
        if choice == 3:
            return "empty", rng.choice([b"", b" \n\t", "\u3000\n".encode(), b"\xef\xbb\xbf"])
        if choice == 4:
            return "NUL bytes", self._insert(text, "\x00", rng.randrange(1, 5)).encode("utf-8")
        if choice == 5:
            piece = rng.choice(CONTROL)
            return "control characters", self._insert(text, piece, 1).encode("utf-8", errors="surrogatepass")
        if choice == 6:
            encoding = rng.choice(ENCODINGS)
            return f"other encoding ({encoding})", text.encode(encoding, errors="replace")
        if choice == 7:
            return "binary format", rng.choice(MAGIC) + rng.randbytes(rng.randrange(0, 500))
        if choice == 8:
            data = bytearray(raw)
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            return "flipped bytes", bytes(data)
        if choice == 9:
            return "UTF-8 with BOM and CRLF", ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
        return "mixed encodings", raw[: len(raw) // 2] + text[len(text) // 2 :].encode(
            "gbk", errors="replace"
        )

    def manifest(self) -> bytes:
        """A broken case.json."""
        rng = self.rng
        good = rng.choice(self.manifests)
        choice = rng.randrange(7)
        if choice == 0:
            return good.encode("utf-8")[: rng.randrange(0, len(good.encode("utf-8")))]
        if choice == 1:
            data = json.loads(good)
            key = rng.choice([*data, "judge", "documents"])
            data[key] = rng.choice([None, 1, 2.5, [], {}, "", "x" * 300, [1, "a"], {"a": {"b": []}}, True])
            return json.dumps(data, ensure_ascii=False).encode("utf-8")
        if choice == 2:
            depth = rng.choice([50, 5000, 200_000])
            return ("[" * depth + "]" * depth).encode()
        if choice == 3:
            return rng.choice([b"[]", b"null", b"42", b'"court"', b"{}"])
        if choice == 4:
            return good.encode(rng.choice(["utf-16", "gbk", "big5"]), errors="replace")
        if choice == 5:
            return rng.randbytes(rng.randrange(1, 400))
        data = json.loads(good)
        data["documents"] = {
            rng.choice([*EXAMPLE_FILES, "无此文件.txt"]): rng.choice(["起诉状", "判决书", 3, None])
        }
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def mangled(self) -> dict[str, bytes]:
        """Documents that still read as text but are cut, shuffled, repeated or re-numbered."""
        rng = self.rng
        files = {}
        for name in EXAMPLE_FILES:
            lines = self.text().split("\n")
            for _ in range(rng.randrange(1, 12)):
                op = rng.randrange(5)
                at = rng.randrange(len(lines))
                if op == 0:
                    del lines[at]
                elif op == 1:
                    lines.insert(rng.randrange(len(lines)), lines[at])
                elif op == 2:
                    lines[at] = "".join(
                        rng.choice("0123456789元年月日号%") if c.isdigit() else c for c in lines[at]
                    )
                elif op == 3:
                    lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
                else:
                    rng.shuffle(lines)
            text = "\n".join(lines)
            if text.strip():
                files[name] = text.encode("utf-8")
        return files or {"起诉状.txt": self.text().encode("utf-8")}

    def edit_json(self) -> bytes:
        """A broken or ill-shaped edit file."""
        rng = self.rng
        choice = rng.randrange(6)
        if choice == 0:
            return rng.randbytes(rng.randrange(1, 200))
        if choice == 1:
            good = json.dumps({"facts": {"F1": {"value": "1.00"}}}).encode()
            return good[: rng.randrange(1, len(good))]
        if choice == 2:
            depth = rng.choice([100, 100_000])
            return ('{"facts":' * depth + "1" + "}" * depth).encode()
        if choice == 3:
            return json.dumps(rng.choice([[], None, 1, "x", [{"facts": 1}]])).encode()
        if choice == 4:
            return json.dumps({"facts": {"F1": {"value": "１００"}}}, ensure_ascii=False).encode("gbk")
        return json.dumps(self.edit_shape(), ensure_ascii=False).encode("utf-8")

    def edit_shape(self) -> dict[str, Any]:
        """A JSON object shaped roughly like an edit, with wrong ids, fields and types."""
        rng = self.rng
        values: list[Any] = [
            None,
            "",
            "x",
            "-1",
            "1e9",
            "2023-02-30",
            5,
            -3.5,
            [],
            {},
            ["F1"],
            {"a": 1},
            "民法典:99999",
        ]
        key = rng.choice(["facts", "statutes", "add", "remove", "syllogisms", "sections", "other"])
        if key == "facts" and rng.random() < 0.3:
            return {"facts": [rng.choice(values) for _ in range(rng.randrange(3))]}
        if key in ("add", "remove"):
            item = {
                "law": rng.choice(["民法典", "刑法", "无此法", 1]),
                "article": rng.choice([1, 0, -5, "x", 99999]),
            }
            return {key: [rng.choice([item, rng.choice(values)])]}
        ident = rng.choice(["F1", "F2", "F999", "S1", "S9", "首部", "判决主文", "无此节", ""])
        field_name = rng.choice(["value", "kind", "details", "spans", "conclusion", "origin", "label", "x"])
        return {key: {ident: {field_name: rng.choice(values)} if rng.random() < 0.8 else rng.choice(values)}}

    def row(self) -> Any:
        """A batch row's documents value."""
        rng = self.rng
        values: list[Any] = [
            None,
            "",
            "文本",
            1,
            [],
            {},
            {"text": None},
            {"text": "甲", "kind": 1},
            {"text": "\x00"},
        ]
        return rng.choice([[rng.choice(values) for _ in range(rng.randrange(4))], rng.choice(values)])

    def actor(self) -> str:
        rng = self.rng
        return rng.choice(
            ["", ":", "judge:", "admin:王", "judge: ", "JUDGE:王", "system:x", "clerk:李", "判官:王"]
        ) + rng.choice(["", "王", "\x00", "a" * 300])


def _waiting_case(runner: Any, folder: Path, serial: Iterator[int]) -> str:
    """A case waiting at a checkpoint (a new one once the last is done)."""
    case_id = f"edit-{next(serial)}"
    runner.run_folder(folder, case_id)
    return case_id


def run_malformed(examples: Path, work: Path, home: Path, total: int, seed: int = 0) -> MalformedStats:
    """Try about `total` generated malformed inputs of every kind; see the module docstring."""
    from judgeflow.agents.intake import documents_from_rows, load_case_folder
    from judgeflow.app.cli import main as cli
    from judgeflow.graph.runner import CaseRunner
    from judgeflow.graph.state import Actor, EditDecision

    stats = MalformedStats()
    inputs = Inputs(examples, work, seed)
    rng = inputs.rng
    serial = iter(range(1, 1_000_000))
    clean = examples / "clean-loan"
    shares = {
        "document": 0.38,
        "manifest": 0.14,
        "huge": 0.02,
        "mangled": 0.1,
        "cli run": 0.06,
        "edit file": 0.1,
        "edit": 0.1,
        "row": 0.06,
        "actor": 0.04,
    }
    with CaseRunner(home=home) as runner:
        case_id = _waiting_case(runner, clean, serial)
        for _ in range(total):
            pick = rng.choices(list(shares), weights=list(shares.values()))[0]
            if pick == "document":
                kind, data = inputs.document()
                others = {n: inputs.text().encode() for n in EXAMPLE_FILES[: rng.randrange(0, 3)]}
                path = inputs.folder({**others, rng.choice(["起诉状.txt", "x.TXT", "材料.txt"]): data})
                stats.run(kind, load_case_folder, path)
            elif pick == "manifest":
                path = inputs.folder({"起诉状.txt": inputs.text().encode(), "case.json": inputs.manifest()})
                stats.run("broken case.json", load_case_folder, path)
            elif pick == "huge":
                path = inputs.folder({})
                for n in range(rng.choice([1, 6])):
                    with (path / f"巨大{n}.txt").open("wb") as handle:
                        handle.truncate(rng.choice([2 * 1024 * 1024 + 1, 1_990_000, 50 * 1024 * 1024]))
                stats.run("huge", load_case_folder, path)
            elif pick == "mangled":
                path = inputs.folder(inputs.mangled())
                stats.run(
                    "mangled documents (whole flow)",
                    runner.run_folder,
                    path,
                    f"mangled-{next(serial)}",
                    "evaluation",
                )
            elif pick == "cli run":
                kind, data = inputs.document()
                path = inputs.folder({"起诉状.txt": data})
                name = rng.choice(["", " 空格", "/", "..", "a" * 100])
                if name:
                    target = path.parent / f"{path.name}{name}" if "/" not in name else path
                    if target != path:
                        shutil.move(path, target)
                        path = target
                stats.run(f"judgeflow run: {kind}", cli, ["run", str(path), "--json"])
            elif pick == "edit file":
                edit = inputs.folder({"edit.json": inputs.edit_json()}) / "edit.json"
                command = ["edit", case_id, "--file", str(edit), "--as", "judge:王法官"]
                stats.run("broken edit JSON (judgeflow edit)", cli, command)
            elif pick == "edit":
                checkpoint = runner.status(case_id).checkpoint or "approve_facts"
                shape = inputs.edit_shape()
                decision = EditDecision(
                    checkpoint=checkpoint, actor=Actor(role="judge", name="王法官"), replacement=shape
                )
                stats.run("edit given to the runner", runner.decide, case_id, decision)
            elif pick == "row":
                stats.run("batch row", documents_from_rows, inputs.row())
            else:
                stats.run("--as actor", cli, ["approve", case_id, "--as", inputs.actor()])
            if runner.status(case_id).status != "waiting":
                case_id = _waiting_case(runner, clean, serial)
    return stats
