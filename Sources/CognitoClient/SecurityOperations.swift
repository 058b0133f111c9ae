public import AccountCore

extension CognitoClient {
  /// `GetUserAuthFactors`: the MFA preference, the methods enabled and the sign-in factors.
  public func getUserAuthFactors(accessToken: Sensitive) async throws(CognitoError)
    -> GetUserAuthFactorsResponse
  {
    try await call(
      "GetUserAuthFactors", GetUserAuthFactorsRequest(accessToken: accessToken),
      secrets: [accessToken])
  }

  /// `SetUserMFAPreference`: enables, disables or prefers MFA methods. Idempotent.
  public func setUserMFAPreference(_ request: SetUserMFAPreferenceRequest)
    async throws(CognitoError)
  {
    let _: SetUserMFAPreferenceResponse = try await call(
      "SetUserMFAPreference", request, secrets: [request.accessToken])
  }

  /// `ListWebAuthnCredentials`: one page of the user's passkeys.
  public func listWebAuthnCredentials(accessToken: Sensitive, nextToken: String?)
    async throws(CognitoError) -> ListWebAuthnCredentialsResponse
  {
    try await call(
      "ListWebAuthnCredentials",
      ListWebAuthnCredentialsRequest(
        accessToken: accessToken, nextToken: nextToken, maxResults: 20),
      secrets: [accessToken])
  }

  /// `DeleteWebAuthnCredential`: removes one passkey.
  public func deleteWebAuthnCredential(_ credentialID: String, accessToken: Sensitive)
    async throws(CognitoError)
  {
    let _: DeleteWebAuthnCredentialResponse = try await call(
      "DeleteWebAuthnCredential",
      DeleteWebAuthnCredentialRequest(accessToken: accessToken, credentialId: credentialID),
      secrets: [accessToken])
  }

  /// `AssociateSoftwareToken`: a new authenticator-app secret for the signed-in user. Sent once:
  /// each call replaces the secret the app would have to match.
  public func associateSoftwareToken(accessToken: Sensitive) async throws(CognitoError)
    -> AssociateSoftwareTokenResponse
  {
    try await call(
      "AssociateSoftwareToken", AssociateSoftwareTokenRequest(accessToken: accessToken),
      secrets: [accessToken], singleUse: true)
  }

  /// `VerifySoftwareToken`: the first code from the app, which enrols it. Sent once (a code
  /// counts against Cognito's attempt limit).
  public func verifySoftwareToken(code: Sensitive, deviceName: String?, accessToken: Sensitive)
    async throws(CognitoError) -> VerifySoftwareTokenResponse
  {
    try await call(
      "VerifySoftwareToken",
      VerifySoftwareTokenRequest(
        accessToken: accessToken, userCode: code.reveal, friendlyDeviceName: deviceName),
      secrets: [accessToken, code], singleUse: true)
  }

  /// `DeleteUser`: closes the signed-in user's account. Sent once: a repeat after a success
  /// could only fail, and the answer to the first is what the person must see.
  public func deleteUser(accessToken: Sensitive) async throws(CognitoError) {
    let _: NoOutput = try await call(
      "DeleteUser", DeleteUserRequest(accessToken: accessToken), secrets: [accessToken],
      singleUse: true)
  }
}

/// The answer of an operation whose model has no output shape (`DeleteUser`): any JSON object.
struct NoOutput: JSONReadable {
  init(json: JSONValue, at name: String) throws(JSONError) {
    guard case .object = json else { throw JSONError("\(name) is not an object") }
  }
}

extension CognitoClient {
  /// `ListDevices`: one page of the devices Cognito tracks for the user (60 at most).
  public func listDevices(accessToken: Sensitive, paginationToken: String?)
    async throws(CognitoError) -> ListDevicesResponse
  {
    try await call(
      "ListDevices",
      ListDevicesRequest(accessToken: accessToken, limit: 60, paginationToken: paginationToken),
      secrets: [accessToken])
  }

  /// `ForgetDevice`: Cognito stops tracking the device (a later sign-in from it is a new one).
  public func forgetDevice(_ deviceKey: String, accessToken: Sensitive) async throws(CognitoError) {
    let _: NoOutput = try await call(
      "ForgetDevice", ForgetDeviceRequest(accessToken: accessToken, deviceKey: deviceKey),
      secrets: [accessToken])
  }

  /// `UpdateDeviceStatus`: remembered (sign-ins from it skip MFA) or not. Idempotent.
  public func updateDeviceStatus(
    _ deviceKey: String, remembered: Bool, accessToken: Sensitive
  ) async throws(CognitoError) {
    let _: UpdateDeviceStatusResponse = try await call(
      "UpdateDeviceStatus",
      UpdateDeviceStatusRequest(
        accessToken: accessToken, deviceKey: deviceKey,
        deviceRememberedStatus: remembered ? .remembered : .notRemembered),
      secrets: [accessToken])
  }

  /// `ConfirmDevice`: registers the device Cognito named at sign-in with its SRP verifier.
  /// Sent once (the verifier is bound to a password only this call's caller knows).
  public func confirmDevice(
    _ deviceKey: String, verifier: DeviceVerifier, name: String?, accessToken: Sensitive
  ) async throws(CognitoError) -> ConfirmDeviceResponse {
    try await call(
      "ConfirmDevice",
      ConfirmDeviceRequest(
        accessToken: accessToken, deviceKey: deviceKey,
        deviceSecretVerifierConfig: DeviceSecretVerifierConfigType(
          passwordVerifier: verifier.verifierBase64, salt: verifier.saltBase64),
        deviceName: name),
      secrets: [accessToken], singleUse: true)
  }

  /// `AssociateSoftwareToken` during sign-in (the `MFA_SETUP` challenge's session): a new
  /// authenticator-app secret and the session to continue with.
  public func associateSoftwareToken(session: Sensitive) async throws(CognitoError)
    -> AssociateSoftwareTokenResponse
  {
    try await call(
      "AssociateSoftwareToken", AssociateSoftwareTokenRequest(session: session),
      secrets: [session], singleUse: true)
  }

  /// `VerifySoftwareToken` during sign-in: the app's first code, with the session from
  /// ``associateSoftwareToken(session:)``.
  public func verifySoftwareToken(code: Sensitive, deviceName: String?, session: Sensitive)
    async throws(CognitoError) -> VerifySoftwareTokenResponse
  {
    try await call(
      "VerifySoftwareToken",
      VerifySoftwareTokenRequest(
        session: session, userCode: code.reveal, friendlyDeviceName: deviceName),
      secrets: [session, code], singleUse: true)
  }
}
