"""The `kg` subcommands the CLI wires in, against the session's loaded graph."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from judgeflow.app.kg_commands import add_kg_load_status
from judgeflow.knowledge_graph.importer import kg_status
from judgeflow.knowledge_graph.store import FalkorStore


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="judgeflow")
    add_kg_load_status(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_kg_status_command(kg_home: Path, kg_store: FalkorStore, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["kg", "status", "--json"])
    args.func(args)
    data = json.loads(capsys.readouterr().out)
    assert data["loaded"] is True and data["backend"] == "falkordb"
    assert data["nodes"]["Article"] == data["source"]["articles"] == 26193
    assert data["source"]["article_rows"] == 26196 and data["relationships"]["VERSION_OF"] == 11
    args = _parse(["kg", "status"])
    args.func(args)
    assert "已完整导入" in capsys.readouterr().out
    assert kg_status(kg_home)["loaded"] is True
