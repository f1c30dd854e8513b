"""Who is signed in, and may they: session cookies, API tokens, CSRF tokens, the sign-in rate limit, `require`.

A page and an API call are checked by the same `require(*roles)`: the bearer token when the request carries
one, else the session cookie. Without either, a page redirects to the sign-in form and the API answers 401.
Both are random secrets whose rows are in store.sessions, so they can be ended.
"""

from __future__ import annotations

import hmac
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Annotated, Any

from fastapi import Depends, Request, status
from fastapi.security import OAuth2PasswordBearer
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gateway.accounts import Account, Accounts, Kind, Role, Sessions
from web.errors import refusal

USERNAME_MAX = 64
_UNKNOWN = object()

SESSION_COOKIE = "nis_session"
LOGIN_CSRF_COOKIE = "nis_login_csrf"
API_PREFIXES = ("/api/", "/codec/")
bearer = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)  # reads the header; documents the flow


class SignInRequired(Exception):
    """A page asked for without a valid session: the answer is the sign-in form."""


class Signer:
    """Signed, timed values that need no server-side row: the message shown once after a form."""

    def __init__(self, secret: bytes) -> None:
        self._flash = URLSafeTimedSerializer(secret, salt="nis-flash")

    def flash(self, message: str) -> str:
        return self._flash.dumps(message)

    def read_flash(self, value: str) -> str | None:
        try:
            return str(self._flash.loads(value, max_age=300))
        except BadSignature:
            return None


class LoginLimiter:
    """Failed sign-ins within `window` seconds: at most `per_account` for one account from any address, and at most
    `per_address` from one address for any names (password spraying). Memory is bounded: at most `tracked` keys,
    the longest-idle forgotten first, and a key is at most a user name's length."""

    def __init__(
        self,
        per_account: int,
        per_address: int,
        window: float,
        tracked: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"account": per_account, "address": per_address}
        self.window = window
        self.tracked = tracked
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    def blocked(self, username: str, address: str) -> bool:
        self._forget_stale()
        return any(len(self._recent(key)) >= self.limits[key[0]] for key in _keys(username, address))

    def failed(self, username: str, address: str) -> None:
        for key in _keys(username, address):
            failures = self._recent(key)
            failures.append(self.clock())
            self._failures[key] = failures
            self._failures.move_to_end(key)
        while len(self._failures) > self.tracked:
            self._failures.popitem(last=False)

    def _forget_stale(self) -> None:
        """Keys are kept in the order of their last failure: drop from the front those past the window."""
        while self._failures:
            failures = next(iter(self._failures.values()))
            if failures and failures[-1] > self.clock() - self.window:
                return
            self._failures.popitem(last=False)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)  # guessed names must not pile up in memory
        return failures


def _keys(username: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
    # a user name is at most 64 characters (store.accounts.USERNAME): a longer one is the same guess
    return ("account", username.strip().lower()[:USERNAME_MAX]), ("address", address)


def client_address(request: Request) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy (NIS_WEB_TRUSTED_PROXIES), the last
    address in X-Forwarded-For that is not one of those proxies."""
    peer = request.client.host if request.client else "unknown"
    proxies = request.app.state.web.proxies
    if not _trusted(peer, proxies):
        return peer
    forwarded = [hop.strip() for hop in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if hop.strip()]
    for hop in reversed(forwarded):
        if not _trusted(hop, proxies):
            return hop[:64]
    return peer


def _trusted(address: str, proxies: list[IPv4Network | IPv6Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


async def signed_in(request: Request, token: str | None = None) -> Account | None:
    """The account behind the request's bearer token or session cookie, or None (looked up once per request).

    The JSON API takes bearer tokens only: a cookie rides along with requests other sites make, a token does not.
    """
    known = getattr(request.state, "account", _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    web = request.app.state.web
    sessions: Sessions = web.web_sessions
    if token is None:
        token = bearer_of(request)
    current = None
    if token:
        current = await sessions.current(token, Kind.TOKEN)
    elif not request.url.path.startswith("/api/"):
        current = await sessions.current(request.cookies.get(SESSION_COOKIE, ""), Kind.SESSION)
        request.state.csrf = current.csrf if current else None
    accounts: Accounts = web.accounts
    account = await accounts.get(current.username) if current else None
    request.state.account = account
    return account


def bearer_of(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require(*roles: Role) -> Callable[..., Awaitable[Account]]:
    """A dependency: the signed-in account if its role is one of `roles` (any role when none are given)."""

    async def dependency(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Account:
        account = await signed_in(request, token)
        if account is None:
            if request.url.path.startswith(API_PREFIXES):
                raise refusal(status.HTTP_401_UNAUTHORIZED, "web.not_signed_in", headers={"WWW-Authenticate": "Bearer"})
            raise SignInRequired()
        if roles and account.role not in roles:
            raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
        return account

    # read by web.security, which checks the role of an API call before its body is read
    setattr(dependency, "roles", tuple(role.value for role in roles))  # noqa: B010
    return dependency


def csrf_token(request: Request) -> str:
    """The token every form of this session carries (set by `signed_in`)."""
    token: str | None = getattr(request.state, "csrf", None)
    if token is None:
        raise refusal(status.HTTP_403_FORBIDDEN, "web.no_session")
    return token


def check_csrf(request: Request, submitted: str) -> None:
    """A form whose token is not this session's is refused before anything is done."""
    expected: Any = getattr(request.state, "csrf", None)
    if not expected or not hmac.compare_digest(str(expected), submitted):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.csrf")
