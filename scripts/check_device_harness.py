#!/usr/bin/env python3
"""Self-check of scripts/moto_server.py's device tracking and MFA_SETUP, end to end.

Starts the harness on a free loopback port and drives it with independent clients: boto3 for
the operations and pycognito's AWSSRP for the SRP arithmetic (process_challenge,
generate_hash_device, process_device_challenge), pyotp for the authenticator codes. Prints one
line per check; on the first failure prints what went wrong and exits 1.

usage: check_device_harness.py
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import pyotp
from botocore.exceptions import ClientError
from pycognito import aws_srp

PASSWORD = "Passw0rd!!"
HERE = os.path.dirname(os.path.abspath(__file__))


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)
    print("ok:", what)


def expect_error(code, what, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        got = error.response["Error"]["Code"]
        if got != code:
            raise Failure(f"{what}: expected {code}, got {got} ({error})") from None
        print(f"ok: {what} -> {code}")
        return error
    raise Failure(f"{what}: expected {code}, but the call succeeded")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_harness(port):
    """The harness's process and its log file (kept if a check fails)."""
    log = tempfile.NamedTemporaryFile("w", prefix="moto_check_", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "moto_server.py"), "127.0.0.1", str(port)],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            raise Failure(f"the harness exited early (status {process.returncode}); see {log.name}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, log.name
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise Failure("the harness did not start listening within 30 s")


class World:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=endpoint,
                                aws_access_key_id="testing", aws_secret_access_key="testing")

    def raw(self, operation, body):
        """A call boto3 cannot make (the harness's test-only operations)."""
        request = urllib.request.Request(
            self.endpoint + "/", data=json.dumps(body).encode(),
            headers={"X-Amz-Target": "AWSCognitoIdentityProviderService." + operation,
                     "Content-Type": "application/x-amz-json-1.1"})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read())

    def pool(self, name, device_configuration, mfa):
        spec = {"PoolName": name}
        if device_configuration is not None:
            spec["DeviceConfiguration"] = device_configuration
        pool_id = self.idp.create_user_pool(**spec)["UserPool"]["Id"]
        if mfa:
            self.idp.set_user_pool_mfa_config(
                UserPoolId=pool_id, MfaConfiguration="ON",
                SoftwareTokenMfaConfiguration={"Enabled": True})
        flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
                 "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
        secret_client = self.idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="secret", GenerateSecret=True,
            ExplicitAuthFlows=flows)["UserPoolClient"]
        public_client = self.idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="public", ExplicitAuthFlows=flows)["UserPoolClient"]
        return pool_id, secret_client, public_client

    def user(self, pool_id, username):
        self.idp.admin_create_user(UserPoolId=pool_id, Username=username,
                                   MessageAction="SUPPRESS")
        self.idp.admin_set_user_password(UserPoolId=pool_id, Username=username,
                                         Password=PASSWORD, Permanent=True)


