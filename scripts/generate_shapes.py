#!/usr/bin/env python3
"""Generates the Cognito wire shapes and exception list from botocore's service model.

usage: generate_shapes.py [OUTPUT_DIR]    (default: Sources/CognitoClient/Generated)

Reads `data/cognito-idp/2016-04-18/service-2.json.gz` from the installed botocore (pinned in
scripts/requirements-test.txt) and writes, for the operations in OPERATIONS:
  Shapes.swift          every input, output and nested structure, as Swift structs that read
                        themselves from JSON (JSONReadable) and write themselves (JSONWritable)
  ServiceErrorCode.swift one case per exception any of those operations lists
Adding an operation is adding its name to OPERATIONS and running this script; a test checks
that the committed files are exactly what it writes.

Mapping: structure -> struct (required members non-optional, the rest optional); string ->
String, or Sensitive for the shapes in SECRETS (the model also marks names, attribute values
and client ids "sensitive": personal data shown to its owner, not secrets to hide from them);
integer/long -> Int; boolean -> Bool; timestamp -> Double (AWS JSON sends epoch seconds); list -> [T]; map -> [String: T] (Sensitive values for a
map in SECRETS); a string enum used only in requests -> a Swift enum, else String (a new value
from the server must still decode).
"""

import gzip
import json
import os
import re
import sys

import botocore

OPERATIONS = [
    "AdminDeleteUserAttributes",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminGetUser",
    "AdminListGroupsForUser",
    "AdminResetUserPassword",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
    "AssociateSoftwareToken",
    "ChangePassword",
    "ConfirmDevice",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteWebAuthnCredential",
    "ForgetDevice",
    "GetTokensFromRefreshToken",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GlobalSignOut",
    "InitiateAuth",
    "ListDevices",
    "ListUsers",
    "ListWebAuthnCredentials",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SetUserMFAPreference",
    "UpdateDeviceStatus",
    "UpdateUserAttributes",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
]

# Shapes whose values are secrets: tokens, sessions, client secrets, sign-in parameters,
# passwords and one-time codes.
SECRETS = {
    "TokenModelType", "SessionType", "ClientSecretType", "AuthParametersType",
    "ChallengeResponsesType", "PasswordType", "SecretHashType", "SecretCodeType",
    "ConfirmationCodeType",
}

SWIFT_KEYWORDS = {"default", "protocol", "self", "Type", "in", "is", "as", "case", "enum", "init"}

MODEL = os.path.join(
    os.path.dirname(botocore.__file__), "data", "cognito-idp", "2016-04-18", "service-2.json.gz")


def lower_camel(name):
    """`MFAOptions` -> `mfaOptions`, `UserMFASettingList` -> `userMFASettingList`."""
    match = re.match(r"^([A-Z]+)(?=[A-Z][a-z]|$)|^([A-Z])", name)
    if not match:
        return name
    head = match.group(0)
    return head.lower() + name[len(head):]


def enum_case(value):
    """`USER_SRP_AUTH` -> `userSrpAuth`."""
    words = value.lower().split("_")
    return words[0] + "".join(word.capitalize() for word in words[1:])


