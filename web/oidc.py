"""Sign-in with OpenID Connect (production): the authorization code flow with PKCE (S256), state and nonce.

authlib does the protocol: discovery, the redirect, the code exchange and the ID token's checks (signature by
the provider's JWKS, issuer, audience, nonce, expiry). Here the provider's claims become an account: the role
claim through the role map, the kommunenummer or participant the role is bound to, validated as for a local
account. The person is the issuer and subject, never the username claim (a provider may let it be edited or reused):
their first sign-in makes the account (store/identities.py), named by that claim if the name is free, and every
later one opens that account and updates its role (never a local account with a password, never renamed), so the
audit trail names it like any other. The state, nonce and PKCE verifier wait in their own signed cookie, limited to
the sign-in's paths and to ten minutes. No name, e-mail address or token is ever logged: only why a sign-in
was refused, and the issuer.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import httpx2  # what authlib's client speaks HTTP with (it raises httpx2's errors)
import structlog
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import Request, Response, status
from joserfc.errors import JoseError

from domain.catalogue.labels import label
from gateway.accounts import (
    USERNAME,
    Account,
    AccountError,
    Accounts,
    LocalAccountExists,
    Role,
    check_external,
    derived_username,
)
from runtime.settings import Settings

STATE_COOKIE = "nis_oidc"
STATE_PATH = "/logg-inn/oidc"  # the cookie rides only on the start and the callback
STATE_SECONDS = 600  # the time a person has at the provider to sign in
PRIVILEGE = (Role.ADMIN, Role.TEACHER, Role.EXAMINER, Role.MUNICIPALITY, Role.PARTICIPANT)  # most privileged first
UNAVAILABLE = "Innloggingstjenesten svarer ikke nå. Prøv igjen om litt."
INVALID_ANSWER = (
    "Innloggingstjenesten sendte et svar som ikke kunne godtas. Prøv igjen, eller kontakt studieadministrasjonen."
)
log = structlog.get_logger()


class SignInRefused(Exception):
    """No account comes of the provider's answer: `message` is for the person (Norwegian), `reason` for the log
    (never a name, e-mail address or token)."""

    def __init__(self, reason: str, message: str, code: int = status.HTTP_403_FORBIDDEN) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.code = code


class OpenIdSignIn:
    """One configured provider (NIS_OIDC_*); `None` from `configured` when there is none."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_issuer and settings.oidc_client_id  # Settings refuses an issuer without a client
        self.settings = settings
        self.issuer = settings.oidc_issuer.rstrip("/")
        secret = settings.oidc_client_secret
        client_kwargs = {"scope": settings.oidc_scopes, "code_challenge_method": "S256"}
        if secret is None:
            client_kwargs["token_endpoint_auth_method"] = "none"  # a public client: PKCE is its only proof
        self.client: Any = OAuth().register(
            name="nis",
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_id=settings.oidc_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            client_kwargs=client_kwargs,
        )

    @classmethod
    def configured(cls, settings: Settings) -> OpenIdSignIn | None:
        return cls(settings) if settings.oidc_issuer else None

    async def redirect(self, request: Request, redirect_uri: str) -> Response:
        """To the provider's authorization endpoint; the state, nonce and PKCE verifier go into the state cookie."""
        try:
            await self._metadata()
            response: Response = await self.client.authorize_redirect(request, redirect_uri)
        except (httpx2.HTTPError, ValueError) as error:
            raise SignInRefused(
                f"provider unavailable ({type(error).__name__})", UNAVAILABLE, status.HTTP_503_SERVICE_UNAVAILABLE
            ) from None
        return response

    async def sign_in(self, request: Request, accounts: Accounts) -> Account:
        """The account of the person the provider sent back, stored or updated; SignInRefused when there is none."""
        claims = await self._claims(request)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise SignInRefused("no subject in the claims", INVALID_ANSWER, status.HTTP_502_BAD_GATEWAY)
        wanted = account_from_claims(claims, self.settings, self.issuer)
        try:
            return await accounts.upsert_external(self.issuer, subject, wanted)
        except LocalAccountExists:
            raise SignInRefused(
                "the identity's account is a local account",
                "Kontoen din hos innloggingstjenesten hører til en lokal konto med passord her, og den tas ikke over. "
                "Logg inn med passordet, eller be studieadministrasjonen rydde opp i kontoene.",
                status.HTTP_409_CONFLICT,
            ) from None
        except AccountError:
            raise SignInRefused(
                "the identity's user name belongs to another identity",
                "Kontoen din hos innloggingstjenesten kan ikke knyttes til en konto her, for brukernavnet den får "
                "tilhører en annen. Kontakt studieadministrasjonen.",
                status.HTTP_409_CONFLICT,
            ) from None

    async def _metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = await self.client.load_server_metadata()
        if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
            self.client.server_metadata.clear()  # fetched again next time, in case it was a mistake being fixed
            raise SignInRefused("the discovery document names another issuer", UNAVAILABLE, status.HTTP_502_BAD_GATEWAY)
        return metadata

    async def _claims(self, request: Request) -> dict[str, Any]:
        """The validated ID token's claims, with the userinfo endpoint's where the provider has one."""
        try:
            metadata = await self._metadata()
            token = await self.client.authorize_access_token(request)
            claims = dict(token.get("userinfo") or {})
            if not claims:
                raise SignInRefused("no ID token in the token response", INVALID_ANSWER, status.HTTP_502_BAD_GATEWAY)
            if metadata.get("userinfo_endpoint"):
                # many providers release their extra claims (the role) only here, not in the ID token
                userinfo = dict(await self.client.userinfo(token=token))
                if userinfo.get("sub") != claims["sub"]:
                    raise SignInRefused("userinfo names another subject", INVALID_ANSWER, status.HTTP_502_BAD_GATEWAY)
                claims |= userinfo
        except MismatchingStateError:
            raise SignInRefused(
                "state missing or not this browser's",
                "Innloggingen var utløpt eller ble ikke startet i denne nettleseren. Prøv igjen.",
                status.HTTP_400_BAD_REQUEST,
            ) from None
        except OAuthError as error:
            if error.error == "access_denied":
                raise SignInRefused(
                    "access_denied", "Innloggingen ble avbrutt eller avvist hos innloggingstjenesten."
                ) from None
            raise SignInRefused(
                f"provider error {_code(error.error)}", INVALID_ANSWER, status.HTTP_400_BAD_REQUEST
            ) from None
        except (AuthlibBaseError, JoseError, KeyError) as error:
            raise SignInRefused(
                f"ID token refused ({type(error).__name__})", INVALID_ANSWER, status.HTTP_400_BAD_REQUEST
            ) from None
        except (httpx2.HTTPError, ValueError) as error:
            raise SignInRefused(
                f"provider unavailable ({type(error).__name__})", UNAVAILABLE, status.HTTP_503_SERVICE_UNAVAILABLE
            ) from None
        return claims