class SignIn:
    """One sign-in of `username` through `client`, with pycognito doing the SRP arithmetic."""

    def __init__(self, world, pool_id, client, username, device=None, device_password=None,
                 admin=False):
        self.idp, self.username = world.idp, username
        self.admin_pool = pool_id if admin else None
        self.client_id = client["ClientId"]
        self.secret = client.get("ClientSecret")
        device = device or {}
        self.srp = aws_srp.AWSSRP(
            username=username, password=PASSWORD, pool_id=pool_id, client_id=self.client_id,
            client=self.idp, client_secret=self.secret, device_key=device.get("DeviceKey"),
            device_group_key=device.get("DeviceGroupKey"),
            device_password=device_password or device.get("password"))

    def secret_hash(self):
        if self.secret is None:
            return {}
        return {"SECRET_HASH": aws_srp.AWSSRP.get_secret_hash(self.username, self.client_id,
                                                              self.secret)}

    def respond(self, name, session, responses):
        if self.admin_pool:
            return self.idp.admin_respond_to_auth_challenge(
                UserPoolId=self.admin_pool, ClientId=self.client_id, ChallengeName=name,
                Session=session, ChallengeResponses=responses)
        return self.idp.respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName=name, Session=session,
            ChallengeResponses=responses)

    def password(self):
        """USER_SRP_AUTH up to moto's answer to PASSWORD_VERIFIER."""
        parameters = self.srp.get_auth_params()
        first = self.idp.initiate_auth(ClientId=self.client_id, AuthFlow="USER_SRP_AUTH",
                                       AuthParameters=parameters)
        if first.get("ChallengeName") != "PASSWORD_VERIFIER":
            raise Failure(f"USER_SRP_AUTH answered {first.get('ChallengeName')}")
        answer = self.srp.process_challenge(first["ChallengeParameters"], parameters)
        return self.respond("PASSWORD_VERIFIER", first["Session"], answer)

    def device(self, step, tamper=None):
        """DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER with pycognito's claim."""
        check(step.get("ChallengeName") == "DEVICE_SRP_AUTH", "a known device is challenged: "
              "DEVICE_SRP_AUTH")
        verifier = self.respond("DEVICE_SRP_AUTH", step["Session"], {
            "USERNAME": self.username, "DEVICE_KEY": self.srp.device_key,
            "SRP_A": aws_srp.long_to_hex(self.srp.large_a_value), **self.secret_hash()})
        parameters = verifier["ChallengeParameters"]
        check(verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER" and set(parameters) == {
            "USERNAME", "DEVICE_KEY", "SALT", "SRP_B", "SECRET_BLOCK"},
            "DEVICE_SRP_AUTH answers DEVICE_PASSWORD_VERIFIER with USERNAME, DEVICE_KEY, SALT, "
            "SRP_B, SECRET_BLOCK")
        check(verifier["Session"] != step["Session"], "DEVICE_SRP_AUTH answers a new session")
        answer = self.srp.process_device_challenge(parameters)
        answer.update(self.secret_hash())
        if tamper:
            tamper(answer, parameters)
        return self.respond("DEVICE_PASSWORD_VERIFIER", verifier["Session"], answer)

    def totp(self, step, secret):
        check(step.get("ChallengeName") == "SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA challenge")
        return self.respond("SOFTWARE_TOKEN_MFA", step["Session"], {
            "USERNAME": self.username, "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(secret).now(),
            **self.secret_hash()})


def tokens(step, what):
    result = step.get("AuthenticationResult")
    check(result is not None and "AccessToken" in result,
          f"{what}: tokens (got {step.get('ChallengeName') or 'tokens'})")
    return result


def confirm(world, result, name=None):
    """ConfirmDevice with pycognito's verifier for the tokens' NewDeviceMetadata."""
    metadata = dict(result["NewDeviceMetadata"])
    password, config = aws_srp.generate_hash_device(metadata["DeviceGroupKey"],
                                                    metadata["DeviceKey"])
    extra = {"DeviceName": name} if name else {}
    answer = world.idp.confirm_device(AccessToken=result["AccessToken"],
                                      DeviceKey=metadata["DeviceKey"],
                                      DeviceSecretVerifierConfig=config, **extra)
    metadata["password"] = password
    return metadata, answer


