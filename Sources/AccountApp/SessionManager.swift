public import AccountCore
public import CognitoClient
public import FoundationEssentials
import Glibc
public import Keyfile

/// Answers a sign-in challenge (a new password, an MFA code, a choice of method).
public typealias ChallengeResponder =
  @Sendable (PendingChallenge) async throws(AccountError) -> ChallengeAnswer

/// Asked when the pool lets the user decide whether to remember this device: `true` to
/// remember it (sign-ins from it then skip MFA).
public typealias DeviceQuestion = @Sendable () async -> Bool

/// The signed-in session: sign-in, tokens kept fresh, calls with one retry after a refresh, and
/// sign-out. The CLI and the screen share it.
///
/// Before each call the access token's `exp`, corrected by the clock drift measured at issue and
/// with 60 s of margin, decides whether to refresh first. A NotAuthorizedException on the access
/// token triggers one refresh and one retry. Only one refresh is ever in flight, and the keyfile
/// lock is held across it (re-reading the file first, so a refresh another process just did is
/// used rather than repeated).
///
/// A session is bound to where it was made: before any of its tokens is used, its endpoint,
/// user pool and app client must match the settings in force, and a session re-read from the
/// keyfile must be for the user this process started with. Otherwise
/// ``AccountError/sessionMismatch(message:)`` is thrown and nothing is sent.
public actor SessionManager {
  private let settings: ResolvedSettings
  private let endpoint: CognitoEndpoint
  private let appClient: AppClient
  private let client: CognitoClient
  /// Where the session is kept; `nil` with `--no-store`, or once the user chose not to store
  /// it for this run (``keepInMemoryOnly()``).
  private var keyfile: (any SessionStore)?
  private let authenticator: CognitoAuthenticator
  private let now: @Sendable () -> Date
  private var current: StoredSession?
  private var refreshing: Task<StoredSession, any Error>?
  /// The canonical username of the first session this process used (signed in or loaded).
  private var boundUsername: String?

  /// Seconds before expiry at which a token is refreshed.
  public static let refreshMargin = 60

  /// Creates the session layer.
  public init(
    settings: ResolvedSettings, client: CognitoClient, keyfile: (any SessionStore)?,
    now: @escaping @Sendable () -> Date = { Date() }
  ) throws(AccountError) {
    self.settings = settings
    self.endpoint = try settings.endpoint()
    self.appClient = try settings.appClient()
    self.client = client
    self.keyfile = keyfile
    self.keyfilePathAtStart = keyfile?.path
    self.authenticator = CognitoAuthenticator(client: client, appClient: appClient)
    self.now = now
  }

  private nonisolated let keyfilePathAtStart: String?

  // MARK: Sign-in

  /// A device Cognito named at a sign-in that was not stored yet: it is registered once the
  /// session is (its password needs the keyfile), and never if the session stays in memory.
  private var deviceToRegister: (key: String, groupKey: String, signInName: String)?

  /// Writes the session signed in with `storing: false` to the keyfile (its passphrase must be
  /// available by now: the screen asks for it after signing in), registering the device
  /// Cognito named at that sign-in first.
  public func storeSession() async throws(AccountError) {
    guard var session = current else { throw .notSignedIn }
    if let pending = deviceToRegister {
      deviceToRegister = nil
      session.device = await confirmDevice(
        key: pending.key, groupKey: pending.groupKey, signInName: pending.signInName,
        accessToken: session.accessToken, ask: nil)
      current = session
    }
    try await persist(session)
  }

  /// Keeps the session in memory only, for the rest of this run (as `--no-store`): nothing is
  /// written, refreshes included; a device named at the sign-in is not registered (its key
  /// still goes with refreshes).
  public func keepInMemoryOnly() {
    keyfile = nil
    deviceToRegister = nil
  }

  /// What the last sign-in did about this device, for the person signing in ("remembered:
  /// sign-ins from it skip MFA", or why it could not be registered); nil when the pool does not
  /// track devices.
  public private(set) var deviceNote: String?

  /// Signs in, answering challenges through `responder`, and stores the session (unless
  /// `storing` is false: then ``storeSession()`` or ``keepInMemoryOnly()`` follows).
  ///
  /// A device registered earlier for this user (in the session in memory, or with
  /// `readingKeyfile` in the keyfile, which may ask for its passphrase first) proves itself, so
  /// the pool may skip MFA; if Cognito refuses it (forgotten elsewhere), the sign-in is done
  /// once more without it. When Cognito names a new device (`NewDeviceMetadata`) and there is a
  /// keyfile to keep its password in, the device is registered (`ConfirmDevice`); where the
  /// pool leaves remembering it to the user, `rememberDevice` is asked. `MFA_SETUP` is answered
  /// by enrolling an authenticator app through `responder` (three tries at its code).
  public func signIn(
    username: String, password: Sensitive, responder: ChallengeResponder, storing: Bool = true,
    readingKeyfile: Bool = false, rememberDevice: DeviceQuestion? = nil
  ) async throws(AccountError) -> StoredSession {
    let lookup = deviceLookup(readingKeyfile: readingKeyfile)
    deviceNote = nil
    var deviceRefused = false
    var step: SignInStep
    do {
      step = try await authenticator.signIn(
        username: username, password: password, flow: settings.authFlow.value, device: lookup)
    } catch .deviceRefused(let refusal) {
      deviceRefused = true
      deviceNote =
        "Cognito refused this device (\(refusal.code.code): forgotten, or its credentials no "
        + "longer match): signed in without it"
      do {
        step = try await authenticator.signIn(
          username: username, password: password, flow: settings.authFlow.value, device: nil)
      } catch {
        throw AccountError(error, endpoint: endpoint.url)
      }
    } catch {
      throw AccountError(error, endpoint: endpoint.url)
    }
    var refusedCodes = 0
    while case .challenge(var challenge) = step {
      switch challenge.kind {
      case .unsupported: throw .unsupportedChallenge(name: challenge.name)
      case .mfaSetup(let options):
        guard options.isEmpty || options.contains("SOFTWARE_TOKEN_MFA") else {
          throw .unsupportedChallenge(name: challenge.name)
        }
        if settings.readOnly.value { throw .readOnly(action: "set up MFA at sign-in") }
        do {
          challenge = try await authenticator.beginTOTPSetup(challenge)
        } catch {
          throw AccountError(error, endpoint: endpoint.url)
        }
      default: break
      }
      let answer = try await responder(challenge)
      do {
        step = try await authenticator.respond(to: challenge, with: answer)
      } catch {
        var translated = AccountError(error, endpoint: endpoint.url)
        if case .totpSetup = answer { translated = translated.asEnrolmentCodeRefusal }
        // A wrong first code of the app being set up: the same secret, asked again.
        if case .service(let problem) = translated, problem.kind == .verificationCodeMismatch,
          case .totpSetup = answer, refusedCodes < 2
        {
          refusedCodes += 1
          challenge.previousAnswerRefused = true
          step = .challenge(challenge)
          continue
        }
        throw translated
      }
    }
    guard case .signedIn(let result, let canonical) = step else { throw .notSignedIn }
    var session = try makeSession(result, username: canonical, previous: nil)
    let known = lookup?(canonical) ?? lookup?(username)
    session.device = deviceRefused ? nil : known
    if deviceRefused, let refusedKey = known?.key, !settings.readOnly.value {
      // Its password no longer proves it (or Cognito forgot it): tidy the list, best effort.
      try? await client.forgetDevice(refusedKey, accessToken: session.accessToken)
    }
    if let metadata = result.newDeviceMetadata, let key = metadata.deviceKey,
      let groupKey = metadata.deviceGroupKey
    {
      if storing {
        let refusal = deviceNote
        session.device = await confirmDevice(
          key: key, groupKey: groupKey, signInName: username, accessToken: session.accessToken,
          ask: rememberDevice)
        if let refusal { deviceNote = refusal + "; " + (deviceNote ?? "") }
      } else {
        // Registered when the session is stored (``storeSession()``), if it is.
        session.device = DeviceCredentials.unregistered(key: key, groupKey: groupKey)
        deviceToRegister = (key, groupKey, username)
      }
    } else if session.device?.isRegistered == true {
      deviceNote = "signed in as this remembered device"
    }
    if storing { try await persist(session) }
    current = session
    boundUsername = session.username
    return session
  }

  /// Finds the registered device of a user at this endpoint, pool and client: in the session in
  /// memory, else (with `readingKeyfile`) in the keyfile, by the canonical username (exactly, as
  /// Cognito compares it) or by the name typed when it was registered. Nothing that fails here
  /// stops a sign-in: it goes on as from a new device.
  private func deviceLookup(readingKeyfile: Bool) -> DeviceLookup? {
    var session = current
    if session == nil, readingKeyfile, let keyfile, keyfile.exists {
      session = try? keyfile.load()
    }
    guard let session, let device = session.device, device.isRegistered,
      session.belongs(
        endpoint: endpoint.url.absoluteString, userPoolID: appClient.userPoolID,
        clientID: appClient.clientID)
    else { return nil }
    let owner = session.username
    return { name in name == owner || name == device.signInName ? device : nil }
  }

  /// Registers the device Cognito named (`ConfirmDevice` with the verifier of a new random
  /// password) and, where the pool leaves it to the user, remembers it if they say so. Returns
  /// its credentials; without a keyfile to keep the password in, or read-only, the device is not
  /// registered and only its key is kept (refreshes must send it). Signing in never fails for
  /// it: ``deviceNote`` says what happened.
  private func confirmDevice(
    key: String, groupKey: String, signInName: String, accessToken: Sensitive,
    ask: DeviceQuestion?
  ) async -> DeviceCredentials {
    let unregistered = DeviceCredentials.unregistered(key: key, groupKey: groupKey)
    guard keyfile != nil else {
      deviceNote = "this device was not registered: with --no-store there is nowhere to keep it"
      return unregistered
    }
    guard !settings.readOnly.value else {
      deviceNote = "this device was not registered: read-only"
      return unregistered
    }
    let device = DeviceCredentials(
      key: key, groupKey: groupKey, password: DeviceVerifier.randomPassword(),
      signInName: signInName)
    let name = Self.deviceName
    let answer: ConfirmDeviceResponse
    do {
      let verifier = try DeviceVerifier(device: device, salt: DeviceVerifier.randomSalt())
      answer = try await client.confirmDevice(
        key, verifier: verifier, name: name, accessToken: accessToken)
    } catch {
      deviceNote =
        "this device could not be registered: "
        + StatusLine(error: AccountError(error, endpoint: endpoint.url)).text
      return unregistered
    }
    guard answer.userConfirmationNecessary == true else {
      deviceNote = "this device is remembered (\(name)): sign-ins from it may skip MFA"
      return device
    }
    guard let ask, await ask() else {
      deviceNote =
        "this device is registered but not remembered ('devices remember \(key)' changes that)"
      return device
    }
    do {
      try await client.updateDeviceStatus(key, remembered: true, accessToken: accessToken)
      deviceNote = "this device is remembered (\(name)): sign-ins from it may skip MFA"
    } catch {
      deviceNote =
        "this device is registered but could not be remembered ('devices remember \(key)' "
        + "tries again): " + StatusLine(error: AccountError(error, endpoint: endpoint.url)).text
    }
    return device
  }

  /// The name a registered device gets: the program and the host's name.
  static var deviceName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    let host =
      gethostname(&buffer, buffer.count) == 0
      ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      : ""
    return host.isEmpty ? "cognito-account" : "cognito-account on \(host)"
  }

  /// Asks Cognito whether the user pool and the app client exist, with no account. The pool:
  /// its public key set (`/<pool>/.well-known/jwks.json`) must not answer 404, the only way to
  /// name a pool without IAM credentials (a sign-in never sends the pool id). The client: a
  /// sign-in for a user name that cannot exist, with a random password, in the flow in force.
  /// Returns the answer that proves the client exists (UserNotFoundException, or
  /// NotAuthorizedException where the pool hides which users exist); throws a configuration
  /// error naming what is wrong (no such pool; ResourceNotFoundException: no such client in
  /// this region; a flow the client does not allow). Nothing is stored.
  public func checkAppClient() async throws(AccountError) -> String {
    let pool = await client.lookUpUserPool(appClient.userPoolID)
    if pool == .missing {
      throw .configuration(
        message:
          "Cognito has no user pool \(appClient.userPoolID) at \(endpoint.url.absoluteString) "
          + "(its key set answered 404): check the user pool id and the region")
    }
    let username = "cognito-account-check-" + UUID().uuidString.lowercased()
    let password = Sensitive(UUID().uuidString + "aA1!")
    do {
      var step = try await authenticator.signIn(
        username: username, password: password, flow: settings.authFlow.value)
      // A pool that hides which users exist answers SRP with a challenge for anyone.
      if case .challenge(let challenge) = step, challenge.kind != .unsupported {
        step = try await authenticator.respond(to: challenge, with: .code(Sensitive("000000")))
      }
      return "a sign-in step for a user that does not exist"
    } catch {
      switch error.serviceCode {
      case .userNotFound?, .notAuthorized?: return error.serviceCode?.code ?? ""
      case .resourceNotFound?:
        throw .configuration(
          message:
            "user pool \(appClient.userPoolID) has no app client \(appClient.clientID) at "
            + "\(endpoint.url.absoluteString) (ResourceNotFoundException): check the app client id"
            + (pool == .exists ? "" : " and the region"))
      case .invalidParameter?:
        throw .configuration(
          message:
            "the app client exists but refused the sign-in flow \(settings.authFlow.value.rawValue)"
            + " (\(error)): choose the other flow, or allow this one on the client")
      default:
        throw AccountError(error, endpoint: endpoint.url)
      }
    }
  }

  // MARK: Calls

  /// The stored session (memory first, else the keyfile), without refreshing it.
  public func storedSession() throws(AccountError) -> StoredSession {
    if let current { return current }
    guard let keyfile else { throw .notSignedIn }
    let session = try Self.load(keyfile)
    try checkBinding(session)
    current = session
    boundUsername = boundUsername ?? session.username
    return session
  }

  /// Throws ``AccountError/sessionMismatch(message:)`` unless `session` was made at the endpoint,
  /// pool and client in force, for the user this process started with.
  private func checkBinding(_ session: StoredSession) throws(AccountError) {
    let here = endpoint.url.absoluteString
    if !session.belongs(
      endpoint: here, userPoolID: appClient.userPoolID, clientID: appClient.clientID)
    {
      current = nil
      let clients =
        session.clientID != appClient.clientID
        ? (" (client \(session.clientID))", " (client \(appClient.clientID))") : ("", "")
      throw .sessionMismatch(
        message:
          "This session was made for \(session.userPoolID)\(clients.0) at \(session.endpoint); "
          + "sign in again for \(appClient.userPoolID)\(clients.1) at \(here): "
          + "run 'cognito-account login' (nothing was sent)")
    }
    if let boundUsername, session.username != boundUsername {
      current = nil
      throw .sessionMismatch(
        message:
          "The keyfile now holds a session for \(session.username), not \(boundUsername): "
          + "it was replaced by another sign-in; sign in again (nothing was sent)")
    }
  }

  /// Whether `session`'s access token is within the refresh margin of expiry.
  private func isRefreshDue(_ session: StoredSession) -> Bool {
    let serverNow = Int(now().timeIntervalSince1970) - session.clockDrift
    return serverNow + Self.refreshMargin >= session.accessTokenExpiresAt
  }

  /// Where the session is kept: the keyfile's path, or `nil` with `--no-store`.
  public nonisolated var keyfilePath: String? { keyfilePathAtStart }

  /// Runs `operation` with the client and a valid access token: refreshing first when due, and
  /// once more after a NotAuthorizedException. The application layer's only way to Cognito.
  public func withClient<T: Sendable>(
    _ operation: @Sendable (CognitoClient, Sensitive) async throws(CognitoError) -> T
  ) async throws(AccountError) -> T {
    let client = self.client
    return try await withAccessToken { token throws(CognitoError) in
      try await operation(client, token)
    }
  }

  /// Like ``withClient(_:)`` for an operation whose NotAuthorizedException can also be its own
  /// refusal (ChangePassword's wrong current password): GetUser with the same token tells the
  /// two apart. If GetUser accepts the token, the refusal is the operation's and is thrown
  /// unchanged, with no retry (a retry would count as a second wrong password); otherwise the
  /// token was stale and it goes as ``withClient(_:)`` does.
  public func withClientTellingTokenFromRefusal<T: Sendable>(
    _ operation: @Sendable (CognitoClient, Sensitive) async throws(CognitoError) -> T
  ) async throws(AccountError) -> T {
    let client = self.client
    return try await withAccessToken(
      { token throws(CognitoError) in try await operation(client, token) },
      tokenStillGood: { token in
        // Only GetUser's own NotAuthorizedException says the token is stale; any other
        // failure leaves the operation's refusal standing (no second try).
        do {
          _ = try await client.getUser(accessToken: token)
          return true
        } catch {
          return (error as? CognitoError)?.serviceCode != .notAuthorized
        }
      })
  }

  /// Runs `operation` with a valid access token: refreshing first when due, and once more after
  /// a NotAuthorizedException — unless `tokenStillGood` says the token was fine, in which case
  /// the NotAuthorizedException is the operation's answer and is thrown.
  private func withAccessToken<T: Sendable>(
    _ operation: @Sendable (Sensitive) async throws(CognitoError) -> T,
    tokenStillGood: (@Sendable (Sensitive) async -> Bool)? = nil
  ) async throws(AccountError) -> T {
    var session = try storedSession()
    if isRefreshDue(session) { session = try await refresh(after: session) }
    do {
      return try await operation(session.accessToken)
    } catch  where error.serviceCode == .notAuthorized {
      if let tokenStillGood, await tokenStillGood(session.accessToken) {
        throw AccountError(error, endpoint: endpoint.url)
      }
      session = try await refresh(after: session)
      do {
        return try await operation(session.accessToken)
      } catch {
        throw AccountError(error, endpoint: endpoint.url)
      }
    } catch {
      throw AccountError(error, endpoint: endpoint.url)
    }
  }

  /// Refreshes the tokens (once, however many callers ask at the same time).
  private func refresh(after stale: StoredSession) async throws(AccountError) -> StoredSession {
    if let refreshing {
      return try await Self.value(of: refreshing)
    }
    let task = Task { try await self.performRefresh(after: stale) }
    refreshing = task
    defer { refreshing = nil }
    return try await Self.value(of: task)
  }

  private static func value(of task: Task<StoredSession, any Error>) async throws(AccountError)
    -> StoredSession
  {
    do {
      return try await task.value
    } catch let error as AccountError {
      throw error
    } catch {
      throw .unexpectedResponse(message: "refresh failed: \(error)")
    }
  }

  private func performRefresh(after stale: StoredSession) async throws -> StoredSession {
    guard let keyfile else { return try await refreshTokens(of: stale) }
    let held = try Self.lock(keyfile)
    defer { withExtendedLifetime(held) {} }
    // Another process may have refreshed (and rotated the refresh token) meanwhile.
    let onDisk = try Self.load(keyfile)
    try checkBinding(onDisk)
    if onDisk.accessToken != stale.accessToken && !isRefreshDue(onDisk) {
      current = onDisk
      return onDisk
    }
    let fresh = try await refreshTokens(of: onDisk)
    try Self.save(fresh, to: keyfile)
    return fresh
  }

  private func refreshTokens(of session: StoredSession) async throws(AccountError)
    -> StoredSession
  {
    let result: AuthenticationResultType
    do {
      result = try await authenticator.refresh(
        refreshToken: session.refreshToken, username: session.username,
        rotation: settings.refreshTokenRotation.value, deviceKey: session.device?.key)
    } catch {
      switch error.serviceCode {
      case .notAuthorized?, .refreshTokenReuse?, .userNotFound?:
        throw .sessionEnded(code: error.serviceCode?.code ?? "NotAuthorizedException")
      default:
        throw AccountError(error, endpoint: endpoint.url)
      }
    }
    let fresh = try makeSession(result, username: session.username, previous: session)
    current = fresh
    return fresh
  }

  // MARK: Sign-out

  /// What ``signOut(everywhere:)`` did.
  public struct SignOutReport: Sendable {
    /// Whether there was a session to end.
    public var wasSignedIn: Bool
    /// Problems that did not stop the local sign-out (server unreachable, …).
    public var warnings: [String]
  }

  /// Revokes the refresh token (after GlobalSignOut with `everywhere`) and removes the keyfile;
  /// a device registered from here is forgotten first (its password is in the keyfile).
  /// When the server cannot be reached the local keyfile is still removed, with a warning.
  ///
  /// The newest session is read and the file removed under the keyfile's lock (the lock file
  /// itself stays), so a refresh in another process cannot write it back; the revocation
  /// follows once the lock is released.
  public func signOut(everywhere: Bool) async throws(AccountError) -> SignOutReport {
    var warnings: [String] = []
    var session: StoredSession?
    do {
      session = try storedSession()
    } catch .notSignedIn {
      session = nil
    } catch .sessionMismatch(let message) {
      // A keyfile of an earlier format can never be used: remove it, revoking nothing. A session
      // made elsewhere is left alone (signing out of it needs its own settings).
      guard let keyfile, keyfile.isOutdated else { throw .sessionMismatch(message: message) }
      warnings.append("the keyfile was of an earlier format: removed without revoking its session")
    } catch {
      warnings.append("could not read the session to revoke it: \(StatusLine(error: error).text)")
    }
    let wasSignedIn = session != nil || (keyfile?.exists ?? false)
    // The device's password leaves with the keyfile, so the device could never prove itself
    // again: Cognito is told to forget it (before a global sign-out ends the access token).
    if let device = session?.device, device.isRegistered {
      if settings.readOnly.value {
        warnings.append(
          "read-only: this device stays registered at Cognito (forget it with 'devices forget "
            + "\(device.key)' once not read-only)")
      } else {
        do {
          try await withAccessToken { token throws(CognitoError) in
            try await self.client.forgetDevice(device.key, accessToken: token)
          }
        } catch {
          warnings.append("this device could not be forgotten: \(StatusLine(error: error).text)")
        }
      }
    }
    if session != nil && everywhere {
      do {
        try await withAccessToken { token throws(CognitoError) in
          try await self.client.globalSignOut(accessToken: token)
        }
      } catch {
        warnings.append("global sign-out failed: \(StatusLine(error: error).text)")
      }
    }
    // Under the keyfile's lock: read the newest session (another process may have rotated its
    // refresh token) and remove the file, so no refresh elsewhere can write it back. The lock is
    // released before the network call that revokes it.
    var latest = current ?? session
    if let keyfile {
      let held = try Self.lock(keyfile)
      defer { withExtendedLifetime(held) {} }
      if session != nil, let onDisk = try? keyfile.load() {
        try checkBinding(onDisk)
        latest = onDisk
      }
      do {
        try keyfile.remove()
      } catch {
        throw AccountError(error)
      }
    }
    current = nil
    if session != nil, let latest { await revoke(latest, warnings: &warnings) }
    return SignOutReport(wasSignedIn: wasSignedIn, warnings: warnings)
  }

  /// Drops this device's credentials from the session (and the keyfile) when its key is
  /// `key`: Cognito no longer knows it, so the next sign-in is from a new device.
  public func dropDevice(ifKey key: String) async throws(AccountError) {
    guard var session = current, session.device?.key == key else { return }
    session.device = nil
    current = session
    guard let keyfile else { return }
    // Under the lock, from the file: another process may have refreshed the tokens since.
    let held = try Self.lock(keyfile)
    defer { withExtendedLifetime(held) {} }
    var onDisk = try Self.load(keyfile)
    try checkBinding(onDisk)
    guard onDisk.device?.key == key else { return }
    onDisk.device = nil
    try Self.save(onDisk, to: keyfile)
    current = onDisk
  }

  /// Closes the account (`DeleteUser`), then removes the keyfile: the session belonged to a
  /// user that no longer exists, so there is nothing to revoke. Returns the keyfile's path, if
  /// one was removed.
  public func closeAccount() async throws(AccountError) -> String? {
    try await withClient { client, token throws(CognitoError) in
      try await client.deleteUser(accessToken: token)
    }
    current = nil
    guard let keyfile else { return nil }
    let held = try Self.lock(keyfile)
    defer { withExtendedLifetime(held) {} }
    do {
      try keyfile.remove()
    } catch {
      throw AccountError(error)
    }
    return keyfilePath
  }

  private func revoke(_ session: StoredSession, warnings: inout [String]) async {
    do {
      try await client.revokeToken(
        session.refreshToken, clientID: appClient.clientID, clientSecret: appClient.clientSecret)
    } catch {
      warnings.append(
        "the refresh token could not be revoked: "
          + StatusLine(error: AccountError(error, endpoint: endpoint.url)).text)
    }
  }

  // MARK: Internals

  private static func load(_ keyfile: any SessionStore) throws(AccountError) -> StoredSession {
    do {
      return try keyfile.load()
    } catch {
      throw AccountError(error)
    }
  }

  private static func save(_ session: StoredSession, to keyfile: any SessionStore)
    throws(AccountError)
  {
    do {
      try keyfile.save(session)
    } catch {
      throw AccountError(error)
    }
  }

  private func persist(_ session: StoredSession) async throws(AccountError) {
    guard let keyfile else { return }
    let held = try Self.lock(keyfile)
    defer { withExtendedLifetime(held) {} }
    try Self.save(session, to: keyfile)
  }

  private static func lock(_ keyfile: any SessionStore) throws(AccountError) -> SessionStoreLock {
    do {
      return try keyfile.lock()
    } catch {
      throw AccountError(error)
    }
  }

  private func makeSession(
    _ result: AuthenticationResultType, username: String, previous: StoredSession?
  ) throws(AccountError) -> StoredSession {
    guard let access = result.accessToken else {
      throw .unexpectedResponse(message: "Cognito returned no access token")
    }
    guard let refreshToken = result.refreshToken ?? previous?.refreshToken else {
      throw .unexpectedResponse(message: "Cognito returned no refresh token")
    }
    let claims = JWTClaims(token: access)
    let nowSeconds = Int(now().timeIntervalSince1970)
    let issuedAt = claims?.issuedAt ?? nowSeconds
    // Claims are clamped by JWTClaims; ExpiresIn is clamped here (a year at most), so no
    // server-sent number can overflow the arithmetic below or later.
    let lifetime = min(max(result.expiresIn ?? 3600, 0), 366 * 86_400)
    let expiresAt = claims?.expiresAt ?? (issuedAt + lifetime)
    var session = StoredSession(
      endpoint: endpoint.url.absoluteString, region: endpoint.region,
      userPoolID: appClient.userPoolID, clientID: appClient.clientID,
      username: claims?.canonicalUsername ?? username, accessToken: access,
      idToken: result.idToken ?? previous?.idToken, refreshToken: refreshToken,
      accessTokenExpiresAt: expiresAt,
      idTokenExpiresAt: result.idToken.flatMap { JWTClaims(token: $0)?.expiresAt },
      refreshTokenExpiresAt: previous?.refreshTokenExpiresAt,
      clockDrift: nowSeconds - issuedAt, issuedAt: nowSeconds)
    // A refresh keeps the device the tokens were issued to.
    session.device = previous?.device
    return session
  }
}
