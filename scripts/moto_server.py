#!/usr/bin/env python3
"""Run moto's server with the token-based Cognito operations that stock moto lacks.

moto 5.2 implements neither DeleteUserAttributes, RevokeToken, GetTokensFromRefreshToken,
GetUserAttributeVerificationCode nor VerifyUserAttribute (each returns an HTML 500). This
launcher adds them to moto's CognitoIdpResponse using moto's own model code, so they behave like
their neighbours (GetUser's token lookup and errors, AdminDeleteUserAttributes' attribute
checks), then starts moto's server unchanged. A future moto that implements an operation itself
wins: nothing is replaced, only added.

One operation is wrapped rather than added: moto's UpdateUserAttributes neither checks names
against the schema nor does what Cognito does to email and phone_number. The wrapper checks the
names, then calls moto's own update for what applies at once, and for a changed email or
phone_number either applies it and sets `<name>_verified` to false (the default), or keeps the
old value until the code is verified (a pool whose `UserAttributeUpdateSettings` lists it in
`AttributesRequireVerificationBeforeUpdate`); both send a code and return
`CodeDeliveryDetailsList`.

Verification codes are kept per user and attribute: six digits, single use, valid 24 hours,
refused with LimitExceededException after 5 wrong tries (and after 5 sends of a new code
without a successful verification between them).
A user pool's public key set (`GET /<pool>/.well-known/jwks.json`) answers 404 for a pool that
does not exist, as Cognito does (moto serves its one key set for any path), so that `configure`'s
pool check has something to find.

Two test-only operations read them: `HarnessVerificationCode` (UserPoolId, Username,
AttributeName → Code) and `HarnessExpireVerificationCodes` (UserPoolId: every code sent in that pool expires now).

A third seeds in bulk: `HarnessCreateUsers` (UserPoolId, Users: [{Username, UserAttributes,
Status, Enabled, Password}]) does per user what AdminCreateUser (message suppressed),
AdminSetUserPassword, AdminResetUserPassword and AdminDisableUser do, with moto's model code, in
one request: moto answers about 200 requests a second, so the support-mode pool's 2,000 users
one call at a time take 20 s (scripts/moto_iam_seed.py).

Security-view operations moto lacks, with its model code: DeleteUser (the token's user is
deleted as AdminDeleteUser does), ListWebAuthnCredentials and DeleteWebAuthnCredential (passkeys
kept per user here; registering one needs a browser, so the test-only HarnessAddWebAuthnCredential
seeds them), GetUserAuthFactors (from moto's MFA flags, the email MFA flag kept here and the
passkeys). SetUserMFAPreference is wrapped to add EmailMfaSettings: a pool without an
EmailMfaConfiguration (moto's pools never have one) refuses it with InvalidParameterException, as a
pool without the Essentials feature plan does.

AssociateSoftwareToken and VerifySoftwareToken are replaced: moto hands every user the same fixed
secret and accepts any code; here each user gets a random secret, and the code must be the RFC 6238
one for it (pyotp, ±30 s), else EnableSoftwareTokenMFAException. Both work with an access token or
with a sign-in Session (the MFA_SETUP challenge): each Session call answers a new session in place
of the old one, and a verified Session enrols the app at once (enabled, preferred), after which
RespondToAuthChallenge MFA_SETUP with that session, and only that one, answers the tokens. A
user with a verified secret must answer SOFTWARE_TOKEN_MFA with its current code
(CodeMismatchException otherwise; moto accepts any code); the test-only `HarnessTotpCode`
(UserPoolId, Username → Code) computes it. moto sends MFA_SETUP's MFAS_CAN_SETUP as a JSON list;
Cognito's challenge parameters are strings, so here it is the list JSON-encoded in a string.

Devices, as Cognito tracks them for a pool created with a DeviceConfiguration: every sign-in that
ends in tokens (InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge; not the refresh flows)
without a known device proving itself gets NewDeviceMetadata (DeviceKey `<region>_<uuid>`,
DeviceGroupKey `-` and 9 letters or digits), pending until ConfirmDevice registers its SRP verifier
and salt (remembered, or not_remembered if DeviceOnlyRememberedOnUserPrompt; the answer's
UserConfirmationNecessary says which). ListDevices (Limit ≤ 60, PaginationToken), GetDevice,
ForgetDevice and UpdateDeviceStatus act on the access token's user's confirmed devices; deleting a
user drops them. A sign-in naming a confirmed device of the user (AuthParameters.DEVICE_KEY, or
DEVICE_KEY in the PASSWORD_VERIFIER answer) is, where moto would answer tokens or an MFA
challenge, answered DEVICE_SRP_AUTH instead; that challenge (USERNAME, DEVICE_KEY, SRP_A) gets
DEVICE_PASSWORD_VERIFIER (SALT hex of the registered salt bytes, SRP_B = k·v + g^b mod N in hex,
SECRET_BLOCK random Base64), whose answer is checked with the real SRP arithmetic (the HMAC over
group key, device key, secret block and TIMESTAMP `Thu Dec 3 09:05:01 UTC 2026`); a wrong one is
NotAuthorizedException. Then a remembered device skips MFA and gets the tokens; a not-remembered
one gets what moto would have answered after the password (its MFA challenge, or the tokens).
Each device challenge answers a new session; as pycognito answers them without one, the sign-in
is then found by its device key or secret block. A sign-in naming a device key the user does not
have (forgotten, or another user's) is refused with ResourceNotFoundException "Device does not
exist.", as Cognito refuses it. A refresh token issued to a device (with NewDeviceMetadata, or
after the device proved itself) is refused without that DEVICE_KEY (REFRESH_TOKEN_AUTH) or
DeviceKey (GetTokensFromRefreshToken), as a pool that tracks devices refuses it.

usage: moto_server.py HOST PORT
"""

