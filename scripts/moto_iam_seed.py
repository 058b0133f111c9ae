#!/usr/bin/env python3
"""Seed a moto server as the support-mode peer, then switch IAM enforcement on.

The server (scripts/moto_server.py, started by lib.sh's start_moto_iam) must be fresh: enforcement
is server-wide, so it is a separate instance from the main test moto. While auth is still off,
this seeds with dummy keys:

- user pool "support-pool" (schema: email, phone_number, name, given_name, family_name,
  preferred_username), app client "support-tests";
- N numbered users user0001… (email user0001@example.com; statuses CONFIRMED,
  FORCE_CHANGE_PASSWORD, RESET_REQUIRED and UNCONFIRMED; every 37th disabled), sent in one
  HarnessCreateUsers call (scripts/moto_server.py: one AdminCreateUser at a time, 2,000 users
  take 20 s); a dozen named users (zoe.*, zack.*, …, one disabled) so that prefix searches find
  a handful, and target-01…target-20 (CONFIRMED, enabled, every attribute set) for write tests
  to mutate, one each, both created with the ordinary admin operations;
- groups support-agents (user0001, user0002) and beta-testers (user0002);
- IAM users support-reader (ListUsers, AdminGetUser, AdminListGroupsForUser, DescribeUserPool),
  support-writer (cognito-idp:*, sts:AssumeRole on support-role) and seeder ("*"), each with an
  inline policy and an access key; role support-role (cognito-idp:*) whose trust policy names
  support-writer.

Then it posts reset-auth 0 and checks that enforcement holds (reader lists; reader is denied
AdminDeleteUserAttributes; a wrong secret is SignatureDoesNotMatch; an unsigned request is
refused; writer assumes support-role and the session lists users). moto answers the first three
with HTTP 403 and an XML body even for this JSON service, which boto3 reports as error code
"403", so they are checked on the raw answer. It writes OUTPUT_JSON:
endpoint, region, account_id, user_pool_id, client_id, password, iam (keys and ARN per user),
role_arn, users / named / targets (usernames), groups, counts and seed_seconds. From then on every
call must be signed (moto's public operations aside: InitiateAuth, SignUp, ConfirmSignUp,
ForgotPassword, GetUser); sign with iam.seeder's keys to seed more.

usage: moto_iam_seed.py MOTO_URL OUTPUT_JSON [--users N]
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
PASSWORD = "Seed-Passw0rd!"
GIVEN = ["Ada", "Ben", "Chloé", "Dmitri", "Emma", "Farah", "Gus", "Hana", "Ivan", "Jia",
         "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás"]
FAMILY = ["Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "García", "Haddad", "Ito",
          "Jensen", "Kowalski", "López", "Müller", "Nguyen", "O'Brien", "Patel"]
NAMED = ["zoe.adams", "zoe.baker", "zoe.chen", "zoe.diaz", "zoey.evans", "zack.fischer",
         "zack.garcia", "zack.haddad", "yara.ito", "xavier.jensen", "ana.lopez", "anabel.muller"]
READER_ACTIONS = ["cognito-idp:ListUsers", "cognito-idp:AdminGetUser",
                  "cognito-idp:AdminListGroupsForUser", "cognito-idp:DescribeUserPool",
                  "sts:GetCallerIdentity"]
SCHEMA = [{"Name": name, "AttributeDataType": "String", "Mutable": True}
          for name in ["email", "phone_number", "name", "given_name", "family_name",
                       "preferred_username"]]


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def signed_post(url, service, headers, body, key="testing", secret="testing", token=None):
    """(status, headers, body) of a POST signed with SigV4 (botocore's signer), or unsigned
    when key is None."""
    request = AWSRequest(method="POST", url=url, data=body, headers=headers)
    if key is not None:
        SigV4Auth(Credentials(key, secret, token), service, REGION).add_auth(request)
    request = urllib.request.Request(url, data=body, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def cognito_post(url, operation, params, *credentials):
    headers = {"Content-Type": "application/x-amz-json-1.1",
               "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}"}
    return signed_post(url, "cognito-idp", headers, json.dumps(params).encode(), *credentials)


def client(service, url, key="testing", secret="testing", token=None):
    return boto3.client(service, endpoint_url=url, region_name=REGION,
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        aws_session_token=token,
                        config=Config(retries={"max_attempts": 1}))


def person(i, email, given=None, family=None):
    given, family = given or GIVEN[i % len(GIVEN)], family or FAMILY[i * 7 % len(FAMILY)]
    attributes = {"email": email, "email_verified": "true", "given_name": given,
                  "family_name": family, "name": f"{given} {family}"}
    if i % 2:
        attributes["phone_number"] = f"+1555{i:07d}"
    if i % 5 == 0:
        attributes["preferred_username"] = f"{given.lower()}{i}"
    return [{"Name": k, "Value": v} for k, v in attributes.items()]


def seed_pool(idp, numbered, counts):
    pool_id = idp.create_user_pool(PoolName="support-pool", Schema=SCHEMA)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="support-tests", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]

    def count(status, enabled):
        counts[status] = counts.get(status, 0) + 1
        counts["disabled"] += not enabled

    statuses = ["CONFIRMED"] * 6 + ["FORCE_CHANGE_PASSWORD"] * 2 + ["RESET_REQUIRED", "UNCONFIRMED"]
    users = [f"user{i:04d}" for i in range(1, numbered + 1)]
    specs = [{"Username": username, "UserAttributes": person(i, f"{username}@example.com"),
              "Status": statuses[i % 10], "Enabled": i % 37 != 0, "Password": PASSWORD}
             for i, username in enumerate(users, 1)]
    status, _, body = cognito_post(idp.meta.endpoint_url, "HarnessCreateUsers",
                                   {"UserPoolId": pool_id, "Users": specs})
    check(status == 200, f"HarnessCreateUsers: {status} {body[:300]!r}")
    for spec in specs:
        count(spec["Status"], spec["Enabled"])

    def create(username, attributes, enabled=True):
        idp.admin_create_user(UserPoolId=pool_id, Username=username, UserAttributes=attributes,
                              MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                    Permanent=True)
        if not enabled:
            idp.admin_disable_user(UserPoolId=pool_id, Username=username)
        count("CONFIRMED", enabled)

    for i, username in enumerate(NAMED):
        given, family = username.title().split(".")
        create(username, person(i, f"{username}@example.com", given, family), enabled=i != 1)
    targets = [f"target-{i:02d}" for i in range(1, 21)]
    for i, username in enumerate(targets, 1):
        create(username, [{"Name": k, "Value": v} for k, v in {
            "email": f"{username}@example.com", "email_verified": "true",
            "phone_number": f"+1555010{i:04d}", "phone_number_verified": "true",
            "given_name": "Target", "family_name": f"Number {i:02d}",
            "name": f"Target Number {i:02d}", "preferred_username": f"target{i:02d}"}.items()])
    for group, members in [("support-agents", users[:2]), ("beta-testers", users[1:2])]:
        idp.create_group(UserPoolId=pool_id, GroupName=group)
        for username in members:
            idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    return pool_id, client_id, users, targets


def seed_iam(iam, account_id):
    role_arn = f"arn:aws:iam::{account_id}:role/support-role"
    policies = {
        "support-reader": policy(allow(READER_ACTIONS)),
        "support-writer": policy(allow(["cognito-idp:*", "sts:GetCallerIdentity"]),
                                 allow("sts:AssumeRole", role_arn)),
        "seeder": policy(allow("*")),
    }
    keys = {}
    for name, document in policies.items():
        arn = iam.create_user(UserName=name)["User"]["Arn"]
        iam.put_user_policy(UserName=name, PolicyName=f"{name}-inline", PolicyDocument=document)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        keys[name] = {"arn": arn, "access_key_id": key["AccessKeyId"],
                      "secret_access_key": key["SecretAccessKey"]}
    # moto compares the trust policy's principal with the caller's ARN as a string, so the
    # account root (arn:aws:iam::ACCOUNT:root) would not admit the user: name the user.
    trust = policy({"Effect": "Allow", "Principal": {"AWS": keys["support-writer"]["arn"]},
                    "Action": "sts:AssumeRole"})
    iam.create_role(RoleName="support-role", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName="support-role", PolicyName="support-role-inline",
                        PolicyDocument=policy(allow(["cognito-idp:*", "sts:GetCallerIdentity"])))
    return keys, role_arn


def enforce(url):
    request = urllib.request.Request(url.rstrip("/") + "/moto-api/reset-auth", data=b"0",
                                     headers={"Content-Type": "text/plain"}, method="POST")
    with urllib.request.urlopen(request) as response:
        check(response.status == 200, f"reset-auth: {response.status}")


def check(condition, failure):
    if not condition:
        sys.exit(f"moto_iam_seed: {failure}")


def verify(url, keys, pool_id, role_arn):
    """Fails loudly unless moto now enforces signatures and policies."""
    reader = (keys["support-reader"]["access_key_id"], keys["support-reader"]["secret_access_key"])
    listing = {"UserPoolId": pool_id, "Limit": 1}
    checks = [
        ("reader's ListUsers", cognito_post(url, "ListUsers", listing, *reader), 200, b"Users"),
        ("reader's AdminDeleteUserAttributes", cognito_post(
            url, "AdminDeleteUserAttributes", {"UserPoolId": pool_id, "Username": "target-01",
                                               "UserAttributeNames": ["name"]}, *reader),
         403, b"<Code>AccessDenied</Code>"),
        ("a wrong secret", cognito_post(url, "ListUsers", listing, reader[0], "wrong"),
         403, b"<Code>SignatureDoesNotMatch</Code>"),
        # moto fails on the missing Authorization header: HTTP 500, an HTML page.
        ("an unsigned ListUsers", cognito_post(url, "ListUsers", listing, None), 500, b""),
    ]
    for what, (status, _, body), want_status, want_body in checks:
        check(status == want_status and want_body in body, f"{what}: {status} {body[:300]!r}")
    w = keys["support-writer"]
    creds = client("sts", url, w["access_key_id"], w["secret_access_key"]).assume_role(
        RoleArn=role_arn, RoleSessionName="seed-check")["Credentials"]
    session = (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    client("cognito-idp", url, *session).list_users(UserPoolId=pool_id, Limit=1)
    arn = client("sts", url, *session).get_caller_identity()["Arn"]
    check(arn.endswith(":assumed-role/support-role/seed-check"), f"role session's ARN: {arn}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("output")
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()

    start = time.monotonic()
    account_id = client("sts", args.url).get_caller_identity()["Account"]
    counts = {"disabled": 0}
    pool_id, client_id, users, targets = seed_pool(client("cognito-idp", args.url), args.users,
                                                   counts)
    keys, role_arn = seed_iam(client("iam", args.url), account_id)
    seconds = round(time.monotonic() - start, 2)
    enforce(args.url)
    verify(args.url, keys, pool_id, role_arn)

    counts["users"] = len(users) + len(NAMED) + len(targets)
    seed = {
        "endpoint": args.url, "region": REGION, "account_id": account_id,
        "user_pool_id": pool_id, "client_id": client_id, "password": PASSWORD,
        "iam": keys, "role_arn": role_arn,
        "users": users, "named": NAMED, "targets": targets,
        "groups": {"support-agents": users[:2], "beta-testers": users[1:2]},
        "counts": counts, "seed_seconds": seconds,
    }
    with open(args.output, "w") as out:
        json.dump(seed, out, indent=2, ensure_ascii=False)
    print(f"seeded {counts['users']} users and 3 IAM users in {seconds} s; IAM enforced",
          file=sys.stderr)


if __name__ == "__main__":
    main()
