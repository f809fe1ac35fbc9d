"""Fixtures of the web workbench tests: a home with one account per role, and a signed-in client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from web.helpers import ACCOUNTS, PASSWORD


@pytest.fixture
def web_home(home: Path) -> Path:
    """JUDGEFLOW_HOME with a judge (wang), a clerk (li), a reviewer (zhao) and an admin (root)."""
    from judgeflow.app.web.accounts import AccountStore

    store = AccountStore(home)
    for name, role in ACCOUNTS.items():
        store.add(name, role, PASSWORD)
    return home


@pytest.fixture
def client(web_home: Path) -> Iterator[Any]:
    """A TestClient over the app; server errors come back as responses, as a browser would see them."""
    from fastapi.testclient import TestClient
    from judgeflow.app.web.app import create_app

    with TestClient(create_app(web_home), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def login(client: Any) -> Callable[[str], str]:
    """Sign the client in as an account; returns the session's CSRF token."""

    def _login(name: str) -> str:
        response = client.post("/api/login", json={"name": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return str(response.json()["csrf_token"])

    return _login
