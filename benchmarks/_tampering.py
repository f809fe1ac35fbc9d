"""Audit tampering: change, delete, reorder, insert or forge entries of a real audit log and count how
many of those changes `AuditLog.verify()` reports (the check behind `judgeflow audit verify`).

Each case works on a fresh copy of a log written by real runs. Rewriting every entry after a change
with recomputed hashes *and* moving the head is not detectable by any self-contained hash chain; it
is tried and reported on its own line, outside the count (it needs the head anchored elsewhere).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Tamper = Callable[[sqlite3.Connection, Path, random.Random], None]
FIELDS = ("case_id", "case_seq", "at", "actor", "action", "detail", "prev_hash", "case_prev_hash", "hash")


@dataclass
class TamperStats:
    """Tampering cases tried and detected, by kind."""

    tried: int = 0
    detected: int = 0
    crashed: int = 0  # verify raised instead of reporting
    by_kind: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    anchor_tried: int = 0
    anchor_detected: int = 0


def _rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]


def _rehash(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    from judgeflow.graph.audit import entry_hash

    row["hash"] = entry_hash(row)
    conn.execute("UPDATE audit SET hash = ? WHERE seq = ?", (row["hash"], row["seq"]))


def _edit_field(name: str) -> Tamper:
    def tamper(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
        row = rng.choice(_rows(conn))
        value = row[name]
        new: Any = value + 1 if isinstance(value, int) else (value[:-1] + ("0" if value[-1:] != "0" else "1"))
        if name == "detail":
            new = value.replace('"approve"', '"reject"') if '"approve"' in value else value + " "
        if name == "actor":
            new = "judge:别人"
        conn.execute(f"UPDATE audit SET {name} = ? WHERE seq = ?", (new, row["seq"]))

    return tamper


def _delete(which: str) -> Tamper:
    def tamper(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
        seqs = [r["seq"] for r in _rows(conn)]
        if which == "run":
            start = rng.randrange(1, len(seqs) - 3)
            doomed = seqs[start : start + rng.randrange(2, 4)]
        else:
            doomed = [{"first": seqs[0], "last": seqs[-1], "middle": rng.choice(seqs[1:-1])}[which]]
        conn.executemany("DELETE FROM audit WHERE seq = ?", [(s,) for s in doomed])

    return tamper


def _swap_contents(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
    rows = _rows(conn)
    a, b = rng.sample(rows, 2)
    for src, dst in ((a, b), (b, a)):
        conn.execute(
            f"UPDATE audit SET {', '.join(f'{f} = ?' for f in FIELDS)} WHERE seq = ?",
            (*(src[f] for f in FIELDS), dst["seq"]),
        )


def _insert_forged(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
    rows = _rows(conn)
    after = rng.choice(rows[:-1])
    conn.execute("UPDATE audit SET seq = seq + 100000 WHERE seq > ?", (after["seq"],))
    conn.execute("UPDATE audit SET seq = seq - 99999 WHERE seq > 100000")
    forged = {**after, "seq": after["seq"] + 1, "actor": "judge:伪造", "prev_hash": after["hash"]}
    forged["case_seq"] = after["case_seq"] + 1
    columns = ("seq", *FIELDS)
    conn.execute(
        f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        tuple(forged[c] for c in columns),
    )
    _rehash(conn, forged)


def _rehashed_edit(fix_next_link: bool) -> Tamper:
    def tamper(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
        rows = _rows(conn)
        index = rng.randrange(len(rows) - 1)
        row = {**rows[index], "actor": "judge:别人"}
        conn.execute("UPDATE audit SET actor = ? WHERE seq = ?", (row["actor"], row["seq"]))
        _rehash(conn, row)
        if fix_next_link:
            conn.execute(
                "UPDATE audit SET prev_hash = ? WHERE seq = ?", (row["hash"], rows[index + 1]["seq"])
            )

    return tamper


def _duplicate(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
    rows = _rows(conn)
    copy = {**rng.choice(rows), "seq": rows[-1]["seq"] + 1}
    columns = ("seq", *FIELDS)
    conn.execute(
        f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        tuple(copy[c] for c in columns),
    )


def _head(kind: str) -> Tamper:
    def tamper(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
        rows = _rows(conn)
        if kind == "removed":
            head.unlink()
        elif kind == "garbage":
            head.write_bytes(rng.randbytes(rng.randrange(1, 40)))
        elif kind == "ahead":
            head.write_text(json.dumps({"seq": rows[-1]["seq"] + 3, "hash": "f" * 64}), encoding="utf-8")
        else:  # every entry removed, the head left as it was
            conn.execute("DELETE FROM audit")

    return tamper


def _rewrite_tail(conn: sqlite3.Connection, head: Path, rng: random.Random) -> None:
    """Change an entry and recompute every later hash and link, and the head: undetectable here."""
    rows = _rows(conn)
    index = rng.randrange(len(rows))
    rows[index]["actor"] = "judge:别人"
    previous = rows[index - 1]["hash"] if index else "0" * 64
    for row in rows[index:]:
        row["prev_hash"] = previous
        conn.execute(
            "UPDATE audit SET actor = ?, prev_hash = ? WHERE seq = ?", (row["actor"], previous, row["seq"])
        )
        _rehash(conn, row)
        previous = row["hash"]
    head.write_text(json.dumps({"seq": rows[-1]["seq"], "hash": rows[-1]["hash"]}), encoding="utf-8")


TAMPERS: dict[str, Tamper] = {
    **{f"edit {name}": _edit_field(name) for name in FIELDS},
    "delete a middle entry": _delete("middle"),
    "delete the first entry": _delete("first"),
    "delete the last entry": _delete("last"),
    "delete a run of entries": _delete("run"),
    "swap two entries (reorder)": _swap_contents,
    "insert a forged entry": _insert_forged,
    "edit and rehash one entry": _rehashed_edit(False),
    "edit, rehash and relink one entry": _rehashed_edit(True),
    "append a copy of an entry": _duplicate,
    "remove the head file": _head("removed"),
    "garble the head file": _head("garbage"),
    "move the head past the end": _head("ahead"),
    "empty the log": _head("empty"),
}


def run_tampering(pristine: Path, work: Path, rounds: int, seed: int = 0) -> TamperStats:
    """Apply every tamper `rounds` times (random targets) to copies of the log in `pristine`."""
    from judgeflow.graph.audit import AuditLog

    rng = random.Random(seed)
    stats = TamperStats()
    plan = [(name, tamper) for _ in range(rounds) for name, tamper in TAMPERS.items()]
    plan += [("rewrite the tail and the head", _rewrite_tail)] * rounds
    for number, (name, tamper) in enumerate(plan):
        home = work / f"tamper-{number}"
        shutil.copytree(pristine, home)
        conn = sqlite3.connect(home / "audit.sqlite")
        tamper(conn, home / "audit.head", rng)
        conn.commit()
        conn.close()
        log = AuditLog(home)
        try:
            detected = not log.verify().ok
            crashed = False
        except Exception:
            detected, crashed = False, True
        finally:
            log.close()
        if name == "rewrite the tail and the head":
            stats.anchor_tried += 1
            stats.anchor_detected += detected
            continue
        stats.tried += 1
        stats.by_kind[name] += 1
        stats.detected += detected
        stats.crashed += crashed
        if not detected:
            stats.missed[name] += 1
        shutil.rmtree(home)
    return stats
