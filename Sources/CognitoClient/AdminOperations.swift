/// The administrator operations of the support mode, over a ``CognitoClient`` whose requests
/// are SigV4-signed with IAM credentials (the service model marks them `aws.auth#sigv4`).
///
/// Retries follow the client's policy: `TooManyRequestsException` and 5xx are retried with
/// backoff, which paging through a large pool needs. A write is retried only where repeating it
/// cannot change the outcome (deleting, setting, disabling, enabling and signing out are
/// idempotent); `AdminResetUserPassword` sends a message, so it is sent once.
public struct CognitoAdminClient: Sendable {
  /// The signed client underneath.
  public let client: CognitoClient
  /// The pool every call is about.
  public let userPoolID: String

  /// Wraps `client` (created with a signer) for `userPoolID`.
  public init(client: CognitoClient, userPoolID: String) {
    self.client = client
    self.userPoolID = userPoolID
  }

  /// `ListUsers`: one page of users, filtered (`email ^= "zo"`), at most `limit` (≤ 60).
  public func listUsers(filter: String?, limit: Int, paginationToken: String?)
    async throws(CognitoError) -> ListUsersResponse
  {
    try await client.call(
      "ListUsers",
      ListUsersRequest(
        userPoolId: userPoolID, limit: limit, paginationToken: paginationToken, filter: filter),
      secrets: [])
  }

  /// `AdminGetUser`: one user's attributes and state.
  public func getUser(_ username: String) async throws(CognitoError) -> AdminGetUserResponse {
    try await client.call(
      "AdminGetUser", AdminGetUserRequest(userPoolId: userPoolID, username: username),
      secrets: [])
  }

  /// `AdminListGroupsForUser`: every group of the user (all pages).
  public func groups(of username: String) async throws(CognitoError) -> [GroupType] {
    var groups: [GroupType] = []
    var token: String?
    repeat {
      let page: AdminListGroupsForUserResponse = try await client.call(
        "AdminListGroupsForUser",
        AdminListGroupsForUserRequest(
          username: username, userPoolId: userPoolID, limit: 60, nextToken: token),
        secrets: [])
      groups += page.groups ?? []
      token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
    } while token != nil
    return groups
  }

  /// `AdminDeleteUserAttributes`.
  public func deleteAttributes(_ names: [String], of username: String)
    async throws(CognitoError)
  {
    let _: AdminDeleteUserAttributesResponse = try await client.call(
      "AdminDeleteUserAttributes",
      AdminDeleteUserAttributesRequest(
        userPoolId: userPoolID, username: username, userAttributeNames: names),
      secrets: [])
  }

  /// `AdminUpdateUserAttributes`. Values are the user's personal data, never secrets.
  public func updateAttributes(_ attributes: [AttributeType], of username: String)
    async throws(CognitoError)
  {
    let _: AdminUpdateUserAttributesResponse = try await client.call(
      "AdminUpdateUserAttributes",
      AdminUpdateUserAttributesRequest(
        userPoolId: userPoolID, username: username, userAttributes: attributes),
      secrets: [])
  }

  /// `AdminUserGlobalSignOut`: ends every session of the user.
  public func signOut(_ username: String) async throws(CognitoError) {
    let _: AdminUserGlobalSignOutResponse = try await client.call(
      "AdminUserGlobalSignOut",
      AdminUserGlobalSignOutRequest(userPoolId: userPoolID, username: username), secrets: [])
  }

  /// `AdminDisableUser`: the user can no longer sign in; tokens stop working.
  public func disable(_ username: String) async throws(CognitoError) {
    let _: AdminDisableUserResponse = try await client.call(
      "AdminDisableUser", AdminDisableUserRequest(userPoolId: userPoolID, username: username),
      secrets: [])
  }

  /// `AdminEnableUser`.
  public func enable(_ username: String) async throws(CognitoError) {
    let _: AdminEnableUserResponse = try await client.call(
      "AdminEnableUser", AdminEnableUserRequest(userPoolId: userPoolID, username: username),
      secrets: [])
  }

  /// `AdminResetUserPassword`: the current password stops working and a code is sent. Sent once.
  public func resetPassword(_ username: String) async throws(CognitoError) {
    let _: AdminResetUserPasswordResponse = try await client.call(
      "AdminResetUserPassword",
      AdminResetUserPasswordRequest(userPoolId: userPoolID, username: username), secrets: [],
      singleUse: true)
  }
}
