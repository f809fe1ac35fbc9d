"""Assertions shared by the web tests."""

from __future__ import annotations

import re
from typing import Any

PASSWORD = "correct-horse-9"
ACCOUNTS = {"wang": "judge", "li": "clerk", "zhao": "reviewer", "root": "admin"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
LEAKS = ("Traceback", 'File "', "site-packages", "Error(", "line ")


def assert_clean_error(response: Any, status: int, fragment: str, html: bool = False) -> None:
    """The response has this status, a Chinese message containing `fragment`, and no traceback."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    text = response.text
    for leak in LEAKS:
        assert leak not in text, f"response leaks {leak!r}: {text[:500]}"
    if html:
        assert "text/html" in response.headers["content-type"]
        assert fragment in text, text[:800]
        return
    body = response.json()
    assert set(body) == {"error", "message"}, body
    assert fragment in body["message"], body
    assert CHINESE.search(body["message"]), body
