"""The parts of signing in that need no server: the rate limit's window and the signed values."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import web_settings
from web.auth import LoginLimiter, Signer


def test_the_limit_counts_failures_per_account_and_address_within_the_window() -> None:
    now = [1000.0]
    limiter = LoginLimiter(attempts=5, window=60, clock=lambda: now[0])
    for _ in range(5):
        assert not limiter.blocked("Turid", "10.0.0.1")
        limiter.failed("Turid", "10.0.0.1")
    assert limiter.blocked("turid ", "10.0.0.1")  # the same account however it is typed
    assert not limiter.blocked("turid", "10.0.0.2") and not limiter.blocked("ada", "10.0.0.1")
    now[0] += 59
    assert limiter.blocked("turid", "10.0.0.1")
    now[0] += 1.5
    assert not limiter.blocked("turid", "10.0.0.1")
    assert not limiter._failures  # nothing kept for an account and address that are no longer limited


def test_a_token_is_not_a_session_and_a_tampered_value_is_nothing(tmp_path: Path) -> None:
    signer = Signer(b"k" * 32, web_settings(tmp_path, "tq"))
    token = signer.token("ada")
    cookie, csrf = signer.session("ada")
    assert signer.read_token(token) == "ada" and signer.read_session(cookie) == ("ada", csrf)
    assert signer.read_session(token) is None and signer.read_token(cookie) is None  # salts differ
    assert signer.read_token(token[:-2] + "xx") is None
    assert Signer(b"x" * 32, web_settings(tmp_path, "tq")).read_token(token) is None
    assert signer.session("ada")[1] != csrf  # a fresh CSRF token at every sign-in
