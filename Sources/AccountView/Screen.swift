public import AccountCore

/// How a piece of text is shown. The adapter maps roles to colours and attributes; every role
/// also reads without colour (reverse video, bold, dim, text prefixes).
public enum Role: Sendable, Hashable, CaseIterable {
  /// Ordinary text.
  case normal
  /// The header bar.
  case header
  /// Column titles.
  case columnTitles
  /// The row under the cursor.
  case cursor
  /// A marked row.
  case marked
  /// A marked row under the cursor.
  case cursorMarked
  /// A protected row.
  case locked
  /// A protected row under the cursor.
  case cursorLocked
  /// The key hint line.
  case hint
  /// Status bar, informational.
  case statusInfo
  /// Status bar, warning.
  case statusWarning
  /// Status bar, error.
  case statusError
  /// Dialog text and border.
  case dialog
  /// A dialog's title and warnings.
  case dialogTitle
  /// Text being typed.
  case input
  /// A QR code: black on white whatever the terminal's theme (reverse video without colour).
  case qrCode
}

/// A run of text with one role.
public struct Span: Sendable, Hashable {
  /// The text: already escaped, never wider than its row.
  public var text: String
  /// How it is shown.
  public var role: Role
  /// Creates a span.
  public init(_ text: String, _ role: Role) {
    self.text = text
    self.role = role
  }
}

/// One screen row, exactly the screen's width when rendered.
public struct ScreenRow: Sendable, Hashable {
  /// The spans, left to right.
  public var spans: [Span]
  /// Creates a row.
  public init(_ spans: [Span]) { self.spans = spans }
  /// The row's text without roles.
  public var text: String { spans.map(\.text).joined() }
}

/// What the terminal should show: rows of styled text, the last one the status bar.
public struct Screen: Sendable, Hashable {
  /// The size it was laid out for.
  public var size: TerminalSize
  /// The rows, top to bottom.
  public var rows: [ScreenRow]
  /// Where to show the text cursor (row, column in cells), or `nil` to hide it.
  public var cursor: (row: Int, column: Int)? {
    get { cursorRow.map { ($0, cursorColumn) } }
    set {
      cursorRow = newValue?.row
      cursorColumn = newValue?.column ?? 0
    }
  }
  private var cursorRow: Int?
  private var cursorColumn = 0
  /// When the text cursor is hidden, the row it rests on: the selected row, at its first cell.
  /// Screen readers and magnifiers follow it, and an update that ends near it needs only a
  /// short cursor move instead of an address at the far corner.
  public var focusRow: Int?

  /// Creates a screen.
  public init(size: TerminalSize, rows: [ScreenRow]) {
    self.size = size
    self.rows = rows
  }

  /// The screen as plain text, one line per row, trailing spaces removed (for snapshots).
  public var text: String {
    rows.map { row in
      var line = row.text
      while line.last == " " { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }
}
