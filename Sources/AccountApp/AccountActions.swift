public import AccountCore
public import CognitoClient
public import Keyfile

/// Every user-visible action, written once: the CLI's commands and the screen's effects call
/// these and differ only in how they ask and how they show. Each returns a report value; the
/// rules it applies (validation, protected names, what needs a typed confirmation) are pure, in
/// ``RemovalRules`` and ``AttributeRules``.
public struct AccountActions: Sendable {
  private let session: SessionManager

  /// Actions on the session `session` keeps.
  public init(session: SessionManager) { self.session = session }

  /// Where the session is kept (`nil` with `--no-store`).
  public var keyfilePath: String? { session.keyfilePath }

  /// The stored session (memory, else the keyfile), without refreshing or sending anything.
  public func storedSession() async throws(AccountError) -> StoredSession {
    try await session.storedSession()
  }

  /// Reads the account (GetUser).
  public func load() async throws(AccountError) -> GetUserResponse {
    try await session.withClient { client, token throws(CognitoError) in
      try await client.getUser(accessToken: token)
    }
  }

  /// Checks `names` and reads the account, to show what a removal would do before it is
  /// confirmed. Refuses an invalid or protected name before anything is sent.
  public func planRemoval(of names: [String]) async throws(AccountError) -> RemovalPlan {
    try await attributeActions.planRemoval(of: names)
  }

  /// Removes what `plan` found present (one DeleteUserAttributes), then reads the account back
  /// to tell removed from not removed.
  public func remove(_ plan: RemovalPlan) async throws(AccountError) -> RemovalReport {
    try await attributeActions.remove(plan)
  }

  /// Puts `attributes` back (one UpdateUserAttributes), then reads the account back.
  public func restore(_ attributes: [Attribute]) async throws(AccountError) -> [Attribute] {
    let port = SelfServicePort(session: session)
    _ = try await port.updateAttributes(
      attributes.map { AttributeType(name: $0.name, value: $0.value) })
    return try await port.readAttributes()
  }

  /// Checks `changes` and reads the account, to show what an edit would do before it is
  /// confirmed. Refuses an invalid name, one only Cognito writes, or an unacceptable value
  /// before anything is sent.
  public func planEdit(_ changes: [(name: String, value: String)]) async throws(AccountError)
    -> EditPlan
  {
    try await attributeActions.planEdit(changes)
  }

  /// Sends `plan`'s changes (one UpdateUserAttributes), then reads the account back to tell
  /// changed from waiting for verification from failed.
  public func applyEdit(_ plan: EditPlan) async throws(AccountError) -> EditReport {
    try await attributeActions.applyEdit(plan)
  }

  private var attributeActions: AttributeActions<SelfServicePort> {
    AttributeActions(port: SelfServicePort(session: session))
  }

  /// Puts back what `edits` replaced: the old values in one UpdateUserAttributes, and the
  /// attributes they added removed in one DeleteUserAttributes; then reads the account back.
  public func undoEdits(_ edits: [AttributeEdit]) async throws(AccountError) -> (
    after: [Attribute], deliveries: [CodeDelivery]
  ) {
    let restored = edits.compactMap { edit in
      edit.old.map { AttributeType(name: edit.name, value: $0) }
    }
    let added = edits.filter(\.isAddition).map(\.name)
    var deliveries: [CodeDelivery] = []
    if !restored.isEmpty {
      let answer = try await session.withClient { client, token throws(CognitoError) in
        try await client.updateUserAttributes(restored, accessToken: token)
      }
      deliveries = (answer.codeDeliveryDetailsList ?? []).compactMap(Self.delivery)
    }
    if !added.isEmpty {
      try await session.withClient { client, token throws(CognitoError) in
        try await client.deleteUserAttributes(names: added, accessToken: token)
      }
    }
    return (Self.attributes(try await load()), deliveries)
  }

  /// Asks Cognito to send a new verification code for `name` (email or phone_number).
  public func sendVerificationCode(for name: String) async throws(AccountError) -> CodeDelivery {
    try Self.checkVerifiable(name)
    let answer = try await session.withClient { client, token throws(CognitoError) in
      try await client.getUserAttributeVerificationCode(name: name, accessToken: token)
    }
    return answer.codeDeliveryDetails.flatMap(Self.delivery)
      ?? CodeDelivery(attribute: name, medium: "", destination: "the address on file")
  }

  /// Verifies `name` with `code`, then reads the account back: the attributes after.
  public func verify(_ name: String, code: Sensitive) async throws(AccountError) -> [Attribute] {
    try Self.checkVerifiable(name)
    let trimmed = code.reveal.filter { !$0.isWhitespace }
    guard !trimmed.isEmpty else { throw .invalidInput(message: "no code given") }
    do {
      try await session.withClient { client, token throws(CognitoError) in
        try await client.verifyUserAttribute(
          name: name, code: Sensitive(trimmed), accessToken: token)
      }
    } catch .service(var problem) {
      switch problem.kind {
      case .codeMismatch: problem.kind = .verificationCodeMismatch
      case .expiredCode: problem.kind = .verificationCodeExpired
      default: break
      }
      throw .service(problem)
    }
    return Self.attributes(try await load())
  }

