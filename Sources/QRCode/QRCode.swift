import CQREncode

/// A QR code as a square of modules, `true` for dark, without its quiet zone.
public struct QRMatrix: Sendable, Hashable {
  /// Modules per side.
  public let size: Int
  /// Row by row, `size * size` modules.
  public let modules: [Bool]

  /// A matrix from its modules (row by row).
  public init(size: Int, modules: [Bool]) {
    precondition(modules.count == size * size)
    self.size = size
    self.modules = modules
  }

  /// Whether the module at `row`, `column` is dark; outside the code (the quiet zone): light.
  public func isDark(row: Int, column: Int) -> Bool {
    guard (0..<size).contains(row), (0..<size).contains(column) else { return false }
    return modules[row * size + column]
  }

  /// Encodes `text` (8-bit mode, error correction level M) with libqrencode, loaded on first
  /// use; nil, with the reason, when the library cannot be loaded or the text is too long.
  public static func encode(_ text: String) -> Result<QRMatrix, QRCodeError> {
    var reason: UnsafePointer<CChar>?
    guard let library = cognito_qrencode_load(&reason) else {
      return .failure(.libraryMissing(reason.map { String(cString: $0) } ?? "libqrencode.so.4"))
    }
    guard let code = library.pointee.QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
      return .failure(.tooLong)
    }
    defer { library.pointee.QRcode_free(code) }
    let size = Int(code.pointee.width)
    // Bit 0 of each byte is the module's colour (qrencode.h).
    let modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
    return .success(QRMatrix(size: size, modules: modules))
  }
}

/// Why no QR code could be made.
public enum QRCodeError: Error, Sendable, Hashable, CustomStringConvertible {
  /// libqrencode could not be loaded (the reason from the loader).
  case libraryMissing(String)
  /// The text does not fit in a QR code.
  case tooLong

  /// One line for the user.
  public var description: String {
    switch self {
    case .libraryMissing(let reason):
      "no QR code: libqrencode could not be loaded (\(reason)); install libqrencode4, or type the "
        + "secret shown below into your app"
    case .tooLong: "no QR code: the text is too long for one"
    }
  }
}

/// QR codes as terminal text: two modules per character cell with Unicode half blocks, or `##`
/// per module where those may not show. Always with the 4-module quiet zone scanners need.
public enum QRText {
  /// The quiet zone, in modules, on each side.
  public static let quietZone = 4

  /// How the code is drawn.
  public enum Style: String, Sendable, Hashable, CaseIterable {
    /// `▀ ▄ █` and space: one column and half a row per module.
    case utf8
    /// `##` and two spaces: two columns and one row per module.
    case ascii
  }

  /// Half blocks on a UTF-8 terminal, `##` on the Linux console, VT100-class terminals and any
  /// locale that is not UTF-8 (as the screen's line style chooses).
  public static func style(term: String, localeIsUTF8: Bool) -> Style {
    let plain = ["linux", "vt100", "vt102", "vt220", "vt52", "ansi"]
    let isPlain = plain.contains { term == $0 || term.hasPrefix($0 + "-") }
    return localeIsUTF8 && !isPlain ? .utf8 : .ascii
  }

  /// Cells the drawing takes: columns, rows.
  public static func footprint(_ matrix: QRMatrix, style: Style) -> (columns: Int, rows: Int) {
    let side = matrix.size + 2 * quietZone
    return style == .utf8 ? (side, (side + 1) / 2) : (2 * side, side)
  }

  /// The lines, each to be drawn dark on light (the caller sets the colours): a character's
  /// "ink" is a dark module. The quiet zone is included.
  public static func lines(_ matrix: QRMatrix, style: Style) -> [String] {
    let range = -quietZone..<(matrix.size + quietZone)
    switch style {
    case .ascii:
      return range.map { row in
        range.map { matrix.isDark(row: row, column: $0) ? "##" : "  " }.joined()
      }
    case .utf8:
      return stride(from: range.lowerBound, to: range.upperBound, by: 2).map { row in
        String(
          range.map { column -> Character in
            switch (
              matrix.isDark(row: row, column: column), matrix.isDark(row: row + 1, column: column)
            ) {
            case (true, true): "█"
            case (true, false): "▀"
            case (false, true): "▄"
            case (false, false): " "
            }
          })
      }
    }
  }
}
