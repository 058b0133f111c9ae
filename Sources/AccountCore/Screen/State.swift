/// Terminal size in cells.
public struct TerminalSize: Sendable, Hashable {
  /// Rows.
  public var rows: Int
  /// Columns.
  public var columns: Int
  /// Creates a size.
  public init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
  }
  /// The smallest size the screen works at.
  public static let minimum = TerminalSize(rows: 10, columns: 40)
  /// Whether this size is below the minimum.
  public var isTooSmall: Bool { rows < Self.minimum.rows || columns < Self.minimum.columns }
}

/// One attribute as the screen holds it.
public struct Attribute: Sendable, Hashable {
  /// The wire name.
  public var name: String
  /// The value (empty when Cognito sent none).
  public var value: String
  /// Creates an attribute.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
  /// Whether it may never be removed (sub, identities, *_verified).
  public var isProtected: Bool { AttributeRules.isProtected(name) }
}

/// How lines are drawn: Unicode's box-drawing set where the terminal shows it, else ASCII.
public enum LineStyle: Sendable, Hashable {
  /// `┌─┐ │ └┘`.
  case unicode
  /// `+-+ | ++`: for the Linux console, VT100-class terminals and non-UTF-8 locales.
  case ascii

  /// Unicode line drawing, except on the Linux console, VT100-class terminals and a locale that
  /// is not UTF-8, where the box-drawing characters may not show: ASCII there.
  public init(term: String, localeIsUTF8: Bool) {
    let plain = ["linux", "vt100", "vt102", "vt220", "vt52", "ansi"]
    let isPlain = plain.contains { term == $0 || term.hasPrefix($0 + "-") }
    self = localeIsUTF8 && !isPlain ? .unicode : .ascii
  }

  /// A horizontal line piece.
  public var horizontal: String { self == .unicode ? "─" : "-" }
  /// A vertical line piece (also the header's separator).
  public var vertical: String { self == .unicode ? "│" : "|" }
  /// The corners: top left, top right, bottom left, bottom right.
  public var corners: (String, String, String, String) {
    self == .unicode ? ("┌", "┐", "└", "┘") : ("+", "+", "+", "+")
  }
}

/// What the account screen shows in its header.
public struct HeaderInfo: Sendable, Hashable {
  /// The signed-in user, once known.
  public var username: String?
  /// The profile name, or the pool id when no profile is named.
  public var context: String
  /// The region.
  public var region: String
  /// Whether writes are disabled.
  public var readOnly: Bool
  /// Creates header information.
  public init(username: String?, context: String, region: String, readOnly: Bool) {
    self.username = username
    self.context = context
    self.region = region
    self.readOnly = readOnly
  }
}

/// A status-bar message.
public struct StatusMessage: Sendable, Hashable {
  /// Severity, shown as a text prefix as well as by colour.
  public var severity: StatusLine.Severity
  /// The text.
  public var text: String
  /// Creates a message.
  public init(_ severity: StatusLine.Severity, _ text: String) {
    self.severity = severity
    self.text = text
  }
}

/// A call in progress; keys that would start another are ignored meanwhile.
public enum BusyOperation: Sendable, Hashable {
  /// Reading the attributes.
  case loading
  /// Removing attributes.
  case removing(count: Int)
  /// Restoring attributes.
  case restoring(count: Int)
  /// Signing in.
  case signingIn
  /// Saving pending edits.
  case saving(count: Int)
  /// Putting the values before the last saved edits back.
  case undoingEdits(count: Int)
  /// Asking Cognito to send a verification code.
  case sendingCode
  /// Checking a verification code.
  case verifying
  /// Changing the password.
  case changingPassword
  /// Writing the session to the keyfile.
  case storing
  /// Asking Cognito about the set-up form's pool and client, then writing the profile.
  case checkingProfile
  /// Reading the Security view's lists.
  case loadingSecurity
  /// A change from the Security view.
  case changingSecurity

  /// The status-bar text while it runs.
  public var text: String {
    switch self {
    case .saving(let count): "Saving \(count) change\(count == 1 ? "" : "s")…"
    case .undoingEdits(let count): "Undoing \(count) change\(count == 1 ? "" : "s")…"
    case .sendingCode: "Asking Cognito to send a code…"
    case .verifying: "Checking the code…"
    case .changingPassword: "Changing the password…"
    case .storing: "Encrypting and storing the session…"
    case .checkingProfile: "Asking Cognito whether the user pool and the app client exist…"
    case .loadingSecurity: "Reading MFA, devices and passkeys from Cognito…"
    case .changingSecurity: "Asking Cognito…"
    case .loading: "Reading your attributes from Cognito…"
    case .removing(let count): "Removing \(count) attribute\(count == 1 ? "" : "s")…"
    case .restoring(let count): "Restoring \(count) attribute\(count == 1 ? "" : "s")…"
    case .signingIn: "Signing in…"
    }
  }
}