  /// Changes the password. A NotAuthorizedException while the session is good means the current
  /// password is wrong; it is reported as that, and the call is not repeated.
  public func changePassword(current: Sensitive, new: Sensitive) async throws(AccountError) {
    guard !new.reveal.isEmpty else { throw .invalidInput(message: "the new password is empty") }
    do {
      try await session.withClientTellingTokenFromRefusal { client, token throws(CognitoError) in
        try await client.changePassword(previous: current, proposed: new, accessToken: token)
      }
    } catch .service(var problem) where problem.kind == .notAuthorized {
      // Cognito says "Password attempts exceeded" once it locks the user out for a while.
      problem.kind =
        problem.message.lowercased().contains("attempts exceeded")
        ? .limitExceeded : .wrongCurrentPassword
      throw .service(problem)
    }
  }

  /// Whether the user pool and app client in force exist (see
  /// ``SessionManager/checkAppClient()``); the answer that proves it.
  public func checkAppClient() async throws(AccountError) -> String {
    try await session.checkAppClient()
  }

  /// Signs in, answering challenges through `responder`, and keeps the session (in the keyfile
  /// too unless `storing` is false).
  ///
  /// With `readingKeyfile`, a device remembered in the keyfile proves itself (see
  /// ``SessionManager/signIn(username:password:responder:storing:readingKeyfile:rememberDevice:)``);
  /// `rememberDevice` is asked where the pool leaves remembering a new device to the user.
  public func signIn(
    username: String, password: Sensitive, responder: ChallengeResponder, storing: Bool = true,
    readingKeyfile: Bool = false, rememberDevice: DeviceQuestion? = nil
  ) async throws(AccountError) -> String {
    try await session.signIn(
      username: username, password: password, responder: responder, storing: storing,
      readingKeyfile: readingKeyfile, rememberDevice: rememberDevice
    ).username
  }

  /// What the last sign-in did about this device (remembered, registered, or why not); nil
  /// when the pool does not track devices.
  public var deviceNote: String? {
    get async { await session.deviceNote }
  }

  /// Writes the session signed in without storing to the keyfile.
  public func storeSession() async throws(AccountError) {
    try await session.storeSession()
  }

  /// Keeps the session in memory only for the rest of this run.
  public func keepInMemoryOnly() async {
    await session.keepInMemoryOnly()
  }

  /// Signs out (everywhere first with `everywhere`) and forgets the session.
  public func signOut(everywhere: Bool) async throws(AccountError)
    -> SessionManager.SignOutReport
  {
    try await session.signOut(everywhere: everywhere)
  }

  // MARK: Security

  /// The MFA state: the preferred method, those enabled, the sign-in factors
  /// (`GetUserAuthFactors`). Where Cognito does not answer that operation (an endpoint or
  /// emulator without it), `GetUser`'s `PreferredMfaSetting` and `UserMFASettingList` give
  /// the same state without the factors.
  public func mfaState() async throws(AccountError) -> MFAState {
    do {
      let answer = try await session.withClient { client, token throws(CognitoError) in
        try await client.getUserAuthFactors(accessToken: token)
      }
      return MFAState(
        preferredWire: answer.preferredMfaSetting, enabledWire: answer.userMFASettingList,
        factors: answer.configuredUserAuthFactors ?? [])
    } catch .service(let problem)
      where ["UnknownOperationException", "InvalidAction"].contains(problem.code)
    {
      let user = try await session.withClient { client, token throws(CognitoError) in
        try await client.getUser(accessToken: token)
      }
      return MFAState(
        preferredWire: user.preferredMfaSetting, enabledWire: user.userMFASettingList, factors: [])
    }
  }

  /// Enables, disables or prefers one MFA method (`SetUserMFAPreference`), then reads the state
  /// back.
  public func setMFA(_ method: MFAMethod, _ change: MFAChange) async throws(AccountError)
    -> MFAState
  {
    let enabled = change != .disable
    let preferred = change == .prefer
    let request = { @Sendable (token: Sensitive) in
      SetUserMFAPreferenceRequest(
        smsMfaSettings: method == .sms
          ? SMSMfaSettingsType(enabled: enabled, preferredMfa: preferred) : nil,
        softwareTokenMfaSettings: method == .totp
          ? SoftwareTokenMfaSettingsType(enabled: enabled, preferredMfa: preferred) : nil,
        emailMfaSettings: method == .email
          ? EmailMfaSettingsType(enabled: enabled, preferredMfa: preferred) : nil,
        accessToken: token)
    }
    try await session.withClient { client, token throws(CognitoError) in
      try await client.setUserMFAPreference(request(token))
    }
    return try await mfaState()
  }

  /// Starts enrolling an authenticator app: a new secret (`AssociateSoftwareToken`). Show it,
  /// then pass the app's first code to ``enrolTOTP(code:deviceName:)``.
  public func associateTOTP() async throws(AccountError) -> Sensitive {
    let answer = try await session.withClient { client, token throws(CognitoError) in
      try await client.associateSoftwareToken(accessToken: token)
    }
    guard let secret = answer.secretCode, !secret.isEmpty else {
      throw .unexpectedResponse(message: "Cognito answered AssociateSoftwareToken without a secret")
    }
    return secret
  }

