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

AssociateSoftwareToken and VerifySoftwareToken are replaced for access tokens: moto hands every
user the same fixed secret and accepts any code; here each user gets a random secret, and the code
must be the RFC 6238 one for it (pyotp, ±30 s), else EnableSoftwareTokenMFAException.

usage: moto_server.py HOST PORT
"""

import base64
import json
import secrets
import sys
import time

import pyotp

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
    rotation = client.extended_config.get("RefreshTokenRotation", {}) or {}
    result = {"ExpiresIn": 3600, "TokenType": "Bearer"}
    if rotation.get("Feature") == "ENABLED":
        # Rotation: a new refresh token; the old one stops working (grace period 0).
        pool.refresh_tokens[token] = None
        new_token, origin_jti = pool.create_refresh_token(client_id, username)
        result["RefreshToken"] = new_token
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
_moto_associate_software_token = CognitoIdpResponse.associate_software_token
_moto_verify_software_token = CognitoIdpResponse.verify_software_token


def associate_software_token(self):
    if not self._get_param("AccessToken"):
        return _moto_associate_software_token(self)  # the sign-in (Session) path, as moto has it
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    secret = pyotp.random_base32(32)
    _TOTP_SECRETS[(pool.id, user.username)] = secret
    return json.dumps({"SecretCode": secret})


def verify_software_token(self):
    if not self._get_param("AccessToken"):
        return _moto_verify_software_token(self)
    _, pool, user = _token_user(self, self._get_param("AccessToken"))
    secret = _TOTP_SECRETS.get((pool.id, user.username))
    if secret is None:
        raise InvalidParameterException("No software token is associated with this user")
    if not pyotp.TOTP(secret).verify(self._get_param("UserCode") or "", valid_window=1):
        raise JsonRESTError("EnableSoftwareTokenMFAException", "Code mismatch")
    user.token_verified = True
    return json.dumps({"Status": "SUCCESS"})


CognitoIdpResponse.associate_software_token = associate_software_token
CognitoIdpResponse.verify_software_token = verify_software_token


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
]:
    if not hasattr(CognitoIdpResponse, _name):
        setattr(CognitoIdpResponse, _name, _impl)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    from moto.server import main

    main(["-H", sys.argv[1], "-p", sys.argv[2]])
