/// What a profile holds, as `configure` and the screen's set-up form collect it.
public struct ProfileDraft: Sendable, Hashable {
  /// The user pool id (`eu-west-1_AbC123`).
  public var userPoolID = ""
  /// The region; empty means the one the pool id starts with.
  public var region = ""
  /// The app client id.
  public var clientID = ""
  /// The file holding the client secret; empty when the client has none.
  public var clientSecretFile = ""
  /// Whether the client signs in with `USER_PASSWORD_AUTH` instead of SRP.
  public var passwordFlow = false
  /// Whether the profile refuses every change.
  public var readOnly = false

  /// An empty draft.
  public init() {}

  /// The region in force: the one typed, else the pool id's.
  public var effectiveRegion: String? {
    region.isEmpty ? SetupRules.region(ofUserPool: userPoolID) : region
  }
}

/// The checks a profile passes before Cognito is asked about it (pure; shared by `configure`
/// and the set-up form).
public enum SetupRules {
  /// The region a user pool id starts with (`eu-west-1_AbC123` → `eu-west-1`), or `nil` when
  /// `pool` is not a user pool id.
  public static func region(ofUserPool pool: String) -> String? {
    let parts = pool.split(separator: "_", maxSplits: 1)
    guard parts.count == 2, !parts[1].isEmpty,
      parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), isRegion(parts[0])
    else { return nil }
    return String(parts[0])
  }

  /// Whether `text` has a region's shape: lowercase ASCII, digits and `-`, three parts or more
  /// (`eu-west-1`, `us-gov-west-1`).
  public static func isRegion(_ text: some StringProtocol) -> Bool {
    text.split(separator: "-").count >= 3
      && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
  }

  /// Whether `id` can be an app client id (ASCII letters and digits, at most 128).
  public static func isClientID(_ id: String) -> Bool {
    !id.isEmpty && id.count <= 128 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }

  /// The first field of `draft` that cannot be right, with why; `nil` when all can be.
  public static func problem(_ draft: ProfileDraft) -> (field: SetupField, message: String)? {
    if draft.userPoolID.isEmpty {
      return (.userPoolID, "Type the user pool id, like eu-west-1_AbC123")
    }
    if region(ofUserPool: draft.userPoolID) == nil {
      return (
        .userPoolID,
        "'\(draft.userPoolID)' is not a user pool id: region_id, like eu-west-1_AbC123"
      )
    }
    if !draft.region.isEmpty && !isRegion(draft.region) {
      return (.region, "'\(draft.region)' is not a region, like eu-west-1")
    }
    if !isClientID(draft.clientID) {
      return (
        .clientID,
        draft.clientID.isEmpty
          ? "Type the app client id" : "An app client id has letters and digits only"
      )
    }
    return nil
  }
}

/// A line of the set-up form.
public enum SetupField: Sendable, Hashable, CaseIterable {
  /// The user pool id.
  case userPoolID
  /// The region (filled in from the pool id).
  case region
  /// The app client id.
  case clientID
  /// The client secret's file (empty: no secret).
  case clientSecretFile
  /// SRP or the password flow (a choice).
  case signInFlow
  /// Read-only or not (a choice).
  case readOnly

  /// The label before the value.
  public var label: String {
    switch self {
    case .userPoolID: "User pool id:"
    case .region: "Region:"
    case .clientID: "App client id:"
    case .clientSecretFile: "Client secret file:"
    case .signInFlow: "Sign-in flow:"
    case .readOnly: "Read-only:"
    }
  }

  /// Whether Space and ←/→ switch the value instead of typing it.
  public var isChoice: Bool { self == .signInFlow || self == .readOnly }

  /// The field's text in `draft` (choices have none).
  func text(_ draft: ProfileDraft) -> String {
    switch self {
    case .userPoolID: draft.userPoolID
    case .region: draft.region
    case .clientID: draft.clientID
    case .clientSecretFile: draft.clientSecretFile
    case .signInFlow, .readOnly: ""
    }
  }
}

/// The set-up form the screen opens when no profile names a pool and a client.
public struct SetupForm: Sendable, Hashable {
  /// The profile it writes.
  public var profileName: String
  /// The config file it writes to.
  public var configPath: String
  /// Whether a profile of that name exists already (and is replaced).
  public var replacing: Bool
  /// The values, as far as they are typed.
  public var draft: ProfileDraft
  /// The line being typed or chosen.
  public var field: SetupField = .userPoolID
  /// The text of the current line (a text field).
  public var editor: LineEditor