  /// Finishes enrolling: the app's code (`VerifySoftwareToken`), then the app enabled and
  /// preferred (`SetUserMFAPreference`); the state after.
  public func enrolTOTP(code: Sensitive, deviceName: String?) async throws(AccountError)
    -> MFAState
  {
    let trimmed = Sensitive(code.reveal.filter { !$0.isWhitespace })
    guard !trimmed.isEmpty else { throw .invalidInput(message: "no code given") }
    do {
      _ = try await session.withClient { client, token throws(CognitoError) in
        try await client.verifySoftwareToken(
          code: trimmed, deviceName: deviceName, accessToken: token)
      }
    } catch {
      throw error.asEnrolmentCodeRefusal
    }
    return try await setMFA(.totp, .prefer)
  }

  /// Every passkey of the user (`ListWebAuthnCredentials`, all pages).
  public func passkeys() async throws(AccountError) -> [Passkey] {
    try await allPages { client, access, token throws(CognitoError) in
      let page = try await client.listWebAuthnCredentials(accessToken: access, nextToken: token)
      let passkeys = page.credentials.map {
        Passkey(
          id: $0.credentialId, name: $0.friendlyCredentialName, relyingParty: $0.relyingPartyId,
          created: $0.createdAt)
      }
      return (passkeys, page.nextToken)
    }
  }

  /// Every item of a paged list: `page` asked with each next token (none first) until a page
  /// names no further one (an empty token counts as none); each page with a fresh access token.
  private func allPages<Item: Sendable>(
    _ page:
      @escaping @Sendable (CognitoClient, Sensitive, String?) async throws(CognitoError) -> (
        [Item], String?
      )
  ) async throws(AccountError) -> [Item] {
    var all: [Item] = []
    var next: String?
    repeat {
      let token = next
      let (items, following) = try await session.withClient { client, access throws(CognitoError) in
        try await page(client, access, token)
      }
      all += items
      next = following.flatMap { $0.isEmpty ? nil : $0 }
    } while next != nil
    return all
  }

  /// Removes one passkey (`DeleteWebAuthnCredential`).
  public func deletePasskey(_ id: String) async throws(AccountError) {
    try await session.withClient { client, token throws(CognitoError) in
      try await client.deleteWebAuthnCredential(id, accessToken: token)
    }
  }

  /// Every device Cognito tracks for the user (`ListDevices`, all pages), this one marked.
  public func devices() async throws(AccountError) -> [Device] {
    let thisDevice = try await session.storedSession().device?.key
    return try await allPages { client, access, token throws(CognitoError) in
      let page = try await client.listDevices(accessToken: access, paginationToken: token)
      let devices = (page.devices ?? []).compactMap { device in
        device.deviceKey.map { key in
          Device(
            key: key,
            attributes: (device.deviceAttributes ?? []).map {
              Attribute(name: $0.name, value: $0.value ?? "")
            },
            lastSignIn: device.deviceLastAuthenticatedDate, created: device.deviceCreateDate,
            modified: device.deviceLastModifiedDate, thisDevice: thisDevice)
        }
      }
      return (devices, page.paginationToken)
    }
  }

  /// Stops Cognito tracking a device (`ForgetDevice`). Forgetting this one also drops its
  /// credentials from the keyfile (the next sign-in is from a new device).
  public func forgetDevice(_ key: String) async throws(AccountError) {
    try await session.withClient { client, token throws(CognitoError) in
      try await client.forgetDevice(key, accessToken: token)
    }
    try await session.dropDevice(ifKey: key)
  }

  /// Marks a device remembered (sign-ins from it may skip MFA) or not (`UpdateDeviceStatus`).
  public func setDeviceRemembered(_ key: String, _ remembered: Bool) async throws(AccountError) {
    try await session.withClient { client, token throws(CognitoError) in
      try await client.updateDeviceStatus(key, remembered: remembered, accessToken: token)
    }
  }

  /// Closes the account (`DeleteUser`) and removes the keyfile; the removed keyfile's path.
  public func closeAccount() async throws(AccountError) -> String? {
    try await session.closeAccount()
  }

  /// Refuses a name Cognito does not verify with a code.
  static func checkVerifiable(_ name: String) throws(AccountError) {
    guard EditRules.verifiedBy[name] != nil else {
      throw .invalidInput(
        message: "only email and phone_number are verified with a code, not '\(name)'")
    }
  }

  static func delivery(_ details: CodeDeliveryDetailsType) -> CodeDelivery? {
    guard let name = details.attributeName else { return nil }
    return CodeDelivery(
      attribute: name, medium: details.deliveryMedium ?? "",
      destination: details.destination ?? "the address on file")
  }

  /// The attributes of a GetUser answer, as the core sees them.
  public static func attributes(_ user: GetUserResponse) -> [Attribute] {
    user.userAttributes.map { Attribute(name: $0.name, value: $0.value ?? "") }
  }
}
