public import AccountCore
public import AccountView
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An in-process ``TerminalPort`` for the screen runtime: each step waits until the last drawn
/// screen shows some text, then delivers its inputs (keys, a resize). While a step waits, it
/// blocks on the runtime's wake descriptor, as the real terminal does, so effects finish in
/// their own time. When the steps run out (or a step waits longer than 30 s) it delivers SIGTERM.
public final class ScriptedTerminal: TerminalPort {
  /// One step: wait for `text` on screen, then deliver `inputs`.
  public struct Step: Sendable {
    /// The text the screen must show first (empty: deliver at once).
    public var text: String
    /// What to deliver then.
    public var inputs: [TerminalInput]

    /// A step.
    public init(waitFor text: String, then inputs: [TerminalInput]) {
      self.text = text
      self.inputs = inputs
    }
  }

  /// The size the runtime sees.
  public private(set) var size: TerminalSize
  /// How lines are drawn.
  public let lineStyle: LineStyle
  /// Every screen drawn, in order.
  public private(set) var screens: [Screen] = []
  /// Whether ``close()`` ran.
  public private(set) var closed = false
  /// The step that timed out, if one did.
  public private(set) var timedOut: String?
  private var steps: [Step]
  private var deadline = ContinuousClock.now + .seconds(30)

  /// A terminal of `size` that plays `steps`.
  public init(size: TerminalSize, lineStyle: LineStyle = .unicode, steps: [Step]) {
    self.size = size
    self.lineStyle = lineStyle
    self.steps = steps
  }

  /// The text of the last screen drawn.
  public var lastText: String { screens.last?.rows.map(\.text).joined(separator: "\n") ?? "" }

  /// Keeps `screen` (nothing is written anywhere).
  public func draw(_ screen: Screen, repaint: Bool) { screens.append(screen) }

  /// The next step's inputs once its text shows; meanwhile `.woken` when an effect finished.
  public func waitForInput(wakeFD: Int32) -> [TerminalInput] {
    guard let step = steps.first else { return [.signal(SIGTERM)] }
    if step.text.isEmpty || lastText.contains(step.text) {
      steps.removeFirst()
      deadline = ContinuousClock.now + .seconds(30)
      for case .resized(let size) in step.inputs { self.size = size }
      return step.inputs
    }
    guard ContinuousClock.now < deadline else {
      timedOut = step.text
      return [.signal(SIGTERM)]
    }
    var descriptor = pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, 100) > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: 64)
    while read(wakeFD, &buffer, buffer.count) > 0 {}
    return [.woken]
  }

  /// Records that the runtime let go of the terminal.
  public func close() { closed = true }
}