import base64
import datetime
import hashlib
import hmac
import json
import re
import secrets
import string
import sys
import time
import uuid

import pyotp
from pycognito import aws_srp

from moto.cognitoidp import models as cognito_models
from moto.cognitoidp import urls as cognito_urls
from moto.cognitoidp.exceptions import (
    CodeMismatchException,
    ExpiredCodeException,
    InvalidParameterException,
    NotAuthorizedError,
    ResourceNotFoundError,
)
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.cognitoidp.utils import check_secret_hash
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult


class UnauthorizedException(JsonRESTError):
    """RevokeToken's error for a client that may not revoke the token."""

    def __init__(self, message):
        super().__init__(error_type="UnauthorizedException", message=message)


def _all_backends():
    for account_backends in cognito_models.cognitoidp_backends.values():
        for region, backend in account_backends.items():
            if region != "global":
                yield backend


def _jwt_claims(token):
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return json.loads(base64.urlsafe_b64decode(payload))
    except Exception:  # noqa: BLE001 - any undecodable token simply has no claims
        return {}


def _find_refresh_token(token):
    """(pool, (client_id, username, origin_jti)) for a live refresh token, else (None, None)."""
    for backend in _all_backends():
        for pool in backend.user_pools.values():
            if token in pool.refresh_tokens:
                return pool, pool.refresh_tokens[token]
    return None, None


def _find_client(client_id):
    for backend in _all_backends():
        for pool in backend.user_pools.values():
            if client_id in pool.clients:
                return pool, pool.clients[client_id]
    return None, None


def delete_user_attributes(self):
    token = self._get_param("AccessToken")
    names = self._get_param("UserAttributeNames")
    backend = self._get_region_agnostic_backend()._find_backend_by_access_token(token)
    user = backend.get_user(token)
    user.delete_attributes(names)
    return EmptyResult()


def revoke_token(self):
    token = self._get_param("Token")
    client_id = self._get_param("ClientId")
    client_secret = self._get_param("ClientSecret")
    _, client = _find_client(client_id)
    if client is None:
        raise ResourceNotFoundError(client_id)
    if client.generate_secret and client_secret != client.secret:
        raise UnauthorizedException("Invalid client secret")
    pool, entry = _find_refresh_token(token)
    if pool is None or entry is None:
        # RFC 7009: revoking an unknown or already revoked token succeeds.
        return EmptyResult()
    issued_to, _, origin_jti = entry
    if issued_to != client_id:
        raise UnauthorizedException("Token was not issued to this client")
    pool.refresh_tokens[token] = None
    for access_token in list(pool.access_tokens):
        if _jwt_claims(access_token).get("origin_jti") == origin_jti:
            pool.access_tokens.pop(access_token)
    return EmptyResult()


def get_tokens_from_refresh_token(self):
    token = self._get_param("RefreshToken")
    client_id = self._get_param("ClientId")
    client_secret = self._get_param("ClientSecret")
    _, client = _find_client(client_id)
    if client is None:
        raise ResourceNotFoundError(client_id)
    if client.generate_secret and client_secret != client.secret:
        raise NotAuthorizedError("Unable to verify secret hash for client " + client_id)
    pool, entry = _find_refresh_token(token)
    if pool is None or entry is None:
        raise NotAuthorizedError("Refresh Token has been revoked")
    issued_to, username, _ = entry
    if issued_to != client_id:
        raise NotAuthorizedError("Refresh Token has been revoked")
    _check_refresh_device(token, self._get_param("DeviceKey"))
    rotation = client.extended_config.get("RefreshTokenRotation", {}) or {}
    result = {"ExpiresIn": 3600, "TokenType": "Bearer"}
    if rotation.get("Feature") == "ENABLED":
        # Rotation: a new refresh token; the old one stops working (grace period 0).
        pool.refresh_tokens[token] = None
        new_token, origin_jti = pool.create_refresh_token(client_id, username)
        result["RefreshToken"] = new_token
        if token in _REFRESH_DEVICE:
            _REFRESH_DEVICE[new_token] = _REFRESH_DEVICE[token]
        result["AccessToken"], _ = pool.create_access_token(client_id, username, origin_jti)
        result["IdToken"], _ = pool.create_id_token(client_id, username, origin_jti)
    else:
        access, id_token, _ = pool.create_tokens_from_refresh_token(token)
        result["AccessToken"], result["IdToken"] = access, id_token
    return ActionResult({"AuthenticationResult": result})


class LimitExceededException(JsonRESTError):
    """Cognito's answer once too many codes were sent or tried."""

    def __init__(self):
        super().__init__(
            error_type="LimitExceededException",
            message="Attempt limit exceeded, please try after some time.")


VERIFIED = {"email": "email_verified", "phone_number": "phone_number_verified"}
CODE_LIFETIME_SECONDS = 24 * 3600
MAX_WRONG_CODES = 5
MAX_CODES_SENT = 5
CODE_MISMATCH = "Invalid verification code provided, please try again."

# (pool id, username, attribute) -> {"code", "expires", "wrong", "pending"}; "pending" is the
# new value a verification-gated pool keeps back until the code is verified.
_codes = {}
# (pool id, username, attribute) -> how many codes were sent.
_sends = {}


def _token_user(response, token):
    """(backend, pool, user) for an access token; moto's GetUser errors otherwise."""
    backend = response._get_region_agnostic_backend()._find_backend_by_access_token(token)
    user = backend.get_user(token)
    return backend, backend.describe_user_pool(user.user_pool_id), user