def attributes(device):
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def mfa_setup_and_devices(world):
    pool_id, secret_client, public_client = world.pool(
        "devices", {"ChallengeRequiredOnNewDevice": True,
                    "DeviceOnlyRememberedOnUserPrompt": False}, mfa=True)
    world.user(pool_id, "alice")
    idp = world.idp

    # MFA_SETUP during an SRP sign-in (pool MFA ON, TOTP enabled, user without TOTP).
    sign_in = SignIn(world, pool_id, secret_client, "alice")
    step = sign_in.password()
    check(step.get("ChallengeName") == "MFA_SETUP", "USER_SRP_AUTH without TOTP: MFA_SETUP")
    check(step["ChallengeParameters"].get("MFAS_CAN_SETUP") == '["SOFTWARE_TOKEN_MFA"]',
          "MFAS_CAN_SETUP is a JSON list in a string")
    expect_error("NotAuthorizedException", "MFA_SETUP answered before any verification",
                 sign_in.respond, name="MFA_SETUP", session=step["Session"],
                 responses={"USERNAME": "alice", **sign_in.secret_hash()})
    associated = idp.associate_software_token(Session=step["Session"])
    secret = associated["SecretCode"]
    check(associated.get("Session") not in (None, step["Session"]),
          "AssociateSoftwareToken(Session) answers a secret and a new session")
    expect_error("NotAuthorizedException", "the replaced session is gone",
                 idp.associate_software_token, Session=step["Session"])
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 500000) % 1000000:06d}"
    expect_error("EnableSoftwareTokenMFAException", "VerifySoftwareToken with a wrong code",
                 idp.verify_software_token, Session=associated["Session"], UserCode=wrong)
    verified = idp.verify_software_token(Session=associated["Session"],
                                         UserCode=pyotp.TOTP(secret).now(),
                                         FriendlyDeviceName="phone")
    check(verified["Status"] == "SUCCESS" and verified.get("Session") not in (
        None, associated["Session"]), "VerifySoftwareToken(Session): SUCCESS and a new session")
    done = sign_in.respond("MFA_SETUP", verified["Session"],
                           {"USERNAME": "alice", **sign_in.secret_hash()})
    result = tokens(done, "MFA_SETUP answered with the verified session")
    check("NewDeviceMetadata" in result, "the MFA_SETUP sign-in's tokens carry NewDeviceMetadata")
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    check(user.get("PreferredMfaSetting") == "SOFTWARE_TOKEN_MFA"
          and "SOFTWARE_TOKEN_MFA" in user.get("UserMFASettingList", []),
          "the app is enrolled and preferred after MFA_SETUP")
    code = world.raw("HarnessTotpCode", {"UserPoolId": pool_id, "Username": "alice"})["Code"]
    check(code == pyotp.TOTP(secret).now(), "HarnessTotpCode gives the user's current code")

    # A later sign-in: the code is checked against the enrolled secret.
    sign_in = SignIn(world, pool_id, secret_client, "alice")
    step = sign_in.password()
    check(step.get("ChallengeName") == "SOFTWARE_TOKEN_MFA", "next sign-in: SOFTWARE_TOKEN_MFA")
    expect_error("CodeMismatchException", "SOFTWARE_TOKEN_MFA with a wrong code",
                 sign_in.respond, name="SOFTWARE_TOKEN_MFA", session=step["Session"],
                 responses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": wrong,
                            **sign_in.secret_hash()})
    result = tokens(sign_in.totp(step, secret), "SOFTWARE_TOKEN_MFA with the right code")
    check(result["NewDeviceMetadata"]["DeviceKey"].startswith("us-east-1_")
          and result["NewDeviceMetadata"]["DeviceGroupKey"].startswith("-")
          and len(result["NewDeviceMetadata"]["DeviceGroupKey"]) == 10,
          "NewDeviceMetadata: DeviceKey us-east-1_<uuid>, DeviceGroupKey -<9>")

    # ConfirmDevice, its errors, ListDevices.
    access = result["AccessToken"]
    _, config = aws_srp.generate_hash_device("-x", "y")
    expect_error("ResourceNotFoundException", "ConfirmDevice with an unknown key",
                 idp.confirm_device, AccessToken=access, DeviceKey="us-east-1_nope",
                 DeviceSecretVerifierConfig=config)
    expect_error("InvalidParameterException", "ConfirmDevice without a Salt",
                 idp.confirm_device, AccessToken=access,
                 DeviceKey=result["NewDeviceMetadata"]["DeviceKey"],
                 DeviceSecretVerifierConfig={"PasswordVerifier": config["PasswordVerifier"]})
    expect_error("InvalidParameterException", "ConfirmDevice with a verifier not Base64",
                 idp.confirm_device, AccessToken=access,
                 DeviceKey=result["NewDeviceMetadata"]["DeviceKey"],
                 DeviceSecretVerifierConfig={"PasswordVerifier": "%%%", "Salt": config["Salt"]})
    device, answer = confirm(world, result, name="laptop")
    check(answer["UserConfirmationNecessary"] is False,
          "ConfirmDevice: UserConfirmationNecessary false")
    expect_error("ResourceNotFoundException", "ConfirmDevice twice",
                 idp.confirm_device, AccessToken=access, DeviceKey=device["DeviceKey"],
                 DeviceSecretVerifierConfig=config)
    listed = idp.list_devices(AccessToken=access)["Devices"]
    check([d["DeviceKey"] for d in listed] == [device["DeviceKey"]],
          "ListDevices: the confirmed device only (the unconfirmed one is not listed)")
    check(attributes(listed[0]) == {"device_status": "valid", "device_name": "laptop",
                                    "last_ip_used": "127.0.0.1",
                                    "dev:device_remembered_status": "remembered"},
          "ListDevices: remembered, named, with its attributes")
    check(all(isinstance(listed[0][k], datetime.datetime) for k in (
        "DeviceCreateDate", "DeviceLastModifiedDate", "DeviceLastAuthenticatedDate")),
        "ListDevices: the three dates")

    # The remembered device: DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, tokens without MFA.
    sign_in = SignIn(world, pool_id, secret_client, "alice", device)
    before = idp.get_device(AccessToken=access, DeviceKey=device["DeviceKey"])["Device"]
    result = tokens(sign_in.device(sign_in.password()), "remembered device: no MFA")
    check("NewDeviceMetadata" not in result, "a proven device gets no NewDeviceMetadata")
    after = idp.get_device(AccessToken=result["AccessToken"],
                           DeviceKey=device["DeviceKey"])["Device"]
    check(after["DeviceLastAuthenticatedDate"] > before["DeviceLastAuthenticatedDate"],
          "GetDevice: the last-authenticated date moved")
    access = result["AccessToken"]

    sign_in = SignIn(world, pool_id, public_client, "alice", device)
    result = sign_in.srp.authenticate_user()
    check("AccessToken" in result.get("AuthenticationResult", {}),
          "pycognito's own authenticate_user (device challenges without a session): tokens")

    step = world.idp.initiate_auth(
        ClientId=public_client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD,
                        "DEVICE_KEY": device["DeviceKey"]})
    sign_in = SignIn(world, pool_id, public_client, "alice", device)
    tokens(sign_in.device(step), "USER_PASSWORD_AUTH with DEVICE_KEY: device challenge, tokens")

    sign_in = SignIn(world, pool_id, secret_client, "alice", device, device_password="wrong")
    expect_error("NotAuthorizedException", "a wrong device password", sign_in.device,
                 step=sign_in.password())

    def claim_over(stamp):
        """A tamper hook: pycognito's key, the signature over `stamp` as TIMESTAMP."""
        def tamper(answer, parameters):
            key = sign_in.srp.get_device_authentication_key(
                device["DeviceGroupKey"], device["DeviceKey"], device["password"],
                aws_srp.hex_to_long(parameters["SRP_B"]), parameters["SALT"])
            message = (device["DeviceGroupKey"] + device["DeviceKey"]).encode() + (
                base64.b64decode(parameters["SECRET_BLOCK"]) + stamp.encode())
            answer["TIMESTAMP"] = stamp
            answer["PASSWORD_CLAIM_SIGNATURE"] = base64.b64encode(
                hmac.new(key, message, hashlib.sha256).digest()).decode()
        return tamper

    sign_in = SignIn(world, pool_id, secret_client, "alice", device)
    expect_error("NotAuthorizedException", "a zero-padded day in TIMESTAMP", sign_in.device,
                 step=sign_in.password(), tamper=claim_over("Thu Dec 03 09:05:01 UTC 2026"))
    sign_in = SignIn(world, pool_id, secret_client, "alice", device)
    tokens(sign_in.device(sign_in.password(), tamper=claim_over("Thu Dec 3 09:05:01 UTC 2026")),
           "the same claim over 'Thu Dec 3 09:05:01 UTC 2026'")
    sign_in = SignIn(world, pool_id, secret_client, "alice", device)
    expect_error("NotAuthorizedException", "a TIMESTAMP whose weekday is wrong", sign_in.device,
                 step=sign_in.password(), tamper=claim_over("Fri Dec 3 09:05:01 UTC 2026"))

    # Not remembered: the device is challenged, then MFA; no NewDeviceMetadata.
    expect_error("InvalidParameterException", "UpdateDeviceStatus with another value",
                 idp.update_device_status, AccessToken=access, DeviceKey=device["DeviceKey"],
                 DeviceRememberedStatus="forgotten")
    idp.update_device_status(AccessToken=access, DeviceKey=device["DeviceKey"],
                             DeviceRememberedStatus="not_remembered")
    status = attributes(idp.get_device(AccessToken=access, DeviceKey=device["DeviceKey"])[
        "Device"])["dev:device_remembered_status"]
    check(status == "not_remembered", "UpdateDeviceStatus not_remembered")
    sign_in = SignIn(world, pool_id, secret_client, "alice", device)
    step = sign_in.device(sign_in.password())
    result = tokens(sign_in.totp(step, secret), "not remembered device: MFA after the device")
    check("NewDeviceMetadata" not in result, "...and no NewDeviceMetadata")
    access = result["AccessToken"]

    # Paging, with two more devices.
    keys = [device["DeviceKey"]]
    for _ in range(2):
        sign_in = SignIn(world, pool_id, secret_client, "alice")
        result = tokens(sign_in.totp(sign_in.password(), secret), "sign-in on a new device")
        keys.append(confirm(world, result)[0]["DeviceKey"])
    pages, token = [], None
    while True:
        page = idp.list_devices(AccessToken=access, Limit=1,
                                **({"PaginationToken": token} if token else {}))
        pages.append([d["DeviceKey"] for d in page["Devices"]])
        token = page.get("PaginationToken")
        if not token:
            break
    check(pages == [[k] for k in keys], "ListDevices Limit=1: three pages in creation order")
    check("device_name" not in attributes(idp.get_device(AccessToken=access,
                                                          DeviceKey=keys[1])["Device"]),
          "a device confirmed without a name has no device_name")
    expect_error("InvalidParameterException", "ListDevices Limit=61", idp.list_devices,
                 AccessToken=access, Limit=61)

    # ForgetDevice: gone; a sign-in naming its stale key is refused (ResourceNotFoundException,
    # as Cognito answers); without it: MFA, then a new device.
    idp.forget_device(AccessToken=access, DeviceKey=device["DeviceKey"])
    expect_error("ResourceNotFoundException", "GetDevice after ForgetDevice", idp.get_device,
                 AccessToken=access, DeviceKey=device["DeviceKey"])
    expect_error("ResourceNotFoundException", "ForgetDevice twice", idp.forget_device,
                 AccessToken=access, DeviceKey=device["DeviceKey"])
    expect_error("ResourceNotFoundException", "UpdateDeviceStatus of a forgotten device",
                 idp.update_device_status, AccessToken=access, DeviceKey=device["DeviceKey"],
                 DeviceRememberedStatus="remembered")
    stale = SignIn(world, pool_id, secret_client, "alice", device)
    expect_error("ResourceNotFoundException", "a sign-in naming the forgotten device",
                 stale.password)
    sign_in = SignIn(world, pool_id, secret_client, "alice")
    step = sign_in.password()
    result = tokens(sign_in.totp(step, secret), "without the forgotten device's key: MFA")
    check("NewDeviceMetadata" in result and result["NewDeviceMetadata"]["DeviceKey"] != device[
        "DeviceKey"], "...and a new device")
    check([d["DeviceKey"] for d in idp.list_devices(AccessToken=access)["Devices"]] == keys[1:],
          "ListDevices after ForgetDevice")

    return pool_id, secret_client, public_client