  /// A form for `profileName` in `configPath`, starting from `draft` (what flags, the
  /// environment or an incomplete profile already say).
  public init(profileName: String, configPath: String, replacing: Bool, draft: ProfileDraft) {
    self.profileName = profileName
    self.configPath = configPath
    self.replacing = replacing
    self.draft = draft
    self.editor = LineEditor(draft.userPoolID, limit: 256)
  }

  /// The value of `field` as typed so far (the current line's editor included).
  public func text(_ field: SetupField) -> String {
    field == self.field ? editor.text : field.text(draft)
  }

  /// Puts the current line's text into the draft; leaving the pool id fills in the region
  /// when it was empty or was the old pool id's.
  mutating func commit() {
    let text = EditRules.typedWord(editor.text)
    switch field {
    case .userPoolID:
      let oldRegion = SetupRules.region(ofUserPool: draft.userPoolID)
      draft.userPoolID = text
      if let derived = SetupRules.region(ofUserPool: text),
        draft.region.isEmpty || draft.region == oldRegion
      {
        draft.region = derived
      }
    case .region: draft.region = text
    case .clientID: draft.clientID = text
    case .clientSecretFile: draft.clientSecretFile = text
    case .signInFlow, .readOnly: break
    }
  }

  /// Commits the current line and moves to `next`.
  mutating func move(to next: SetupField) {
    commit()
    field = next
    editor = LineEditor(next.text(draft), limit: 256)
  }
}

extension TUIState {
  /// The state for the set-up form, before anything can be signed in to.
  public init(setup form: SetupForm, size: TerminalSize, lineStyle: LineStyle = .unicode) {
    self.init(
      header: HeaderInfo(
        username: nil, context: "set-up: profile " + form.profileName, region: "",
        readOnly: false),
      size: size, signedIn: true, lineStyle: lineStyle)
    self.setup = form
    self.status = StatusMessage(
      .info, "No profile names a user pool and an app client yet: set one up")
  }
}

extension TUIUpdate {
  /// Keys on the set-up form: ↑/↓/Tab move, Space and ←/→ switch a choice, Enter moves on
  /// (on the last line: check and save), Esc quits without writing.
  static func handleSetupKey(_ state: inout TUIState, _ key: Key) -> [TUIEffect] {
    guard var form = state.setup else { return [] }
    if key == .interrupt || key == .escape {
      state.quitting = true
      return []
    }
    guard state.busy == nil else { return [] }
    defer { state.setup = form }
    let fields = SetupField.allCases
    let index = fields.firstIndex(of: form.field) ?? 0
    switch key {
    case .up:
      form.move(to: fields[max(0, index - 1)])
    case .down, .tab:
      form.move(to: fields[min(fields.count - 1, index + 1)])
    case .enter:
      guard index == fields.count - 1 else {
        form.move(to: fields[index + 1])
        return []
      }
      form.commit()
      if let problem = SetupRules.problem(form.draft) {
        form.move(to: problem.field)
        state.status = StatusMessage(.error, problem.message)
        return []
      }
      state.busy = .checkingProfile
      return [.saveProfile(form.draft)]
    default:
      if form.field.isChoice {
        guard [.character(" "), .left, .right].contains(key) else { return [] }
        if form.field == .signInFlow {
          form.draft.passwordFlow.toggle()
        } else {
          form.draft.readOnly.toggle()
        }
      } else if case .refused(let reason)? = form.editor.handle(key) {
        state.status = StatusMessage(.warning, reason)
      }
    }
    return []
  }

  /// The outcome of checking and saving the form.
  static func applySetupEvent(_ state: inout TUIState, _ event: TUIEvent) {
    switch event {
    case .profileSaved(let note):
      state.busy = nil
      state.setup = nil
      state.profileSaved = true
      state.quitting = true
      state.status = StatusMessage(.info, note)
    case .profileFailed(let error, let field):
      state.busy = nil
      if let field { state.setup?.move(to: field) }
      state.status = StatusMessage(.error, StatusLine(error: error).text)
    default:
      break
    }
  }
}