def _schema_attribute(pool, name):
    """The pool's schema entry for `name` (standard attributes are always there), or None."""
    standard = cognito_models.CognitoIdpUserPoolAttribute.STANDARD_SCHEMA
    attribute = pool.schema_attributes.get(name)
    if attribute is None and name.startswith("custom:"):
        attribute = pool.schema_attributes.get(name[len("custom:"):])
    if attribute is not None:
        return {"Mutable": attribute.mutable}
    return standard.get(name)


def _mask(name, value):
    """How Cognito shows a destination: z***@e*** for email, +*******0100 for a phone."""
    if name == "email" and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(0, len(value) - 5) + value[-4:]


def _send_code(pool, user, name, pending=None):
    key = (pool.id, user.username, name)
    _sends[key] = _sends.get(key, 0) + 1
    if _sends[key] > MAX_CODES_SENT:
        raise LimitExceededException()
    old = _codes.get(key)
    if pending is None and old is not None:
        pending = old["pending"]
    _codes[key] = {
        "code": f"{secrets.randbelow(1_000_000):06d}",
        "expires": time.time() + CODE_LIFETIME_SECONDS,
        "wrong": 0,
        "pending": pending,
    }
    value = pending if pending is not None else user.attribute_lookup.get(name, "")
    return {
        "Destination": _mask(name, value),
        "DeliveryMedium": "EMAIL" if name == "email" else "SMS",
        "AttributeName": name,
    }


def update_user_attributes(self):
    token = self._get_param("AccessToken")
    attributes = self._get_param("UserAttributes") or []
    backend, pool, user = _token_user(self, token)
    for attribute in attributes:
        name = attribute["Name"]
        schema = _schema_attribute(pool, name)
        if schema is None:
            raise InvalidParameterException(
                f"user.{name}: Attribute does not exist in the schema.")
        if not schema.get("Mutable", True) or name == "sub":
            raise InvalidParameterException(
                f"user.{name}: Attribute cannot be updated. (changing an immutable attribute)")
    settings = pool.extended_config.get("UserAttributeUpdateSettings") or {}
    gated = set(settings.get("AttributesRequireVerificationBeforeUpdate") or [])
    now, later, changed = [], [], set()
    for attribute in attributes:
        name, value = attribute["Name"], attribute.get("Value", "")
        if user.attribute_lookup.get(name) != value:
            changed.add(name)
        if name in VERIFIED and name in changed and name in gated:
            later.append(attribute)
        else:
            now.append(attribute)
    if now:
        backend.update_user_attributes(token, now)
    deliveries = []
    for attribute in now:
        name = attribute["Name"]
        # Setting the value it already has changes nothing and sends nothing.
        if name in VERIFIED and name in changed and attribute.get("Value"):
            user.update_attributes([{"Name": VERIFIED[name], "Value": "false"}])
            deliveries.append(_send_code(pool, user, name))
    for attribute in later:
        deliveries.append(_send_code(pool, user, attribute["Name"], attribute.get("Value", "")))
    return ActionResult({"CodeDeliveryDetailsList": deliveries} if deliveries else {})


def get_user_attribute_verification_code(self):
    token = self._get_param("AccessToken")
    name = self._get_param("AttributeName")
    _, pool, user = _token_user(self, token)
    if name not in VERIFIED:
        raise InvalidParameterException(f"user.{name}: Attribute cannot be verified.")
    pending = _codes.get((pool.id, user.username, name), {}).get("pending")
    if pending is None and not user.attribute_lookup.get(name):
        raise InvalidParameterException(f"user.{name}: Attribute does not exist on the user.")
    return ActionResult({"CodeDeliveryDetails": _send_code(pool, user, name)})


def verify_user_attribute(self):
    token = self._get_param("AccessToken")
    name = self._get_param("AttributeName")
    code = self._get_param("Code")
    backend, pool, user = _token_user(self, token)
    key = (pool.id, user.username, name)
    entry = _codes.get(key)
    if entry is None:
        raise CodeMismatchException(CODE_MISMATCH)
    if entry["wrong"] >= MAX_WRONG_CODES:
        raise LimitExceededException()
    if time.time() > entry["expires"]:
        raise ExpiredCodeException("Invalid code provided, please request a code again.")
    if not secrets.compare_digest(str(code), entry["code"]):
        entry["wrong"] += 1
        raise CodeMismatchException(CODE_MISMATCH)
    del _codes[key]
    _sends.pop(key, None)  # a verified address may be sent codes again
    if entry["pending"] is not None:
        backend.update_user_attributes(token, [{"Name": name, "Value": entry["pending"]}])
    user.update_attributes([{"Name": VERIFIED[name], "Value": "true"}])
    return EmptyResult()


def harness_verification_code(self):
    """Test-only: the code last sent for a user's attribute."""
    key = (self._get_param("UserPoolId"), self._get_param("Username"),
           self._get_param("AttributeName"))
    entry = _codes.get(key)
    if entry is None:
        raise ResourceNotFoundError("no code was sent for " + "/".join(key))
    # Not in the service model, so the answer is written out rather than serialised by moto.
    return json.dumps({"Code": entry["code"]})


def harness_expire_verification_codes(self):
    """Test-only: every code sent so far to the users of one pool expires now."""
    pool_id = self._get_param("UserPoolId")
    for (pool, _, _), entry in _codes.items():
        if pool == pool_id:
            entry["expires"] = 0
    return "{}"


