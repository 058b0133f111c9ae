// swift-tools-version:6.1
import PackageDescription

/// Settings every first-party target shares: strict, explicit Swift.
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "cognito-account",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "cognito-account", targets: ["cognito-account"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
  ],
  targets: [
    // The pure core: state, rules and error mapping. Standard library only.
    .target(name: "AccountCore"),
    // Pure rendering helpers: display width, escaping of untrusted text.
    .target(name: "AccountView", dependencies: ["AccountCore"]),
    // dlopen on first use, for the shared libraries most commands never touch (OpenSSL,
    // ncursesw): loading them at every start cost ≈ 4 ms of a 12 ms `--version`.
    .target(name: "CLibraryLoader"),
    // OpenSSL's libcrypto (loaded on first use), only for the constant-time big-number
    // arithmetic of SRP. Headers from libssl-dev.
    .target(name: "CSystemCrypto", dependencies: ["CLibraryLoader"]),
    // OpenSSL's libssl (loaded on the first TLS connection), for TLS in the HTTP transport.
    .target(name: "CSystemTLS", dependencies: ["CLibraryLoader"]),
    // HTTP/1.1 over a socket: TLS (OpenSSL), the HTTPS proxy, connection reuse, the plain-http
    // loopback rule. Knows nothing of Cognito.
    .target(name: "HTTPStack", dependencies: ["AccountCore", "CSystemTLS"]),
    // Amazon Cognito user-pool API over AWS JSON 1.1, SECRET_HASH and SRP, through HTTPStack's
    // transport protocol.
    .target(
      name: "CognitoClient",
      dependencies: [
        "AccountCore", "CSystemCrypto", "HTTPStack",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // AWS Signature Version 4: a request and credentials in, the signed request out. Pure.
    .target(
      name: "SigV4",
      dependencies: [
        "AccountCore", "HTTPStack", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // The AWS credential chain (environment, shared files, credential_process, AssumeRole, IAM
    // Identity Center, container, IMDSv2) and the STS calls it needs.
    .target(
      name: "AWSCredentialChain",
      dependencies: [
        "AccountCore", "HTTPStack", "SigV4", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // libqrencode (loaded when a QR code is first drawn). Headers from libqrencode-dev.
    .target(name: "CQREncode", dependencies: ["CLibraryLoader"]),
    // QR codes: a matrix from libqrencode, and the matrix as terminal text.
    .target(name: "QRCode", dependencies: ["CQREncode"]),
    // The support mode's append-only, locked, fsynced audit log (JSON lines).
    .target(name: "AuditLog", dependencies: ["AccountCore"]),
    // Questions on the controlling terminal (lines, secrets with echo off, a new secret twice)
    // and secret files, each with its own error.
    .target(name: "Prompting", dependencies: ["AccountCore", "CTerminalSupport"]),
    // Linux kernel keyring system calls, for the keyfile's unlock cache.
    .systemLibrary(name: "CLinuxKeyring"),
    // The encrypted session file.
    .target(
      name: "Keyfile",
      dependencies: [
        "AccountCore", "CLinuxKeyring", "Prompting",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "CryptoExtras", package: "swift-crypto"),
      ]
    ),
    // libFuzzer harness for the response decoder and the keyfile parser (built by scripts/fuzz).
    .executableTarget(
      name: "cognito-fuzz",
      dependencies: ["AccountApp", "AccountCore", "AccountView", "CognitoClient", "Keyfile"]),
    // A helper the keyfile tests run as separate processes (crash loop, lock contention, cache).
    .executableTarget(name: "keyfile-harness", dependencies: ["Keyfile", "AccountCore"]),
    // Signing measured in-process, for scripts/bench (built only there, in release).
    .executableTarget(name: "sigv4-bench", dependencies: ["AccountCore", "HTTPStack", "SigV4"]),
    // A helper the audit-log tests run as separate processes (SIGKILL mid-write, two writers).
    .executableTarget(name: "audit-harness", dependencies: ["AuditLog"]),
    // ncursesw (loaded when the screen opens), with accessors for the macros and globals Swift
    // cannot import. Headers from libncurses-dev.
    .target(name: "CNcursesw", dependencies: ["CLibraryLoader"]),
    // Signal self-pipe and window size, in C (a signal handler must be a C function).
    .target(name: "CTerminalSupport"),
    // The ncursesw adapter.
    .target(
      name: "TerminalUI",
      dependencies: ["CNcursesw", "CTerminalSupport", "AccountCore", "AccountView"]),
    // The runtime: effect runner, session manager, sign-in flows.
    .target(
      name: "AccountApp",
      dependencies: [
        "AccountCore", "AccountView", "AuditLog", "AWSCredentialChain", "CognitoClient",
        "HTTPStack", "Keyfile", "Prompting", "QRCode", "SigV4",
      ]
    ),
    .executableTarget(
      name: "cognito-account",
      dependencies: [
        "AccountApp", "AccountCore", "AccountView", "AuditLog", "AWSCredentialChain",
        "CognitoClient", "CTerminalSupport", "HTTPStack", "Keyfile", "Prompting", "QRCode",
        "TerminalUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Test helpers: a scripted loopback HTTP server and moto fixtures.
    .target(
      name: "TestSupport",
      dependencies: ["AccountCore", "AccountView", "CognitoClient", "HTTPStack", "Keyfile"]),
    .testTarget(
      name: "AccountCoreTests", dependencies: ["AccountCore", "AccountView", "TestSupport"]),
    .testTarget(name: "PromptingTests", dependencies: ["AccountCore", "Prompting"]),
    .testTarget(
      name: "SupportModeTests",
      dependencies: [
        "AccountApp", "AccountCore", "AuditLog", "AWSCredentialChain", "CognitoClient",
        "HTTPStack", "SigV4", "TestSupport", "audit-harness",
      ]),
    .testTarget(
      name: "AccountAppTests",
      dependencies: [
        "AccountApp", "AccountCore", "AccountView", "CognitoClient", "HTTPStack", "Keyfile",
        "TestSupport",
      ]),
    .testTarget(
      name: "CLITests",
      dependencies: ["AccountCore", "CognitoClient", "Keyfile", "TestSupport", "cognito-account"]),
    .testTarget(
      name: "KeyfileTests",
      dependencies: ["Keyfile", "AccountCore", "CLinuxKeyring", "TestSupport", "keyfile-harness"]),
    .testTarget(
      name: "CognitoClientTests",
      dependencies: [
        "AccountCore", "CognitoClient", "HTTPStack", "Keyfile", "TestSupport",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
  ]
)

for target in package.targets where target.type != .system {
  target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
