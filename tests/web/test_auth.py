"""The parts of signing in that need no server: the rate limit's window and memory, and how an OpenID provider's
claims become an account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.accounts import Role
from tests.web.conftest import web_settings
from web.auth import LoginLimiter
from web.oidc import SignInRefused, account_from_claims, username_from_claims


def test_the_limit_counts_failures_per_account_from_any_address_and_per_address_for_any_name() -> None:
    now = [1000.0]
    limiter = LoginLimiter(per_account=5, per_address=8, window=60, clock=lambda: now[0])
    for n in range(5):
        assert not limiter.blocked("Turid", f"10.0.0.{n}")
        limiter.failed("Turid", f"10.0.0.{n}")  # each try from another address
    assert limiter.blocked("turid ", "10.9.9.9")  # the same account however it is typed, from anywhere
    assert not limiter.blocked("ada", "10.0.0.1")
    now[0] += 59
    assert limiter.blocked("turid", "10.0.0.1")
    now[0] += 1.5
    assert not limiter.blocked("turid", "10.0.0.1")
    assert not limiter._failures  # nothing kept for an account and address that are no longer limited
    for n in range(8):  # password spraying: one address, many names
        limiter.failed(f"navn-{n}", "10.0.0.7")
    assert limiter.blocked("ada", "10.0.0.7") and not limiter.blocked("ada", "10.0.0.8")


def test_the_limit_keeps_bounded_memory_and_short_keys() -> None:
    limiter = LoginLimiter(per_account=5, per_address=1000, window=60, tracked=100)
    for n in range(1000):
        limiter.failed(f"gjettet-{n}", "10.0.0.1")
    assert len(limiter._failures) <= 100
    limiter.failed("x" * 200_000, "10.0.0.2")
    assert max(len(name) for _, name in limiter._failures) == 64  # a 200 kB name is kept as 64 characters


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