def refresh_and_other_pools(world, pool_id, public_client):
    idp = world.idp
    world.user(pool_id, "carol")  # no MFA yet: the device pool asks for MFA_SETUP only in SRP
    step = idp.initiate_auth(ClientId=public_client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    result = tokens(step, "USER_PASSWORD_AUTH (moto issues no MFA_SETUP there)")
    refreshed = idp.initiate_auth(
        ClientId=public_client["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"],
                        "DEVICE_KEY": result["NewDeviceMetadata"]["DeviceKey"]})
    check("AccessToken" in refreshed["AuthenticationResult"]
          and "NewDeviceMetadata" not in refreshed["AuthenticationResult"],
          "REFRESH_TOKEN_AUTH with DEVICE_KEY: tokens, no NewDeviceMetadata")
    expect_error("NotAuthorizedException", "REFRESH_TOKEN_AUTH without the DEVICE_KEY",
                 idp.initiate_auth, ClientId=public_client["ClientId"],
                 AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]})

    plain_pool, _, plain_client = world.pool("plain", None, mfa=False)
    world.user(plain_pool, "dave")
    step = idp.initiate_auth(ClientId=plain_client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "dave", "PASSWORD": PASSWORD})
    check("NewDeviceMetadata" not in tokens(step, "pool without DeviceConfiguration"),
          "a pool without DeviceConfiguration tracks no devices")

    prompt_pool, _, prompt_client = world.pool(
        "prompt", {"ChallengeRequiredOnNewDevice": False,
                   "DeviceOnlyRememberedOnUserPrompt": True}, mfa=False)
    world.user(prompt_pool, "bob")
    step = idp.initiate_auth(ClientId=prompt_client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD})
    result = tokens(step, "UserPrompt pool: USER_PASSWORD_AUTH")
    device, answer = confirm(world, result, name="desk")
    check(answer["UserConfirmationNecessary"] is True,
          "UserPrompt pool: UserConfirmationNecessary true")
    listed = idp.list_devices(AccessToken=result["AccessToken"])["Devices"]
    check(attributes(listed[0])["dev:device_remembered_status"] == "not_remembered",
          "UserPrompt pool: the device starts not_remembered")
    sign_in = SignIn(world, prompt_pool, prompt_client, "bob", device)
    result = tokens(sign_in.device(sign_in.password()),
                    "UserPrompt pool, not remembered, no MFA: the device, then tokens")
    check("NewDeviceMetadata" not in result, "...without NewDeviceMetadata")

    step = idp.admin_initiate_auth(
        UserPoolId=prompt_pool, ClientId=prompt_client["ClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD, "DEVICE_KEY": device["DeviceKey"]})
    sign_in = SignIn(world, prompt_pool, prompt_client, "bob", device, admin=True)
    result = tokens(sign_in.device(step), "AdminInitiateAuth with DEVICE_KEY, device challenges "
                    "through AdminRespondToAuthChallenge")
    step = idp.admin_initiate_auth(
        UserPoolId=prompt_pool, ClientId=prompt_client["ClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD})
    check("NewDeviceMetadata" in tokens(step, "AdminInitiateAuth without a device"),
          "...gets NewDeviceMetadata")

    idp.admin_delete_user(UserPoolId=prompt_pool, Username="bob")
    world.user(prompt_pool, "bob")
    expect_error("ResourceNotFoundException",
                 "a new user of the same name: the old device key is unknown",
                 idp.initiate_auth, ClientId=prompt_client["ClientId"],
                 AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD,
                                 "DEVICE_KEY": device["DeviceKey"]})
    step = idp.initiate_auth(ClientId=prompt_client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD})
    result = tokens(step, "...and without it, tokens")
    check(idp.list_devices(AccessToken=result["AccessToken"])["Devices"] == [],
          "AdminDeleteUser dropped the user's devices")


def main():
    port = free_port()
    try:
        process, log = start_harness(port)
    except Failure as failure:
        print("FAIL:", failure, file=sys.stderr)
        return 1
    try:
        world = World(f"http://127.0.0.1:{port}")
        pool_id, _, public_client = mfa_setup_and_devices(world)
        refresh_and_other_pools(world, pool_id, public_client)
    except Failure as failure:
        print("FAIL:", failure, f"(harness log: {log})", file=sys.stderr)
        return 1
    except ClientError as error:
        print("FAIL: unexpected error:", error, f"(harness log: {log})", file=sys.stderr)
        return 1
    finally:
        process.terminate()
        process.wait(timeout=10)
    os.remove(log)
    print("all device and MFA_SETUP checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
