#!/usr/bin/env python3
"""Run moto's server with the token-based Cognito operations that stock moto lacks.

moto 5.2 implements neither DeleteUserAttributes, RevokeToken nor GetTokensFromRefreshToken
(each returns an HTML 500). This launcher adds them to moto's CognitoIdpResponse using moto's
own model code, so they behave like their neighbours (GetUser's token lookup and errors,
AdminDeleteUserAttributes' attribute checks), then starts moto's server unchanged.
A future moto that implements an operation itself wins: nothing is replaced, only added.

usage: moto_server.py HOST PORT
"""

import base64
import json
import sys

from moto.cognitoidp import models as cognito_models
from moto.cognitoidp.exceptions import NotAuthorizedError, ResourceNotFoundError
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


for _name, _impl in [
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