def harness_create_users(self):
    """Test-only: many users in one call. Status is CONFIRMED (the default; needs Password),
    FORCE_CHANGE_PASSWORD, RESET_REQUIRED (needs Password and a verified email or phone), or
    another of moto's statuses (UNCONFIRMED: as SignUp leaves a user), set as it is; Enabled
    defaults to true."""
    backend = self.backend
    pool_id = self._get_param("UserPoolId")
    users = self._get_param("Users") or []
    for spec in users:
        if spec.get("Status", "CONFIRMED") not in cognito_models.UserStatus.__members__:
            raise InvalidParameterException(f"Unknown Status {spec['Status']}")
    for spec in users:
        username, status = spec["Username"], spec.get("Status", "CONFIRMED")
        user = backend.admin_create_user(pool_id, username, "SUPPRESS", None,
                                         spec.get("UserAttributes") or [])
        if status in ("CONFIRMED", "RESET_REQUIRED"):
            backend.admin_set_user_password(pool_id, username, spec["Password"], True)
        if status == "RESET_REQUIRED":
            backend.admin_reset_user_password(pool_id, username)
        elif status not in ("CONFIRMED", "FORCE_CHANGE_PASSWORD"):
            user.status = cognito_models.UserStatus[status]
        user.enabled = spec.get("Enabled", True)
    return "{}"


CognitoIdpResponse.update_user_attributes = update_user_attributes


# --- the Security view's operations ------------------------------------------------------------
_PASSKEYS = {}  # (pool id, username) -> [credential description]
_EMAIL_MFA = {}  # (pool id, username) -> {"enabled": bool}


def delete_user(self):
    backend, pool, user = _token_user(self, self._get_param("AccessToken"))
    backend.admin_delete_user(pool.id, user.username)
    _PASSKEYS.pop((pool.id, user.username), None)
    return "{}"


def _mfa_list(pool, user):
    methods = []
    if getattr(user, "sms_mfa_enabled", False):
        methods.append("SMS_MFA")
    if getattr(user, "software_token_mfa_enabled", False):
        methods.append("SOFTWARE_TOKEN_MFA")
    if _EMAIL_MFA.get((pool.id, user.username), {}).get("enabled"):
        methods.append("EMAIL_OTP")
    return methods


_moto_set_user_mfa_preference = CognitoIdpResponse.set_user_mfa_preference


def set_user_mfa_preference(self):
    email = self._get_param("EmailMfaSettings")
    if email:
        backend, pool, user = _token_user(self, self._get_param("AccessToken"))
        if email.get("Enabled") and "EmailMfaConfiguration" not in pool.extended_config:
            raise InvalidParameterException(
                "Email MFA is not available: the user pool's feature plan does not include it")
        _EMAIL_MFA[(pool.id, user.username)] = {"enabled": bool(email.get("Enabled"))}
        if email.get("PreferredMfa") and email.get("Enabled"):
            user.preferred_mfa_setting = "EMAIL_OTP"
    return _moto_set_user_mfa_preference(self)


def get_user_auth_factors(self):
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    factors = ["PASSWORD"] + (["WEB_AUTHN"] if _PASSKEYS.get((pool.id, user.username)) else [])
    return json.dumps({
        "Username": user.username,
        "PreferredMfaSetting": getattr(user, "preferred_mfa_setting", "") or "",
        "UserMFASettingList": _mfa_list(pool, user),
        "ConfiguredUserAuthFactors": factors,
    })


def list_web_authn_credentials(self):
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    credentials = _PASSKEYS.get((pool.id, user.username), [])
    start = int(self._get_param("NextToken") or 0)
    size = int(self._get_param("MaxResults") or 20)
    page = credentials[start:start + size]
    answer = {"Credentials": page}
    if start + size < len(credentials):
        answer["NextToken"] = str(start + size)
    return json.dumps(answer)


def delete_web_authn_credential(self):
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    credentials = _PASSKEYS.get((pool.id, user.username), [])
    wanted = self._get_param("CredentialId")
    if not any(c["CredentialId"] == wanted for c in credentials):
        raise ResourceNotFoundError(f"Credential {wanted} not found")
    _PASSKEYS[(pool.id, user.username)] = [c for c in credentials if c["CredentialId"] != wanted]
    return "{}"


def harness_add_web_authn_credential(self):
    """Test-only: a passkey for UserPoolId/Username, as a browser registration would leave it."""
    pool_id, username = self._get_param("UserPoolId"), self._get_param("Username")
    self.backend.admin_get_user(pool_id, username)
    credential = {
        "CredentialId": base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("="),
        "FriendlyCredentialName": self._get_param("FriendlyCredentialName") or "Passkey",
        "RelyingPartyId": self._get_param("RelyingPartyId") or "auth.example.com",
        "AuthenticatorAttachment": "platform",
        "AuthenticatorTransports": ["internal"],
        "CreatedAt": time.time(),
    }
    _PASSKEYS.setdefault((pool_id, username), []).append(credential)
    return json.dumps({"CredentialId": credential["CredentialId"]})


CognitoIdpResponse.set_user_mfa_preference = set_user_mfa_preference

_TOTP_SECRETS = {}  # (pool id, username) -> base32 secret of the last AssociateSoftwareToken
_TOTP_ACTIVE = {}  # (pool id, username) -> the secret last verified: sign-in codes are checked
_MFA_SET_UP = set()  # sign-in sessions VerifySoftwareToken answered: MFA_SETUP may finish them
_moto_associate_software_token = CognitoIdpResponse.associate_software_token
_moto_verify_software_token = CognitoIdpResponse.verify_software_token


def _session_user(session):
    """(backend, pool, user) for a live sign-in session, else NotAuthorizedException."""
    for backend in _all_backends():
        if session in backend.sessions:
            username, pool = backend.sessions[session]
            return backend, pool, backend.admin_get_user(pool.id, username)
    raise NotAuthorizedError("Invalid session for the user, session is expired.")


def _next_session(backend, session):
    """A new id for a sign-in session, registered in moto's sessions in place of the old one."""
    new = str(uuid.uuid4())
    backend.sessions[new] = backend.sessions.pop(session)
    return new


