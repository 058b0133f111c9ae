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
struct NoOutput: Decodable {}
