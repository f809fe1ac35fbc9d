"""Local accounts and server-side sessions of the web workbench (under JUDGEFLOW_HOME/web/).

Passwords are stored only as salted scrypt hashes. A session is a random token held in an
HttpOnly cookie; the server keeps only the token's SHA-256 with its account, its CSRF token and
its expiry, so a stolen database does not yield live cookies. Sessions slide: each request that
finds a session alive moves its expiry forward by the session lifetime.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from judgeflow.errors import InputError
from judgeflow.policies.roles import ROLE_ACTIONS

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS accounts (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        salt TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        csrf TEXT NOT NULL,
        expires_at REAL NOT NULL
    )
    """,
)
ROLES = tuple(ROLE_ACTIONS)
NAME_PATTERN = re.compile(r"^[\w\-.\u4e00-\u9fff]{1,40}$")
MIN_PASSWORD = 8
DEFAULT_SESSION_SECONDS = 8 * 3600
# scrypt cost: 16 MiB of memory per hash, about 50 ms on one core.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, salt: bytes) -> str:
    """The scrypt hash of a password with this salt, hex-encoded."""
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return digest.hex()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_seconds() -> float:
    """Session lifetime: $JUDGEFLOW_SESSION_SECONDS, or eight hours."""
    raw = os.environ.get("JUDGEFLOW_SESSION_SECONDS", "")
    try:
        return float(raw) if raw else DEFAULT_SESSION_SECONDS
    except ValueError:
        raise InputError(f"JUDGEFLOW_SESSION_SECONDS 须为秒数，而不是 {raw!r}") from None


@dataclass(frozen=True)
class Account:
    """A workbench account: its name (also the name decisions are recorded under) and role."""

    name: str
    role: str
    active: bool = True


@dataclass(frozen=True)
class Session:
    """A live session: whose it is, its CSRF token, and the raw cookie token (new sessions only)."""

    account: Account
    csrf: str
    token: str = ""


class SessionExpired(Exception):
    """The cookie names a session that has expired or no longer exists."""


class AccountStore:
    """Accounts and sessions in one SQLite file; safe to use from several threads and processes."""

    def __init__(self, home: Path, lifetime: float | None = None) -> None:
        folder = home / "web"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "accounts.sqlite"
        self.lifetime = session_seconds() if lifetime is None else lifetime

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        for statement in SCHEMA:
            conn.execute(statement)
        return conn

    # -- accounts ------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str) -> Account:
        """Create an account; refuses a taken name, an unknown role or a short password."""
        if not NAME_PATTERN.match(name):
            raise InputError(f"账户名 {name!r} 不合法：只能使用字母、数字、汉字、-、_ 和 .（最多 40 个字符）")
        if role not in ROLES:
            raise InputError(f"未知角色 {role!r}；可选：{'、'.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"密码至少 {MIN_PASSWORD} 个字符（password too short）")
        salt = secrets.token_bytes(16)
        conn = self._connect()
        try:
            conn.execute(
                "INSERT INTO accounts (name, role, salt, password_hash, active, created_at) VALUES (?,?,?,?,1,?)",
                (name, role, salt.hex(), hash_password(password, salt), time.time()),
            )
        except sqlite3.IntegrityError:
            raise InputError(f"账户 {name} 已存在") from None
        finally:
            conn.close()
        return Account(name, role)

    def get(self, name: str) -> Account | None:
        """The account with this name, if any."""
        conn = self._connect()
        try:
            row = conn.execute("SELECT name, role, active FROM accounts WHERE name = ?", (name,)).fetchone()
        finally:
            conn.close()
        return Account(row[0], row[1], bool(row[2])) if row else None

    def list(self) -> list[Account]:
        """Every account, by name."""
        conn = self._connect()
        try:
            rows = conn.execute("SELECT name, role, active FROM accounts ORDER BY name").fetchall()
        finally:
            conn.close()
        return [Account(r[0], r[1], bool(r[2])) for r in rows]

    def update(
        self, name: str, role: str | None = None, active: bool | None = None, password: str | None = None
    ) -> Account:
        """Change an account's role, active flag or password; a change ends its sessions."""
        account = self.get(name)
        if account is None:
            raise InputError(f"没有账户 {name}")
        if role is not None and role not in ROLES:
            raise InputError(f"未知角色 {role!r}；可选：{'、'.join(ROLES)}")
        if password is not None and len(password) < MIN_PASSWORD:
            raise InputError(f"密码至少 {MIN_PASSWORD} 个字符（password too short）")
        conn = self._connect()
        try:
            if role is not None:
                conn.execute("UPDATE accounts SET role = ? WHERE name = ?", (role, name))
            if active is not None:
                conn.execute("UPDATE accounts SET active = ? WHERE name = ?", (int(active), name))
            if password is not None:
                salt = secrets.token_bytes(16)
                conn.execute(
                    "UPDATE accounts SET salt = ?, password_hash = ? WHERE name = ?",
                    (salt.hex(), hash_password(password, salt), name),
                )
            conn.execute("DELETE FROM sessions WHERE account = ?", (name,))
        finally:
            conn.close()
        return self.get(name) or account  # accounts are never deleted, so the first always answers

    def verify(self, name: str, password: str) -> Account | None:
        """The account when the name and password match an active account, else None."""
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT name, role, salt, password_hash, active FROM accounts WHERE name = ?", (name,)
            ).fetchone()
        finally:
            conn.close()
        if row is None:
            hash_password(password, b"0" * 16)  # the same work as for a real account: no timing oracle
            return None
        matches = hmac.compare_digest(hash_password(password, bytes.fromhex(row[2])), row[3])
        if not matches or not row[4]:
            return None
        return Account(row[0], row[1], True)

    # -- sessions ------------------------------------------------------------------------------
    def open_session(self, account: Account) -> Session:
        """A new session for the account; the returned token goes into the cookie."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        conn = self._connect()
        try:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (time.time(),))
            conn.execute(
                "INSERT INTO sessions (token_hash, account, csrf, expires_at) VALUES (?,?,?,?)",
                (_token_hash(token), account.name, csrf, time.time() + self.lifetime),
            )
        finally:
            conn.close()
        return Session(account, csrf, token)

    def session(self, token: str) -> Session:
        """The live session for a cookie token (its expiry moved forward); SessionExpired if none."""
        key = _token_hash(token)
        now = time.time()
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT s.csrf, s.expires_at, a.name, a.role, a.active FROM sessions s "
                "JOIN accounts a ON a.name = s.account WHERE s.token_hash = ?",
                (key,),
            ).fetchone()
            if row is None or row[1] < now or not row[4]:
                conn.execute("DELETE FROM sessions WHERE token_hash = ?", (key,))
                raise SessionExpired
            conn.execute(
                "UPDATE sessions SET expires_at = ? WHERE token_hash = ?", (now + self.lifetime, key)
            )
        finally:
            conn.close()
        return Session(Account(row[2], row[3], True), row[0])

    def close_session(self, token: str) -> None:
        """End a session (logout)."""
        conn = self._connect()
        try:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))
        finally:
            conn.close()

    def expire_sessions(self, name: str) -> int:
        """Mark every session of an account as expired now (they then read as expired); returns how many."""
        conn = self._connect()
        try:
            cursor = conn.execute("UPDATE sessions SET expires_at = 0 WHERE account = ?", (name,))
        finally:
            conn.close()
        return cursor.rowcount