def associate_software_token(self):
    if self._get_param("AccessToken"):
        _, pool, user = _token_user(self, self._get_param("AccessToken"))
        session = None
    elif self._get_param("Session"):
        backend, pool, user = _session_user(self._get_param("Session"))
        session = _next_session(backend, self._get_param("Session"))
    else:
        return _moto_associate_software_token(self)  # moto's own error
    secret = pyotp.random_base32(32)
    _TOTP_SECRETS[(pool.id, user.username)] = secret
    return json.dumps({"SecretCode": secret, **({"Session": session} if session else {})})


def verify_software_token(self):
    if self._get_param("AccessToken"):
        _, pool, user = _token_user(self, self._get_param("AccessToken"))
    elif self._get_param("Session"):
        backend, pool, user = _session_user(self._get_param("Session"))
    else:
        return _moto_verify_software_token(self)
    secret = _TOTP_SECRETS.get((pool.id, user.username))
    if secret is None:
        raise InvalidParameterException("No software token is associated with this user")
    if not pyotp.TOTP(secret).verify(self._get_param("UserCode") or "", valid_window=1):
        raise JsonRESTError("EnableSoftwareTokenMFAException", "Code mismatch")
    user.token_verified = True
    _TOTP_ACTIVE[(pool.id, user.username)] = secret
    if self._get_param("AccessToken"):
        return json.dumps({"Status": "SUCCESS"})
    # During sign-in (MFA_SETUP) the app is enrolled and preferred at once, as Cognito does.
    user.software_token_mfa_enabled = True
    user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"
    session = _next_session(backend, self._get_param("Session"))
    _MFA_SET_UP.add(session)
    return json.dumps({"Status": "SUCCESS", "Session": session})


def harness_totp_code(self):
    """Test-only: the current code of the authenticator app UserPoolId/Username enrolled."""
    pool_id = self._get_param("UserPoolId")
    user = self.backend.admin_get_user(pool_id, self._get_param("Username"))
    secret = _TOTP_ACTIVE.get((pool_id, user.username))
    if secret is None:
        raise ResourceNotFoundError(f"{user.username} has no verified software token")
    return json.dumps({"Code": pyotp.TOTP(secret).now()})


CognitoIdpResponse.associate_software_token = associate_software_token
CognitoIdpResponse.verify_software_token = verify_software_token


# --- devices: tracking, remembering and the device SRP challenges ------------------------------
_PENDING_DEVICES = {}  # device key -> {"pool", "username", "group"}: issued, not yet confirmed
_DEVICES = {}  # device key -> the confirmed device (see confirm_device), in creation order
_SIGN_IN_DEVICE = {}  # moto's USER_SRP_AUTH session -> the DEVICE_KEY its InitiateAuth named
_DEVICE_FLOWS = {}  # DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER session -> its state
_DEVICE_VERIFIED = {}  # moto session whose device was proven -> its key (no new device after MFA)
_REFRESH_DEVICE = {}  # refresh token -> the device key its sign-in named (refreshes must send it)
_MFA_CHALLENGES = ("SOFTWARE_TOKEN_MFA", "SMS_MFA")
_BIG_N, _G = aws_srp.hex_to_long(aws_srp.N_HEX), aws_srp.hex_to_long(aws_srp.G_HEX)
_K = aws_srp.hex_to_long(aws_srp.hex_hash("00" + aws_srp.N_HEX + "0" + aws_srp.G_HEX))
_TIMESTAMP = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
                        r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                        r"([1-9]|[12][0-9]|3[01]) [0-9]{2}:[0-9]{2}:[0-9]{2} UTC [0-9]{4}")
_WRONG_DEVICE_PASSWORD = "Incorrect username or password."
_NO_DEVICE = "Device does not exist."


def _tracks_devices(pool):
    return bool(pool.extended_config.get("DeviceConfiguration"))


def _remembers_on_prompt(pool):
    config = pool.extended_config.get("DeviceConfiguration") or {}
    return bool(config.get("DeviceOnlyRememberedOnUserPrompt"))


def _known_device(pool, username, device_key):
    device = _DEVICES.get(device_key or "")
    if device and (device["pool"], device["username"]) == (pool.id, username):
        return device
    return None


def _bind_refresh(answer, device_key):
    """The refresh token of these tokens belongs to the device: a refresh without its key is
    refused, as Cognito refuses it in a pool that tracks devices."""
    token = (answer.get("AuthenticationResult") or {}).get("RefreshToken")
    if token and device_key:
        _REFRESH_DEVICE[token] = device_key
    return answer


def _check_refresh_device(token, device_key):
    if token in _REFRESH_DEVICE and device_key != _REFRESH_DEVICE[token]:
        raise NotAuthorizedError("Invalid Refresh Token")


def _with_new_device(pool, username, answer):
    """Tokens of a sign-in that proved no known device carry NewDeviceMetadata (pending)."""
    if "AuthenticationResult" not in answer or not _tracks_devices(pool):
        return answer
    key = f"{pool.region}_{uuid.uuid4()}"
    group = "-" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(9))
    _PENDING_DEVICES[key] = {"pool": pool.id, "username": username, "group": group}
    answer["AuthenticationResult"]["NewDeviceMetadata"] = {"DeviceKey": key,
                                                           "DeviceGroupKey": group}
    return _bind_refresh(answer, key)


def _after_password(pool, client, username, answer, device_key):
    """moto's answer once the password is proven; a known device must first prove itself."""
    username = pool.backend.admin_get_user(pool.id, username).username
    device = _known_device(pool, username, device_key)
    if device_key and device is None:
        # A forgotten device, or another user's: Cognito refuses the sign-in that names it.
        raise ResourceNotFoundError(_NO_DEVICE)
    if device is None or not ("AuthenticationResult" in answer
                              or answer.get("ChallengeName") in _MFA_CHALLENGES):
        return _with_new_device(pool, username, answer)
    session = str(uuid.uuid4())
    _DEVICE_FLOWS[session] = {"pool": pool, "client": client.id, "username": username,
                              "device_key": device_key, "then": answer}
    return {"ChallengeName": "DEVICE_SRP_AUTH", "Session": session, "ChallengeParameters": {}}