def account_from_claims(claims: Mapping[str, Any], settings: Settings, issuer: str) -> Account:
    """The account the claims describe: the most privileged role the role claim maps to, and its binding."""
    values = claims.get(settings.oidc_role_claim)
    if isinstance(values, str):
        values = [values]
    mapped = {settings.oidc_role_map[v] for v in values or [] if isinstance(v, str) and v in settings.oidc_role_map}
    role = next((r for r in PRIVILEGE if r.value in mapped), None)
    if role is None:
        raise SignInRefused(
            "no role claim that maps to a role",
            f"Kontoen din gir ingen rolle i studieadministrasjonen (kravet «{settings.oidc_role_claim}» mangler "
            "eller har ingen kjent verdi). Kontakt studieadministrasjonen.",
        )
    account = Account(
        username=username_from_claims(claims, settings, issuer),
        role=role,
        municipality=_text(claims, settings.oidc_municipality_claim) if role == Role.MUNICIPALITY else None,
        participant=_text(claims, settings.oidc_participant_claim) if role == Role.PARTICIPANT else None,
    )
    try:
        check_external(account)
    except AccountError:
        claim, what = (
            (settings.oidc_municipality_claim, "et gyldig kommunenummer")
            if role == Role.MUNICIPALITY
            else (settings.oidc_participant_claim, "en gyldig deltaker-ID")
        )
        raise SignInRefused(
            f"no valid {claim} for role {role.value}",
            f"Kontoen din har rollen {label(role.value).lower()} hos innloggingstjenesten, men kravet «{claim}» "
            f"gir ikke {what}. Kontakt studieadministrasjonen.",
        ) from None
    return account


def username_from_claims(claims: Mapping[str, Any], settings: Settings, issuer: str) -> str:
    """The name a new account wants: the username claim when it is a valid handle (never an e-mail address:
    USERNAME has no '@'), else a name made from the issuer and subject. Only a wish: the account a sign-in opens is
    the subject's (Accounts.upsert_external), and a name taken already gives the made one."""
    wanted = claims.get(settings.oidc_username_claim)
    if isinstance(wanted, str) and USERNAME.match(wanted):
        return wanted
    return derived_username(issuer, claims["sub"])


def state_secret(app_secret: bytes) -> str:
    """The state cookie's signing key: derived, so it is never the session cookie's key itself."""
    return hmac.new(app_secret, b"nis-oidc-state", hashlib.sha256).hexdigest()


def _text(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value if isinstance(value, str) else None  # a number would have lost a kommunenummer's leading zero


def _code(error: object) -> str:
    """An OAuth error code as the provider sent it, if it looks like one (it goes into the log)."""
    text = str(error)
    return text if text.replace("_", "").isalnum() and len(text) <= 40 else "unrecognised"
