public import AccountCore
public import AccountView
import CNcursesw
import CTerminalSupport
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// The ncursesw adapter: it draws ``Screen`` values and turns keys, resizes and signals into
/// ``TerminalInput``. One instance, used from one thread.
///
/// Drawing writes every row into ncurses' virtual screen and lets `wrefresh` send only what
/// changed, so a cursor move costs a few dozen bytes; nothing repaints on a timer.
public final class Terminal: TerminalPort {
  /// Why the screen cannot start.
  public enum OpenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Standard input or output is not a terminal.
    case notATerminal
    /// TERM is unset, empty or `dumb`.
    case dumbTerminal
    /// terminfo has no entry for TERM.
    case unknownTerminal(String)
    /// The terminal cannot address the cursor.
    case noCursorAddressing(String)
    /// ncursesw could not be loaded (the reason, from the dynamic loader).
    case cursesMissing(String)

    /// One line pointing to the subcommands.
    public var description: String {
      switch self {
      case .notATerminal:
        "no interactive terminal; use a subcommand (login, status, attributes, delete, logout; see --help)"
      case .dumbTerminal:
        "TERM is unset or 'dumb', so the screen cannot be drawn; use a subcommand (see --help)"
      case .unknownTerminal(let term):
        "unknown terminal type '\(term)'; set TERM (e.g. xterm-256color) or use a subcommand (see --help)"
      case .noCursorAddressing(let term):
        "terminal type '\(term)' cannot move the cursor; use a subcommand (see --help)"
      case .cursesMissing(let reason):
        "the screen needs ncursesw, which could not be loaded (\(reason)); use a subcommand (see --help)"
      }
    }
  }

  private static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH]
  /// ncursesw, loaded when the first terminal opens.
  private let curses: cognito_ncurses
  private let screenPointer: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private let signalRead: Int32
  private let signalWrite: Int32
  private let colors: Bool
  private var cursorVisible = true
  /// The current size.
  public private(set) var size: TerminalSize
  /// How this terminal can draw lines (decided at open from `TERM` and the user's locale).
  public let lineStyle: LineStyle

  private init(
    curses: cognito_ncurses, screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>,
    signalRead: Int32,
    signalWrite: Int32, colors: Bool, lineStyle: LineStyle
  ) {
    self.lineStyle = lineStyle
    self.curses = curses
    self.screenPointer = screen
    self.window = window
    self.signalRead = signalRead
    self.signalWrite = signalWrite
    self.colors = colors
    self.size = TerminalSize(
      rows: Int(curses.LINES_address.pointee), columns: Int(curses.COLS_address.pointee))
  }

  /// Checks the terminal and starts ncurses. Nothing is written to the terminal when it fails.
  ///
  /// - Parameter monochrome: draw without colour (`--no-color`, `NO_COLOR`, or a terminal
  ///   without colours); every state stays readable through text and video attributes.
  public static func open(monochrome: Bool) throws(OpenError) -> Terminal {
    guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
    let term = ProcessEnvironment.current["TERM"] ?? ""
    guard !term.isEmpty, term != "dumb" else { throw .dumbTerminal }
    var reason: UnsafePointer<CChar>?
    guard let curses = cognito_ncurses_load(&reason)?.pointee else {
      throw .cursesMissing(String(cString: reason!))
    }
    let lineStyle = LineStyle(term: term, localeIsUTF8: ensureUTF8Locale())

    var fds: [Int32] = [-1, -1]
    _ = pipe(&fds)
    _ = ts_make_nonblocking(fds[0])
    _ = ts_make_nonblocking(fds[1])
    _ = handledSignals.withUnsafeBufferPointer {
      ts_install_signal_pipe(fds[1], $0.baseAddress, Int32($0.count))
    }
    let output = fdopen(dup(1), "w")
    let input = fdopen(dup(0), "r")
    guard let screen = curses.newterm(nil, output, input) else {
      restoreSignals()
      throw .unknownTerminal(term)
    }
    _ = curses.set_term(screen)
    let cursorAddress = curses.tigetstr("cup")
    guard cursorAddress != nil, Int(bitPattern: cursorAddress) != -1,
      let window = curses.stdscr_address.pointee
    else {
      // tigetstr answers NULL for an absent capability and (char *)-1 for a cancelled one.
      _ = curses.endwin()
      curses.delscreen(screen)
      restoreSignals()
      throw .noCursorAddressing(term)
    }
    ts_install_fatal_restore(1)
    _ = curses.cbreak()
    _ = curses.noecho()
    _ = curses.nonl()
    _ = curses.keypad(window, true)
    _ = curses.nodelay(window, true)
    _ = curses.set_escdelay(25)
    let useColors = !monochrome && curses.has_colors()
    if useColors {
      _ = curses.start_color()
      _ = curses.use_default_colors()
      for (index, colors) in palette.enumerated() {
        _ = curses.init_pair(Int16(index + 1), colors.foreground, colors.background)
      }
    }
    let terminal = Terminal(
      curses: curses, screen: screen, window: window, signalRead: fds[0], signalWrite: fds[1],
      colors: useColors,
      lineStyle: lineStyle)
    terminal.setCursorVisible(false)
    return terminal
  }

  /// Restores the terminal (modes, main screen, cursor) and the signal handlers.
  public func close() {
    setCursorVisible(true)
    _ = curses.endwin()
    curses.delscreen(screenPointer)
    Self.restoreSignals()
    ts_remove_fatal_restore()
    Glibc.close(signalRead)
    Glibc.close(signalWrite)
  }

  /// Draws `screen`; `repaint` forces a full repaint (Ctrl-L, after a resize).
  public func draw(_ screen: Screen, repaint: Bool = false) {
    if repaint, let current = curses.curscr_address.pointee { _ = curses.clearok(current, true) }
    for (y, row) in screen.rows.enumerated() where y < size.rows {
      _ = curses.wmove(window, Int32(y), 0)
      for span in row.spans {
        let (attributes, pair) = style(span.role)
        _ = curses.wattr_set(window, attributes, pair, nil)
        // The renderer escapes all untrusted text; should anything unsafe still arrive, it is
        // drawn as U+FFFD (one column, like the escapes' first character), never sent raw.
        var characters = span.text.unicodeScalars.map {
          wchar_t(bitPattern: TerminalText.isUnsafe($0) ? 0xFFFD : $0.value)
        }
        characters.append(0)
        _ = curses.waddnwstr(window, characters, Int32(characters.count - 1))
      }
    }
    _ = curses.wattr_set(window, cnc_a_normal(), 0, nil)
    if let cursor = screen.cursor, cursor.row < size.rows {
      setCursorVisible(true)
      _ = curses.wmove(window, Int32(cursor.row), Int32(min(cursor.column, size.columns - 1)))
    } else {
      setCursorVisible(false)
      if let row = screen.focusRow, row < size.rows { _ = curses.wmove(window, Int32(row), 0) }
    }
    _ = curses.wrefresh(window)
  }

  /// Waits (without a timer) for keys, a resize, a signal, or a write to `wakeFD`.
  public func waitForInput(wakeFD: Int32) -> [TerminalInput] {
    var descriptors = [
      pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
      pollfd(fd: signalRead, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
    ]
    let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
    guard ready > 0 else { return [] }
    var inputs: [TerminalInput] = []
    if descriptors[1].revents & Int16(POLLIN) != 0 {
      var byte: UInt8 = 0
      while read(signalRead, &byte, 1) == 1 {
        if Int32(byte) == SIGWINCH {
          if let size = resizeToWindow() { inputs.append(.resized(size)) }
        } else {
          inputs.append(.signal(Int32(byte)))
        }
      }
    }
    if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
      inputs.append(.signal(SIGHUP))
    } else if descriptors[0].revents & Int16(POLLIN) != 0 {
      var sawKey = false
      var character: wint_t = 0
      // The first read may wait briefly, so ncurses can tell a lone Esc from the start of an
      // escape sequence (ESCDELAY, 25 ms); the rest drain what is already there.
      curses.wtimeout(window, 60)
      defer { curses.wtimeout(window, 0) }
      while true {
        let result = curses.wget_wch(window, &character)
        curses.wtimeout(window, 0)
        if result == ERR { break }
        sawKey = true
        if result == KEY_CODE_YES {
          if Int32(character) == KEY_RESIZE {
            if let size = resizeToWindow() { inputs.append(.resized(size)) }
          } else if let key = Self.functionKey(Int32(character)) {
            inputs.append(.key(key))
          }
        } else if let key = Self.characterKey(UInt32(character)) {
          inputs.append(.key(key))
        }
      }
      // Readable but nothing to read: the terminal is gone (EOF).
      if !sawKey {
        var probe: UInt8 = 0
        if recv(0, &probe, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0 {
          inputs.append(.signal(SIGHUP))
        }
      }
    }
    if descriptors[2].revents & Int16(POLLIN) != 0 {
      var buffer = [UInt8](repeating: 0, count: 64)
      while read(wakeFD, &buffer, buffer.count) > 0 {}
      inputs.append(.woken)
    }
    return inputs
  }

  // MARK: Internals

  private func resizeToWindow() -> TerminalSize? {
    var rows: Int32 = 0
    var columns: Int32 = 0
    guard ts_window_size(1, &rows, &columns) == 0, rows > 0, columns > 0 else { return nil }
    _ = curses.resizeterm(rows, columns)
    size = TerminalSize(rows: Int(rows), columns: Int(columns))
    return size
  }

  private func setCursorVisible(_ visible: Bool) {
    guard visible != cursorVisible else { return }
    cursorVisible = visible
    _ = curses.curs_set(visible ? 1 : 0)
  }

  private static func restoreSignals() {
    handledSignals.withUnsafeBufferPointer {
      ts_restore_signals($0.baseAddress, Int32($0.count))
    }
  }

  /// After `setlocale(LC_ALL, "")`, falls back to C.UTF-8 when the codeset is not UTF-8, or
  /// ncursesw would drop every non-ASCII character. Returns whether the user's locale was UTF-8.
  private static func ensureUTF8Locale() -> Bool {
    setlocale(LC_ALL, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
    let isUTF8 = codeset.uppercased().replacing("-", with: "") == "UTF8"
    if !isUTF8 { setlocale(LC_CTYPE, "C.UTF-8") }
    return isUTF8
  }

  private struct ColorPair {
    var foreground: Int16
    var background: Int16
  }

  /// Colour pairs by role index (pair = index + 1); -1 is the terminal's default colour.
  private static let palette: [ColorPair] = Role.allCases.map { role in
    switch role {
    case .header: ColorPair(foreground: Int16(COLOR_WHITE), background: Int16(COLOR_BLUE))
    case .hint: ColorPair(foreground: Int16(COLOR_CYAN), background: -1)
    case .statusWarning: ColorPair(foreground: Int16(COLOR_BLACK), background: Int16(COLOR_YELLOW))
    case .statusError: ColorPair(foreground: Int16(COLOR_WHITE), background: Int16(COLOR_RED))
    case .dialogTitle: ColorPair(foreground: Int16(COLOR_YELLOW), background: -1)
    case .qrCode: ColorPair(foreground: Int16(COLOR_BLACK), background: Int16(COLOR_WHITE))
    default: ColorPair(foreground: -1, background: -1)
    }
  }

  /// Video attributes carry every state on their own; colour only adds to them.
  private func style(_ role: Role) -> (attr_t, Int16) {
    let reverse = cnc_a_reverse()
    let bold = cnc_a_bold()
    let dim = cnc_a_dim()
    let attributes: attr_t
    switch role {
    case .normal, .dialog: attributes = cnc_a_normal()
    case .header: attributes = reverse | bold
    case .columnTitles: attributes = bold
    case .cursor: attributes = reverse
    case .marked: attributes = bold
    case .cursorMarked: attributes = reverse | bold
    case .locked: attributes = dim
    case .cursorLocked: attributes = reverse | dim
    case .hint: attributes = cnc_a_normal()
    case .statusInfo: attributes = reverse
    case .statusWarning, .statusError: attributes = reverse | bold
    case .dialogTitle: attributes = bold
    case .input: attributes = cnc_a_underline()
    case .qrCode: attributes = colors ? cnc_a_normal() : reverse
    }
    guard colors, let index = Role.allCases.firstIndex(of: role) else { return (attributes, 0) }
    let pair = Self.palette[index]
    if pair.foreground == -1 && pair.background == -1 { return (attributes, 0) }
    // With colour the coloured roles drop reverse video, which would swap their colours.
    let coloured: attr_t =
      [.header, .statusWarning, .statusError].contains(role)
      ? attributes & ~reverse : attributes
    return (coloured, Int16(index + 1))
  }

  static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: .up
    case KEY_DOWN: .down
    case KEY_LEFT: .left
    case KEY_RIGHT: .right
    case KEY_PPAGE: .pageUp
    case KEY_NPAGE: .pageDown
    case KEY_HOME: .home
    case KEY_END: .end
    case KEY_DC: .delete
    case KEY_BACKSPACE: .backspace
    case KEY_ENTER: .enter
    default: nil
    }
  }

  static func characterKey(_ value: UInt32) -> Key? {
    switch value {
    case 10, 13: .enter
    case 27: .escape
    case 8, 127: .backspace
    case 9: .tab
    case 12: .redraw
    case 21: .clearLine
    case 3: .interrupt
    case 0..<32: nil
    default: Unicode.Scalar(value).map { .character(Character($0)) }
    }
  }
}
