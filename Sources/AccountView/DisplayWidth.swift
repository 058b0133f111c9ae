/// Terminal display width of text, as `wcwidth` measures it for a UTF-8 terminal.
///
/// Pure Swift, so rendering stays testable without a locale: combining marks, format characters
/// and zero-width joiners take no cell; East Asian wide and fullwidth characters and emoji take
/// two; everything else one. Control characters must be escaped (``TerminalText``) first.
public enum DisplayWidth {
  /// The width of one scalar: 0, 1 or 2.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value == 0 { return 0 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return 0
    case .format: return isVisibleFormat(value) ? 1 : 0
    default: break
    }
    if value == 0x200B || (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) {
      return 0
    }
    if (0x1F1E6...0x1F1FF).contains(value) { return 1 }  // regional indicators: 1 each, as glibc
    if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
  }

  /// The width of a string: grapheme clusters count once (an emoji ZWJ sequence is two cells).
  public static func of(_ text: String) -> Int {
    var total = 0
    for character in text {
      let scalars = character.unicodeScalars
      if scalars.count > 1, scalars.contains(where: { $0.value == 0x200D || $0.value == 0xFE0F }) {
        total += 2
        continue
      }
      total += scalars.reduce(0) { $0 + of($1) }
    }
    return total
  }

  /// `text` cut to at most `width` cells, ending in `…` when anything was cut.
  public static func truncate(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    guard of(text) > width else { return text }
    var result = ""
    var used = 0
    for character in text {
      let cells = of(String(character))
      if used + cells > width - 1 { break }
      result.append(character)
      used += cells
    }
    return result + "…"
  }

  /// `text` padded with spaces to `width` cells (never cut).
  public static func pad(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - of(text)))
  }

  /// Format characters that take a cell (glibc counts them): soft hyphen and the prepended
  /// concatenation marks.
  private static func isVisibleFormat(_ value: UInt32) -> Bool {
    switch value {
    case 0xAD, 0x600...0x605, 0x6DD, 0x70F, 0x890...0x891, 0x8E2, 0x110BD, 0x110CD: true
    default: false
    }
  }

  /// East Asian Wide and Fullwidth ranges outside emoji (emoji use the presentation property).
  private static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
      0x4DC0...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
      0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
      0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x18CFF, 0x18D00...0x18D08,
      0x1AFF0...0x1AFFE, 0x1B000...0x1B2FF, 0x1F200...0x1F202, 0x1F210...0x1F23B,
      0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x20000...0x2FFFD,
      0x30000...0x3FFFD:
      true
    default:
      false
    }
  }
}
