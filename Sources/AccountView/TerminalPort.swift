public import AccountCore

/// Input the screen runtime reacts to.
public enum TerminalInput: Sendable, Hashable {
  /// A key.
  case key(Key)
  /// The terminal was resized.
  case resized(TerminalSize)
  /// SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived (or the terminal went away).
  case signal(Int32)
  /// The wake-up descriptor was written to (an effect finished).
  case woken
}

/// What the screen runtime needs of a terminal. `TerminalUI.Terminal` is the real one (ncursesw);
/// tests use a scripted one.
///
/// Contract: `waitForInput` blocks until there is input, and reports `.woken` (after draining
/// it) whenever `wakeFD` became readable; `close` restores the terminal and is called once.
public protocol TerminalPort: AnyObject {
  /// The current size.
  var size: TerminalSize { get }
  /// How lines can be drawn.
  var lineStyle: LineStyle { get }
  /// Draws `screen`; `repaint` forces a full repaint.
  func draw(_ screen: Screen, repaint: Bool)
  /// Waits for keys, a resize, a signal, or a write to `wakeFD`.
  func waitForInput(wakeFD: Int32) -> [TerminalInput]
  /// Restores the terminal.
  func close()
}