def _cognito_form(answer):
    """ChallengeParameters are strings on the wire; moto sends MFAS_CAN_SETUP as a list."""
    parameters = answer.get("ChallengeParameters") or {}
    for name, value in parameters.items():
        if isinstance(value, list):
            parameters[name] = json.dumps(value)
    return answer


_moto_initiate_auth = CognitoIdpResponse.initiate_auth
_moto_admin_initiate_auth = CognitoIdpResponse.admin_initiate_auth
_moto_respond_to_auth_challenge = CognitoIdpResponse.respond_to_auth_challenge
_moto_admin_respond_to_auth_challenge = CognitoIdpResponse.admin_respond_to_auth_challenge


def _initiate(self, moto_initiate):
    flow = self._get_param("AuthFlow")
    parameters = self._get_param("AuthParameters") or {}
    pool, client = _find_client(self._get_param("ClientId"))
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        _check_refresh_device(parameters.get("REFRESH_TOKEN"), parameters.get("DEVICE_KEY"))
        answer = moto_initiate(self).result
        return ActionResult(_cognito_form(answer))
    answer = moto_initiate(self).result
    if flow == "USER_SRP_AUTH" and parameters.get("DEVICE_KEY"):
        _SIGN_IN_DEVICE[answer["Session"]] = parameters["DEVICE_KEY"]
    elif flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        answer = _after_password(pool, client, parameters["USERNAME"], answer,
                                 parameters.get("DEVICE_KEY"))
    return ActionResult(_cognito_form(answer))


def initiate_auth(self):
    return _initiate(self, _moto_initiate_auth)


def admin_initiate_auth(self):
    return _initiate(self, _moto_admin_initiate_auth)


def _respond(self, moto_respond):
    name = self._get_param("ChallengeName")
    responses = self._get_param("ChallengeResponses") or {}
    session = self._get_param("Session")
    if name == "DEVICE_SRP_AUTH":
        return ActionResult(_device_srp_auth(self._get_param("ClientId"), session, responses))
    if name == "DEVICE_PASSWORD_VERIFIER":
        return ActionResult(
            _cognito_form(_device_password_verifier(self._get_param("ClientId"), session,
                                                    responses)))
    pool, client = _find_client(self._get_param("ClientId"))
    if name == "PASSWORD_VERIFIER":
        session = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")  # moto's session id
    entry = pool.backend.sessions.get(session) if pool is not None and session else None
    if entry is None:
        return moto_respond(self)  # moto's own error
    username = entry[0]
    if name == "SOFTWARE_TOKEN_MFA":
        user = pool.backend.admin_get_user(pool.id, username)
        secret = _TOTP_ACTIVE.get((pool.id, user.username))
        code = responses.get("SOFTWARE_TOKEN_MFA_CODE") or ""
        if secret is not None and not pyotp.TOTP(secret).verify(code, valid_window=1):
            raise CodeMismatchException("Invalid code received for user")
    if name == "MFA_SETUP" and session not in _MFA_SET_UP:
        raise NotAuthorizedError("Invalid session for the user, session is expired.")
    answer = moto_respond(self).result
    if name == "PASSWORD_VERIFIER":
        device_key = _SIGN_IN_DEVICE.pop(session, None)
        device_key = responses.get("DEVICE_KEY") or device_key
        answer = _after_password(pool, client, username, answer, device_key)
    elif session in _DEVICE_VERIFIED:
        if "AuthenticationResult" in answer:
            _bind_refresh(answer, _DEVICE_VERIFIED.pop(session))
    else:
        answer = _with_new_device(pool, pool.backend.admin_get_user(pool.id, username).username,
                                  answer)
    if name == "MFA_SETUP":  # moto keeps the session; Cognito's is used up
        pool.backend.sessions.pop(session, None)
        _MFA_SET_UP.discard(session)
    return ActionResult(_cognito_form(answer))


def respond_to_auth_challenge(self):
    return _respond(self, _moto_respond_to_auth_challenge)


def admin_respond_to_auth_challenge(self):
    return _respond(self, _moto_admin_respond_to_auth_challenge)


def _device_flow(client_id, session, responses, stage):
    """The device challenge's sign-in: by Session, or (pycognito sends none) by the device key
    (DEVICE_SRP_AUTH) or the secret block (DEVICE_PASSWORD_VERIFIER). Checks the client, user,
    device key and SECRET_HASH."""
    if not session:
        for candidate, flow in reversed(list(_DEVICE_FLOWS.items())):
            if flow["device_key"] == responses.get("DEVICE_KEY") and ("b" in flow) == (
                    stage == "DEVICE_PASSWORD_VERIFIER"):
                session = candidate
                break
    flow = _DEVICE_FLOWS.get(session or "")
    if flow is None or flow["client"] != client_id or ("b" in flow) != (
            stage == "DEVICE_PASSWORD_VERIFIER"):
        raise NotAuthorizedError("Invalid session for the user, session is expired.")
    pool = flow["pool"]
    client = pool.clients.get(client_id)
    if client is None:
        raise ResourceNotFoundError(client_id)
    username = responses.get("USERNAME") or ""
    if pool.backend.admin_get_user(pool.id, username).username != flow["username"]:
        raise NotAuthorizedError(_WRONG_DEVICE_PASSWORD)
    if responses.get("DEVICE_KEY") != flow["device_key"]:
        raise ResourceNotFoundError(_NO_DEVICE)
    device = _known_device(pool, flow["username"], flow["device_key"])
    if device is None:  # forgotten since the password step
        raise ResourceNotFoundError(_NO_DEVICE)
    if client.generate_secret and not check_secret_hash(
            client.secret, client.id, username, responses.get("SECRET_HASH")):
        raise NotAuthorizedError("Unable to verify secret hash for client " + client_id)
    return session, flow, device


