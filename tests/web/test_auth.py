"""The parts of signing in that need no server: the rate limit's window, the signed values, and how an OpenID
provider's claims become an account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.accounts import Role
from tests.web.conftest import web_settings
from web.auth import LoginLimiter, Signer
from web.oidc import SignInRefused, account_from_claims, username_from_claims


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


ISSUER = "https://auth.example.no"
PARTICIPANT = "kull-2022.gruppe-1804.deltaker-2"


def test_claims_map_to_the_most_privileged_role_with_the_binding_of_that_role_only(tmp_path: Path) -> None:
    settings = web_settings(tmp_path, "tq").model_copy(
        update={"oidc_role_map": {"studieadm": "admin", "kontakt": "municipality", "deltaker": "participant"}}
    )

    def account(claims: dict[str, Any]) -> tuple[str, Role, str | None, str | None]:
        made = account_from_claims({"sub": "s-1"} | claims, settings, ISSUER)
        return made.username, made.role, made.municipality, made.participant

    both = {"nis_role": ["kontakt", "studieadm"], "nis_municipality": "0301", "preferred_username": "per"}
    assert account(both) == ("per", Role.ADMIN, None, None)  # the admin is bound to no municipality
    assert account(both | {"nis_role": "kontakt"}) == ("per", Role.MUNICIPALITY, "0301", None)
    assert account({"nis_role": "deltaker", "nis_participant": PARTICIPANT})[1:] == (
        Role.PARTICIPANT,
        None,
        PARTICIPANT,
    )
    for claims in (
        {},
        {"nis_role": "admin"},  # not in this role map
        {"nis_role": [None, 7]},
        {"nis_role": "kontakt", "nis_municipality": 301},  # a number has lost the kommunenummer's leading zero
        {"nis_role": "kontakt"},
        {"nis_role": "deltaker", "nis_participant": "deltaker-2"},
    ):
        with pytest.raises(SignInRefused) as refused:
            account(claims)
        assert refused.value.code == 403 and "Kontakt studieadministrasjonen" in refused.value.message


def test_a_user_name_is_the_claim_when_it_is_a_handle_else_a_hash_of_issuer_and_subject(tmp_path: Path) -> None:
    settings = web_settings(tmp_path, "tq")
    assert username_from_claims({"sub": "s-1", "preferred_username": "kari.n"}, settings, ISSUER) == "kari.n"
    hashed = username_from_claims({"sub": "s-1", "preferred_username": "kari@example.no"}, settings, ISSUER)
    assert hashed.startswith("oidc-") and len(hashed) == 21 and "kari" not in hashed
    for other in (
        {"sub": "s-1"},
        {"sub": "s-1", "preferred_username": "Kari"},
        {"sub": "s-1", "preferred_username": 5},
    ):
        assert username_from_claims(other, settings, ISSUER) == hashed  # the same person, the same name
    assert username_from_claims({"sub": "s-2"}, settings, ISSUER) != hashed
    assert username_from_claims({"sub": "s-1"}, settings, "https://other.example.no") != hashed
