#!/usr/bin/env python3
"""Seed a moto server with a demo user pool and a user with a rich set of attributes.

usage: seed_demo.py ENDPOINT_URL   (prints JSON: user_pool_id, client_id, username, password)
"""

import json
import sys
import urllib.request

import boto3

endpoint = sys.argv[1]
idp = boto3.client(
    "cognito-idp",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
)
schema = [
    {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
    *[
        {"Name": name, "AttributeDataType": "String", "Mutable": True}
        for name in [
            "given_name", "family_name", "name", "nickname", "locale", "zoneinfo",
            "phone_number", "website", "birthdate", "address",
        ]
    ],
    {"Name": "team", "AttributeDataType": "String", "Mutable": True},
    {"Name": "department", "AttributeDataType": "String", "Mutable": True},
    {"Name": "favourite_food", "AttributeDataType": "String", "Mutable": True},
    {"Name": "employee_id", "AttributeDataType": "String", "Mutable": False},
]
# Devices are tracked and remembered (the Security view lists this one after 'login').
pool = idp.create_user_pool(
    PoolName="cognito-account-demo",
    Schema=schema,
    DeviceConfiguration={
        "ChallengeRequiredOnNewDevice": True,
        "DeviceOnlyRememberedOnUserPrompt": False,
    },
)["UserPool"]
client = idp.create_user_pool_client(
    UserPoolId=pool["Id"],
    ClientName="demo",
    GenerateSecret=False,
    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]
username, password = "zoe", "Demo-Passw0rd!"
attributes = {
    "email": "zoe@example.com",
    "email_verified": "true",
    "given_name": "Zoë",
    "family_name": "Ångström",
    "name": "Zoë Ångström",
    "nickname": "zo 🚀",
    "locale": "sv-SE",
    "zoneinfo": "Europe/Stockholm",
    "phone_number": "+46700000000",
    "website": "https://example.com/zoë",
    "birthdate": "1990-01-31",
    "address": "Drottninggatan 1\n111 51 Stockholm",
    "custom:team": "プラットフォーム",
    "custom:department": "Engineering",
    "custom:favourite_food": "smörgåsbord",
    "custom:employee_id": "E-1024",
}
idp.admin_create_user(
    UserPoolId=pool["Id"],
    Username=username,
    TemporaryPassword="Temp-Passw0rd!",
    MessageAction="SUPPRESS",
    UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
)
idp.admin_set_user_password(
    UserPoolId=pool["Id"], Username=username, Password=password, Permanent=True
)
# A passkey, as a browser registration would leave it (the harness's test-only operation).
urllib.request.urlopen(
    urllib.request.Request(
        endpoint,
        data=json.dumps(
            {
                "UserPoolId": pool["Id"],
                "Username": username,
                "FriendlyCredentialName": "MacBook Touch ID",
                "RelyingPartyId": "auth.example.com",
            }
        ).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.HarnessAddWebAuthnCredential",
        },
    )
).read()
json.dump(
    {
        "user_pool_id": pool["Id"],
        "client_id": client["ClientId"],
        "username": username,
        "password": password,
    },
    sys.stdout,
)