def _device_srp_auth(client_id, session, responses):
    """The server's half of the device SRP: B = k·v + g^b for the device's verifier v."""
    session, flow, device = _device_flow(client_id, session, responses, "DEVICE_SRP_AUTH")
    try:
        big_a = aws_srp.hex_to_long(responses.get("SRP_A") or "")
    except ValueError:
        raise InvalidParameterException("SRP_A is not a hexadecimal number") from None
    if big_a % _BIG_N == 0:
        raise NotAuthorizedError(_WRONG_DEVICE_PASSWORD)
    small_b = secrets.randbits(1024) | 1
    big_b = (_K * device["verifier"] + pow(_G, small_b, _BIG_N)) % _BIG_N
    secret_block = secrets.token_bytes(96)
    del _DEVICE_FLOWS[session]
    session = str(uuid.uuid4())
    _DEVICE_FLOWS[session] = {**flow, "a": big_a, "b": small_b, "B": big_b,
                              "secret_block": secret_block}
    return {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": session,
        "ChallengeParameters": {
            "USERNAME": flow["username"],
            "DEVICE_KEY": flow["device_key"],
            "SALT": device["salt"].hex(),
            "SRP_B": aws_srp.long_to_hex(big_b),
            "SECRET_BLOCK": base64.standard_b64encode(secret_block).decode(),
        },
    }


def _device_password_verifier(client_id, session, responses):
    """Checks the device's password claim; then the sign-in goes on where the password left it:
    a remembered device skips MFA, a not-remembered one still gets moto's MFA challenge."""
    if not session:  # pycognito answers without the session: find it by its secret block
        for candidate, flow in _DEVICE_FLOWS.items():
            if "b" in flow and base64.standard_b64encode(flow["secret_block"]).decode() == (
                    responses.get("PASSWORD_CLAIM_SECRET_BLOCK")):
                session = candidate
    session, flow, device = _device_flow(client_id, session, responses,
                                         "DEVICE_PASSWORD_VERIFIER")
    del _DEVICE_FLOWS[session]  # one try, as for the password
    try:
        secret_block = base64.b64decode(responses.get("PASSWORD_CLAIM_SECRET_BLOCK") or "",
                                        validate=True)
    except ValueError:
        secret_block = b""
    timestamp = responses.get("TIMESTAMP") or ""
    big_a, big_b = flow["a"], flow["B"]
    u = aws_srp.hex_to_long(aws_srp.hex_hash(aws_srp.pad_hex(big_a) + aws_srp.pad_hex(big_b)))
    shared = pow(big_a * pow(device["verifier"], u, _BIG_N), flow["b"], _BIG_N)
    key = aws_srp.compute_hkdf(bytearray.fromhex(aws_srp.pad_hex(shared)),
                               bytearray.fromhex(aws_srp.pad_hex(aws_srp.long_to_hex(u))))
    message = (device["group"].encode() + flow["device_key"].encode() + secret_block
               + timestamp.encode())
    expected = base64.standard_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    if (u == 0 or secret_block != flow["secret_block"] or not _cognito_timestamp(timestamp)
            or not secrets.compare_digest(expected,
                                          responses.get("PASSWORD_CLAIM_SIGNATURE") or "")):
        raise NotAuthorizedError(_WRONG_DEVICE_PASSWORD)
    device["authenticated"] = time.time()
    pool, answer = flow["pool"], flow["then"]
    moto_session = answer.get("Session")
    if device["status"] == "remembered" and "AuthenticationResult" not in answer:
        entry = pool.backend.sessions.pop(moto_session, None)
        if entry is None:
            raise NotAuthorizedError("Invalid session for the user, session is expired.")
        username, _ = entry
        return _bind_refresh(pool.backend._log_user_in(pool, pool.clients[client_id], username),
                             flow["device_key"])
    if moto_session and "AuthenticationResult" not in answer:
        _DEVICE_VERIFIED[moto_session] = flow["device_key"]
    return _bind_refresh(answer, flow["device_key"])


def _cognito_timestamp(text):
    """Cognito's TIMESTAMP: 'Thu Dec 3 09:05:01 UTC 2026' (the day not zero-padded)."""
    if not _TIMESTAMP.fullmatch(text):
        return False
    try:
        moment = datetime.datetime.strptime(text, "%a %b %d %H:%M:%S UTC %Y")
    except ValueError:
        return False
    return moment.strftime("%a") == text[:3]


def _user_device(self, key_param="DeviceKey"):
    """(pool, user, device) for the access token's user's confirmed device."""
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    device = _known_device(pool, user.username, self._get_param(key_param))
    if device is None:
        raise ResourceNotFoundError(_NO_DEVICE)
    return pool, user, device


def _device_json(device):
    attributes = [{"Name": "device_status", "Value": "valid"}]
    if device["name"] is not None:
        attributes.append({"Name": "device_name", "Value": device["name"]})
    attributes += [{"Name": "last_ip_used", "Value": device["ip"]},
                   {"Name": "dev:device_remembered_status", "Value": device["status"]}]
    return {"DeviceKey": device["key"], "DeviceAttributes": attributes,
            "DeviceCreateDate": device["created"], "DeviceLastModifiedDate": device["modified"],
            "DeviceLastAuthenticatedDate": device["authenticated"]}


def _base64_field(config, name):
    try:
        value = base64.b64decode(config.get(name) or "", validate=True)
    except (ValueError, TypeError):
        value = b""
    if not value:
        raise InvalidParameterException(
            f"DeviceSecretVerifierConfig.{name} must be non-empty Base64")
    return value