def identifier(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


class Generator:
    def __init__(self, model):
        self.shapes = model["shapes"]
        self.operations = model["operations"]
        self.output_shapes = set()
        self.input_shapes = set()
        self.structures = []  # in first-use order
        for name in OPERATIONS:
            operation = self.operations[name]
            self.visit(operation["input"]["shape"], self.input_shapes)
            if "output" in operation:
                self.visit(operation["output"]["shape"], self.output_shapes)

    def visit(self, name, uses):
        if name in uses:
            return
        uses.add(name)
        shape = self.shapes[name]
        if shape["type"] == "structure":
            if name not in self.structures:
                self.structures.append(name)
            for member in shape["members"].values():
                self.visit(member["shape"], uses)
        elif shape["type"] == "list":
            self.visit(shape["member"]["shape"], uses)
        elif shape["type"] == "map":
            self.visit(shape["value"]["shape"], uses)

    def is_request_enum(self, name):
        shape = self.shapes[name]
        return "enum" in shape and name not in self.output_shapes

    def swift_type(self, name, secret=False):
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "string":
            if self.is_request_enum(name):
                return name
            return "Sensitive" if secret or name in SECRETS else "String"
        if kind in ("integer", "long"):
            return "Int"
        if kind == "boolean":
            return "Bool"
        if kind == "timestamp":
            return "Double"
        if kind == "list":
            return "[" + self.swift_type(shape["member"]["shape"], name in SECRETS) + "]"
        if kind == "map":
            return "[String: " + self.swift_type(shape["value"]["shape"], name in SECRETS) + "]"
        if kind == "structure":
            return name
        raise SystemExit(f"generate_shapes: no mapping for {name} ({kind})")

    def structure(self, name):
        shape = self.shapes[name]
        members = shape["members"]
        required = set(shape.get("required", []))
        is_input = name in self.input_shapes
        is_output = name in self.output_shapes
        conformances = ["Sendable", "Hashable"]
        if is_output:
            conformances.append("JSONReadable")
        if is_input:
            conformances.append("JSONWritable")
        role = self.role(name)
        lines = [f"/// `{name}`{role}.", f"public struct {name}: {', '.join(conformances)} {{"]
        fields = []
        for member, spec in members.items():
            swift = identifier(lower_camel(member))
            kind = self.swift_type(spec["shape"])
            optional = member not in required
            fields.append((member, swift, kind, optional))
            note = "required" if not optional else "optional"
            lines.append(f"  /// `{member}` ({spec['shape']}, {note}).")
            lines.append(f"  public var {swift}: {kind}{'?' if optional else ''}")
        parameters = ", ".join(
            f"{swift}: {kind}{'? = nil' if optional else ''}" for _, swift, kind, optional in fields)
        if fields:
            lines.append("")
        lines.append("  /// Creates a value; optional members default to absent.")
        if not fields:
            lines.append("  public init() {}")
        else:
            lines.append(f"  public init({parameters}) {{")
            for _, swift, _, _ in fields:
                bare = swift.strip("`")
                lines.append(f"    self.{bare} = {bare}")
            lines.append("  }")
        if is_output:
            lines.append("")
            lines.append("  /// Reads the value from a JSON object (`name` says where, for errors).")
            lines.append("  public init(json: JSONValue, at name: String) throws(JSONError) {")
            if not fields:
                lines.append("    guard case .object = json else { throw JSONError(\"\\(name) is not an object\") }")
            for member, swift, _, optional in fields:
                bare = swift.strip("`")
                how = "optional" if optional else "required"
                lines.append(f"    self.{bare} = try json.{how}(\"{member}\", in: name)")
            lines.append("  }")
        if is_input:
            lines.append("")
            lines.append("  /// The value as a JSON object: the members given, in the model's order.")
            lines.append("  public var json: JSONValue {")
            if not fields:
                lines.append("    .object([])")
            else:
                lines.append("    var members: [JSONMember] = []")
                for member, swift, _, _ in fields:
                    lines.append(f"    members.append(\"{member}\", {swift})")
                lines.append("    return .object(members)")
            lines.append("  }")
        lines.append("}")
        return "\n".join(lines)

    def role(self, name):
        for operation in OPERATIONS:
            spec = self.operations[operation]
            if spec["input"]["shape"] == name:
                return f": the input of `{operation}`"
            if spec.get("output", {}).get("shape") == name:
                return f": the output of `{operation}`"
        return ""

    def enum(self, name):
        values = self.shapes[name]["enum"]
        lines = [f"/// `{name}`: the values a request may send.",
                 f"public enum {name}: String, Sendable, Hashable, JSONWritable {{"]
        for value in values:
            lines.append(f"  /// `{value}`.")
            lines.append(f"  case {identifier(enum_case(value))} = \"{value}\"")
        lines.append("")
        lines.append("  /// The value as its JSON string.")
        lines.append("  public var json: JSONValue { .string(rawValue) }")
        lines.append("}")
        return "\n".join(lines)

    def shapes_file(self, version):
        enums = sorted(name for name in self.input_shapes
                       if self.shapes[name]["type"] == "string" and self.is_request_enum(name))
        parts = [header(version), "public import AccountCore", ""]
        parts += [self.structure(name) + "\n" for name in self.structures]
        parts += [self.enum(name) + "\n" for name in enums]
        return "\n".join(parts).rstrip() + "\n"

    def errors_file(self, version):
        names = sorted({error["shape"] for operation in OPERATIONS
                        for error in self.operations[operation].get("errors", [])})
        cases = [(lower_camel(name[: -len("Exception")] if name.endswith("Exception") else name),
                  name) for name in names]
        lines = [header(version),
                 "/// An exception code Cognito returns, one case per exception the service model lists",
                 "/// for the operations this client uses; any other code is kept raw in ``unknown(_:)``.",
                 "public enum ServiceErrorCode: Sendable, Hashable, CustomStringConvertible {"]
        for case, name in cases:
            lines.append(f"  /// `{name}`.")
            lines.append(f"  case {identifier(case)}")
        lines += [
            "  /// A code this client does not model, kept as sent.",
            "  case unknown(String)",
            "",
            "  private static let known: [(ServiceErrorCode, String)] = [",
        ]
        for case, name in cases:
            lines.append(f"    (.{case}, \"{name}\"),")
        lines += [
            "  ]",
            "",
            "  /// Every modelled code (not ``unknown(_:)``), for tests and documentation.",
            "  public static var allModelled: [ServiceErrorCode] { known.map(\\.0) }",
            "",
            "  /// Classifies a sanitised code string (for example `NotAuthorizedException`).",
            "  public init(code: String) {",
            "    self = Self.known.first { $0.1 == code }?.0 ?? .unknown(code)",
            "  }",
            "",
            "  /// The code as Cognito spells it.",
            "  public var code: String {",
            "    if case .unknown(let raw) = self { return raw }",
            "    return Self.known.first { $0.0 == self }?.1 ?? \"\"",
            "  }",
            "",
            "  /// The code.",
            "  public var description: String { code }",
            "}",
        ]
        return "\n".join(lines) + "\n"


def header(version):
    return ("// swift-format-ignore-file\n"
            f"// Generated by scripts/generate_shapes.py from botocore {version}'s cognito-idp\n"
            "// service model (2016-04-18). Do not edit: add the operation to the script and run it.\n")


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "Sources", "CognitoClient", "Generated")
    with gzip.open(MODEL) as handle:
        model = json.load(handle)
    generator = Generator(model)
    os.makedirs(output, exist_ok=True)
    files = {
        "Shapes.swift": generator.shapes_file(botocore.__version__),
        "ServiceErrorCode.swift": generator.errors_file(botocore.__version__),
    }
    for name, text in files.items():
        with open(os.path.join(output, name), "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