/// The review dialog for a removal.
public struct Review: Sendable, Hashable {
  /// What will be removed, with current values.
  public var targets: [Attribute]
  /// Text typed so far when `delete` must be typed (email or phone_number in the set).
  public var typed: String

  /// Whether the user must type ``RemovalRules/confirmationWord`` (see ``RemovalRules``).
  public var needsTypedConfirmation: Bool {
    RemovalRules.needsTypedConfirmation(targets.map(\.name))
  }
}

/// The review dialog for saving pending edits.
public struct EditReview: Sendable, Hashable {
  /// The changes, in the order they were made.
  public var edits: [AttributeEdit]
  /// Text typed so far when `change` must be typed (email or phone_number among them).
  public var typed: String

  /// Whether the user must type ``EditRules/confirmationWord``.
  public var needsTypedConfirmation: Bool {
    EditRules.needsTypedConfirmation(edits.map(\.name))
  }
}

/// What the passphrase step after signing in says.
public struct StorePrompt: Sendable, Hashable {
  /// The keyfile's path.
  public var path: String
  /// How long a typed passphrase stays unlocked, in minutes (0: not at all).
  public var unlockMinutes: Int

  /// Creates a prompt.
  public init(path: String, unlockMinutes: Int) {
    self.path = path
    self.unlockMinutes = unlockMinutes
  }
}

/// The change-password dialog.
public struct PasswordForm: Sendable, Hashable {
  /// Which field is being typed.
  public enum Stage: Sendable, Hashable {
    /// The current password.
    case current
    /// The new password.
    case new
    /// The new password again.
    case repeated
  }

  /// The current field.
  public var stage: Stage = .current
  /// The current password, once entered.
  public var current: Sensitive?
  /// The new password's first entry, once entered.
  public var new: Sensitive?
  /// What is typed in the current field (never drawn: shown as `*`).
  public var input = ""

  /// An empty form.
  public init() {}
}

/// A dialog over the main screen.
public enum Modal: Sendable, Hashable {
  /// Typing the value of `name` (an edit when `original` is set, else an addition).
  case editValue(name: String, original: String?, editor: LineEditor)
  /// Typing the name of an attribute to add.
  case addName(LineEditor)
  /// Review before saving the pending edits.
  case editReview(EditReview)
  /// Confirm putting back the values the last saved edits replaced.
  case undoEdits([AttributeEdit])
  /// Typing the verification code for `name` (email or phone_number).
  case verify(name: String, editor: LineEditor)
  /// Changing the password.
  case changePassword(PasswordForm)
  /// Review before removal.
  case review(Review)
  /// Confirm restoring the last removal.
  case undo([Attribute])
  /// The whole value of one attribute, scrolled by `offset` lines.
  case value(Attribute, offset: Int)
  /// The whole status message, for one longer than the status bar shows.
  case message(StatusMessage)
  /// Quit with marks pending?
  case quitWithMarks
}

/// What a sign-in challenge asks the user for.
public enum ChallengePrompt: Sendable, Hashable {
  /// A new password (asked twice).
  case newPassword
  /// A code: from an authenticator app, by SMS, or by email (with where it went).
  case code(kind: String, destination: String?)
  /// A choice of MFA method.
  case chooseMFA(options: [String])
  /// `MFA_SETUP`: an authenticator app to set up (the QR code and the secret), then its code.
  case setUpApp(TOTPEnrolment)
}

/// An answer the sign-in screen sends.
public enum ChallengeReply: Sendable, Hashable {
  /// A new password.
  case newPassword(Sensitive)
  /// A code.
  case code(Sensitive)
  /// An MFA method.
  case mfaType(String)
  /// The first code of the app set up at sign-in, and its name.
  case totpSetup(code: Sensitive, deviceName: String?)
}

/// The sign-in screen.
public struct SignInForm: Sendable, Hashable {
  /// Which field is being typed.
  public enum Stage: Sendable, Hashable {
    /// The username.
    case username
    /// The password.
    case password
    /// A challenge's answer; `repeating` for the second entry of a new password.
    case challenge(ChallengePrompt, repeating: Bool)
    /// Signed in: the passphrase that will encrypt the stored session (asked twice).
    case newPassphrase(repeating: Bool)
    /// Esc at the passphrase: keep the session for this run only?
    case keepInMemory
  }