def confirm_device(self):
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    key = self._get_param("DeviceKey")
    pending = _PENDING_DEVICES.get(key or "")
    if pending is None or (pending["pool"], pending["username"]) != (pool.id, user.username):
        raise ResourceNotFoundError(_NO_DEVICE)
    config = self._get_param("DeviceSecretVerifierConfig") or {}
    verifier = int.from_bytes(_base64_field(config, "PasswordVerifier"), "big")
    salt = _base64_field(config, "Salt")
    if verifier % _BIG_N == 0:
        raise InvalidParameterException("DeviceSecretVerifierConfig.PasswordVerifier is invalid")
    del _PENDING_DEVICES[key]
    prompt, now = _remembers_on_prompt(pool), time.time()
    _DEVICES[key] = {
        "key": key, "pool": pool.id, "username": user.username, "group": pending["group"],
        "verifier": verifier, "salt": salt, "name": self._get_param("DeviceName"),
        "status": "not_remembered" if prompt else "remembered",
        "created": now, "modified": now, "authenticated": now, "ip": "127.0.0.1",
    }
    return json.dumps({"UserConfirmationNecessary": prompt})


def list_devices(self):
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    limit = self._get_param("Limit")
    limit = 10 if limit is None else int(limit)
    if not 0 <= limit <= 60:
        raise InvalidParameterException(
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
            "constraint: Member must have value less than or equal to 60")
    limit = limit or 10
    devices = [d for d in _DEVICES.values() if (d["pool"], d["username"]) == (pool.id,
                                                                              user.username)]
    token = self._get_param("PaginationToken")
    start = int(token) if token and token.isdigit() else 0
    if token and not token.isdigit():
        raise InvalidParameterException("Invalid pagination token")
    answer = {"Devices": [_device_json(d) for d in devices[start:start + limit]]}
    if start + limit < len(devices):
        answer["PaginationToken"] = str(start + limit)
    return json.dumps(answer)


def get_device(self):
    _, _, device = _user_device(self)
    return json.dumps({"Device": _device_json(device)})


def forget_device(self):
    _, _, device = _user_device(self)
    del _DEVICES[device["key"]]
    return "{}"


def update_device_status(self):
    status = self._get_param("DeviceRememberedStatus")
    if status not in ("remembered", "not_remembered"):
        raise InvalidParameterException(
            f"1 validation error detected: Value '{status}' at 'deviceRememberedStatus' failed "
            "to satisfy constraint: Member must satisfy enum value set: "
            "[remembered, not_remembered]")
    _, _, device = _user_device(self)
    device["status"], device["modified"] = status, time.time()
    return "{}"


_moto_admin_delete_user = cognito_models.CognitoIdpBackend.admin_delete_user


def _admin_delete_user(backend, user_pool_id, username):
    """moto's AdminDeleteUser (DeleteUser uses it too), dropping the user's devices and app."""
    username = backend.admin_get_user(user_pool_id, username).username
    _moto_admin_delete_user(backend, user_pool_id, username)
    for devices in (_DEVICES, _PENDING_DEVICES):
        for key in [k for k, d in devices.items() if (d["pool"], d["username"]) == (
                user_pool_id, username)]:
            del devices[key]
    _TOTP_SECRETS.pop((user_pool_id, username), None)
    _TOTP_ACTIVE.pop((user_pool_id, username), None)


cognito_models.CognitoIdpBackend.admin_delete_user = _admin_delete_user
CognitoIdpResponse.initiate_auth = initiate_auth
CognitoIdpResponse.admin_initiate_auth = admin_initiate_auth
CognitoIdpResponse.respond_to_auth_challenge = respond_to_auth_challenge
CognitoIdpResponse.admin_respond_to_auth_challenge = admin_respond_to_auth_challenge


def _wrap_key_set(serve):
    """moto's key-set handler, answering 404 for a pool no backend has."""

    def serve_key_set(request, full_url, headers):
        pool_id = full_url.split("?")[0].rstrip("/").split("/")[-3]
        if not any(pool_id in backend.user_pools for backend in _all_backends()):
            body = json.dumps({"message": f"User pool {pool_id} does not exist."})
            return 404, {"Content-Type": "application/json"}, body
        return serve(request, full_url, headers)

    return serve_key_set


for _path, _handler in list(cognito_urls.url_paths.items()):
    if _path.endswith("jwks.json$"):
        cognito_urls.url_paths[_path] = _wrap_key_set(_handler)

for _name, _impl in [
    ("get_user_attribute_verification_code", get_user_attribute_verification_code),
    ("verify_user_attribute", verify_user_attribute),
    ("harness_verification_code", harness_verification_code),
    ("harness_expire_verification_codes", harness_expire_verification_codes),
    ("harness_create_users", harness_create_users),
    ("delete_user", delete_user),
    ("get_user_auth_factors", get_user_auth_factors),
    ("list_web_authn_credentials", list_web_authn_credentials),
    ("delete_web_authn_credential", delete_web_authn_credential),
    ("harness_add_web_authn_credential", harness_add_web_authn_credential),
    ("delete_user_attributes", delete_user_attributes),
    ("revoke_token", revoke_token),
    ("get_tokens_from_refresh_token", get_tokens_from_refresh_token),
    ("harness_totp_code", harness_totp_code),
    ("confirm_device", confirm_device),
    ("list_devices", list_devices),
    ("get_device", get_device),
    ("forget_device", forget_device),
    ("update_device_status", update_device_status),
]:
    if not hasattr(CognitoIdpResponse, _name):
        setattr(CognitoIdpResponse, _name, _impl)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    from moto.server import main

    main(["-H", sys.argv[1], "-p", sys.argv[2]])
