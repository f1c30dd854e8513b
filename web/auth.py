"""Who is signed in, and may they: session cookies, API tokens, CSRF tokens, the sign-in rate limit, `require`.

A page and an API call are checked by the same `require(*roles)`: the bearer token when the request carries
one, else the session cookie. Without either, a page redirects to the sign-in form and the API answers 401.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from itsdangerous import BadSignature, URLSafeTimedSerializer

from runtime.settings import Settings
from store.accounts import Account, Accounts, Role

SESSION_COOKIE = "nis_session"
LOGIN_CSRF_COOKIE = "nis_login_csrf"
API_PREFIXES = ("/api/", "/codec/")
bearer = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)  # reads the header; documents the flow


class SignInRequired(Exception):
    """A page asked for without a valid session: the answer is the sign-in form."""


class Signer:
    """Signed, timed values: the session cookie and the API token share the secret, never the salt."""

    def __init__(self, secret: bytes, settings: Settings) -> None:
        self._sessions = URLSafeTimedSerializer(secret, salt="nis-session")
        self._tokens = URLSafeTimedSerializer(secret, salt="nis-api-token")
        self._flash = URLSafeTimedSerializer(secret, salt="nis-flash")
        self.session_seconds = settings.web_session_minutes * 60
        self.token_seconds = settings.web_token_minutes * 60

    def session(self, username: str) -> tuple[str, str]:
        """A new session's cookie value and its CSRF token (rotated at every sign-in)."""
        csrf = secrets.token_urlsafe(32)
        return self._sessions.dumps({"u": username, "c": csrf}), csrf

    def read_session(self, value: str) -> tuple[str, str] | None:
        try:
            data = self._sessions.loads(value, max_age=self.session_seconds)
        except BadSignature:
            return None
        return str(data["u"]), str(data["c"])

    def token(self, username: str) -> str:
        return self._tokens.dumps({"u": username})

    def read_token(self, value: str) -> str | None:
        try:
            return str(self._tokens.loads(value, max_age=self.token_seconds)["u"])
        except BadSignature:
            return None

    def flash(self, message: str) -> str:
        return self._flash.dumps(message)

    def read_flash(self, value: str) -> str | None:
        try:
            return str(self._flash.loads(value, max_age=300))
        except BadSignature:
            return None


class LoginLimiter:
    """At most `attempts` failed sign-ins per account and address within `window` seconds."""

    def __init__(self, attempts: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts = attempts
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, username: str, address: str) -> bool:
        key = _key(username, address)
        failures = self._failures.get(key)
        if failures is None:
            return False
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]  # guessed names must not pile up in memory
        return len(failures) >= self.attempts

    def failed(self, username: str, address: str) -> None:
        self._failures[_key(username, address)].append(self.clock())


def _key(username: str, address: str) -> str:
    return f"{username.strip().lower()}|{address}"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def signed_in(request: Request, token: str | None = None) -> Account | None:
    """The account behind the request's bearer token or session cookie, or None.

    The JSON API takes bearer tokens only: a cookie rides along with requests other sites make, a token does not.
    """
    web = request.app.state.web
    accounts: Accounts = web.accounts
    signer: Signer = web.signer
    if token:
        username = signer.read_token(token)
    elif request.url.path.startswith("/api/"):
        username = None
    else:
        session = signer.read_session(request.cookies.get(SESSION_COOKIE, ""))
        username = session[0] if session else None
        request.state.csrf = session[1] if session else None
    return await accounts.get(username) if username else None


def require(*roles: Role) -> Callable[..., Awaitable[Account]]:
    """A dependency: the signed-in account if its role is one of `roles` (any role when none are given)."""

    async def dependency(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Account:
        account = await signed_in(request, token)
        if account is None:
            if request.url.path.startswith(API_PREFIXES):
                raise HTTPException(
                    status.HTTP_401_UNAUTHORIZED,
                    "Not signed in: send a bearer token from /api/token",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            raise SignInRequired()
        if roles and account.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"Role {account.role.value} may not do this")
        return account

    return dependency


def csrf_token(request: Request) -> str:
    """The token every form of this session carries (set by `signed_in`)."""
    token: str | None = getattr(request.state, "csrf", None)
    if token is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "No session: sign in again")
    return token


def check_csrf(request: Request, submitted: str) -> None:
    """A form whose token is not this session's is refused before anything is done."""
    expected: Any = getattr(request.state, "csrf", None)
    if not expected or not hmac.compare_digest(str(expected), submitted):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "The form has expired or did not come from this site (CSRF); reload the page and try again",
        )