  /// The current field.
  public var stage: Stage = .username
  /// The username typed.
  public var username = ""
  /// What is typed in the current field.
  public var input = ""
  /// The first entry of a new password, while the second is typed.
  public var firstEntry: Sensitive?

  /// Creates an empty form.
  public init() {}
}

/// Everything the account screen shows and remembers. A plain value; ``update(_:_:)`` changes it.
public struct TUIState: Sendable, Hashable {
  /// How boxes and separators are drawn: the terminal's line-drawing set, or ASCII.
  public var lineStyle: LineStyle

  /// Header facts.
  public var header: HeaderInfo
  /// The set-up form, while no profile names a pool and a client (before sign-in).
  public var setup: SetupForm?
  /// Whether the set-up form checked and wrote its profile (the screen then starts over on it).
  public var profileSaved = false
  /// The sign-in form while signing in, else `nil` (the views).
  public var signIn: SignInForm?
  /// The open views, bottom first; the last gets keys and is drawn (see ``ScreenView``).
  public var views: [ScreenView] = [.attributes]
  /// The attributes in server order.
  public var attributes: [Attribute] = []
  /// Whether the attributes have been read at least once.
  public var loaded = false
  /// Marked names.
  public var marks: Set<String> = []
  /// The cursor, as an index into ``visibleAttributes``.
  public var cursor = 0
  /// The first visible row of the table.
  public var scroll = 0
  /// The filter text.
  public var filter = ""
  /// Whether the filter is being typed.
  public var editingFilter = false
  /// A dialog over the attribute list, if one is open.
  public var modal: Modal?
  /// The status bar.
  public var status: StatusMessage?
  /// A call in progress.
  public var busy: BusyOperation?
  /// What the last confirmed removal took, with values (memory only), for undo.
  public var lastRemoved: [Attribute] = []
  /// Edits typed and not saved yet, in the order made (at most one per name).
  public var edits: [AttributeEdit] = []
  /// The last saved edits, with the values they replaced (memory only), for undo. Only the
  /// most recent change (a removal or an edit) can be undone: setting one clears the other.
  public var lastEdits: [AttributeEdit] = []
  /// Where a session signed in here is stored, when its passphrase is asked on the screen
  /// after signing in (nothing set up yet); `nil` once stored, or when it needs no asking.
  public var storeAfterSignIn: StorePrompt?
  /// Whether the user chose to keep this run's session in memory only.
  public var sessionNotStored = false
  /// Where the last verification code went, per attribute (from Cognito's answer).
  public var codeDestinations: [String: String] = [:]
  /// The terminal size.
  public var size: TerminalSize
  /// Set when the program should end.
  public var quitting = false
  /// The line printed once the screen has closed (the account closed, signed out everywhere).
  public var farewell: String?

  /// Creates the state for a session (`signedIn`) or the sign-in screen.
  public init(
    header: HeaderInfo, size: TerminalSize, signedIn: Bool, lineStyle: LineStyle = .unicode
  ) {
    self.header = header
    self.size = size
    self.signIn = signedIn ? nil : SignInForm()
    self.lineStyle = lineStyle
  }

  /// The rows: the account's attributes, then pending additions; those the filter lets
  /// through, in order.
  public var visibleAttributes: [Attribute] {
    let present = Set(attributes.map(\.name))
    let rows =
      attributes
      + edits.filter { !present.contains($0.name) }.map { Attribute(name: $0.name, value: $0.new) }
    guard !filter.isEmpty else { return rows }
    let needle = filter.lowercased()
    return rows.filter {
      $0.name.lowercased().contains(needle) || $0.value.lowercased().contains(needle)
    }
  }

  /// The pending edit of `name`, if any.
  public func pendingEdit(_ name: String) -> AttributeEdit? {
    edits.first { $0.name == name }
  }

  /// Whether `name` is email or phone_number and its `*_verified` flag is not `true`.
  public func isUnverified(_ name: String) -> Bool {
    guard let flag = EditRules.verifiedBy[name], attributes.contains(where: { $0.name == name })
    else { return false }
    return attributes.first { $0.name == flag }?.value != "true"
  }

  /// The attribute under the cursor.
  public var currentAttribute: Attribute? {
    let visible = visibleAttributes
    return visible.indices.contains(cursor) ? visible[cursor] : nil
  }

  /// Rows available to the table: the screen minus header, column titles, hint and status.
  public var tableHeight: Int { max(1, size.rows - 4) }
}
