/// Decides, before ncurses is touched, whether the full-screen interface can run here.
public enum TerminalCheck {
  /// Why the interface cannot start.
  public enum Refusal: Sendable, Hashable {
    /// Standard input or output is not a terminal (a pipe, a file, /dev/null).
    case notATerminal
    /// `TERM` is unset, empty or `dumb`: no cursor addressing.
    case dumbTerminal
  }

  /// Checks the file descriptors and `TERM`; `nil` when the interface may start.
  public static func refusal(stdinIsTTY: Bool, stdoutIsTTY: Bool, term: String?) -> Refusal? {
    guard stdinIsTTY, stdoutIsTTY else { return .notATerminal }
    guard let term, !term.isEmpty, term != "dumb" else { return .dumbTerminal }
    return nil
  }
}
