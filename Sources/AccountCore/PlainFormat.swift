/// Number, time and path text the program writes, made without Foundation's formatters
/// (`String(format:)`, `ISO8601DateFormatter`, `Calendar`, `NSString` paths), which would link
/// its internationalisation layer and ICU's data into the binary (README, Performance).
/// Everything here is locale-free by design: a log line, a file name or a signature must not
/// change with the user's language.
public enum PlainFormat {
  /// `value` in hexadecimal, zero-padded to `width` digits (`hex(10, width: 2)` → `0a`).
  public static func hex(_ value: some BinaryInteger, width: Int, uppercase: Bool = false)
    -> String
  {
    zeroPadded(String(value, radix: 16, uppercase: uppercase), width)
  }

  /// `value` with one digit after the point, to the nearest tenth (`12.34` → `12.3`; a tie
  /// to the even tenth, as `printf` does for values it holds exactly).
  public static func oneDecimal(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let tenths = Int((abs(value) * 10).rounded(.toNearestOrEven))
    return (value < 0 && tenths != 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
  }

  /// Every byte of `text` but the unreserved `A–Z a–z 0–9 - _ .` and those in `keeping` as
  /// `%XX` (upper-case hex), as URIs and AWS signatures write them.
  public static func percentEncoded(_ text: String, keeping: String) -> String {
    let kept = Array(keeping.utf8)
    func stays(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."):
        return true
      default:
        return kept.contains(byte)
      }
    }
    // Most names and values need nothing: no copy then.
    if text.utf8.allSatisfy(stays) { return text }
    var out = ""
    for byte in text.utf8 {
      if stays(byte) {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += "%" + hex(byte, width: 2, uppercase: true)
      }
    }
    return out
  }

  /// A UTC time as its civil parts.
  public struct CivilTime: Sendable, Hashable {
    /// The year.
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int
    /// 0–59.
    public var second: Int
    /// 0 (Sunday) – 6 (Saturday).
    public var weekday: Int

    /// The UTC civil time `epochSeconds` after 1970-01-01T00:00:00Z (proleptic Gregorian; the
    /// days-to-date step is Howard Hinnant's `civil_from_days`).
    public init(epochSeconds: Int) {
      let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
      let seconds = epochSeconds - days * 86_400
      hour = seconds / 3600
      minute = seconds % 3600 / 60
      second = seconds % 60
      weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
      let shifted = days + 719_468
      let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
      let dayOfEra = shifted - era * 146_097
      let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
      let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
      let monthIndex = (5 * dayOfYear + 2) / 153
      day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
      month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
      year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
  }

  /// ISO 8601 in UTC to the second: `2026-12-02T16:50:11Z`.
  public static func iso8601(epochSeconds: Int) -> String {
    let time = CivilTime(epochSeconds: epochSeconds)
    return "\(padded(time.year, 4))-\(padded(time.month, 2))-\(padded(time.day, 2))"
      + "T\(padded(time.hour, 2)):\(padded(time.minute, 2)):\(padded(time.second, 2))Z"
  }

  /// Seconds since 1970 for an ISO 8601 / RFC 3339 time as AWS writes them:
  /// `2026-12-03T08:00:00Z`, with optional fractional seconds, an offset (`+01:00`, `+0100`) or
  /// `UTC` in place of `Z` (older AWS CLI caches). Nil for anything else.
  public static func epochSeconds(iso8601 text: String) -> Int? {
    let bytes = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[range] {
        guard (0x30...0x39).contains(byte) else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D,
      bytes[10] == 0x54 || bytes[10] == 0x74 || bytes[10] == 0x20, bytes[13] == 0x3A,
      bytes[16] == 0x3A, let year = number(0..<4), let month = number(5..<7),
      let day = number(8..<10), let hour = number(11..<13), let minute = number(14..<16),
      let second = number(17..<19), (1...12).contains(month), (1...31).contains(day), hour < 24,
      minute < 60, second < 61
    else { return nil }
    var index = 19
    if index < bytes.count, bytes[index] == 0x2E {
      index += 1
      let start = index
      while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
      guard index > start else { return nil }
    }
    var offset = 0
    let zone = String(decoding: bytes[index...], as: UTF8.self)
    switch zone {
    case "Z", "z", "UTC", "": offset = 0
    default:
      let sign = zone.hasPrefix("+") ? 1 : zone.hasPrefix("-") ? -1 : 0
      let digits = zone.dropFirst().filter { $0 != ":" }
      guard sign != 0, digits.count == 4, zone.count == (zone.contains(":") ? 6 : 5),
        let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)), hours < 24,
        minutes < 60
      else { return nil }
      offset = sign * (hours * 3600 + minutes * 60)
    }
    // Howard Hinnant's days_from_civil.
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return days * 86_400 + hour * 3600 + minute * 60 + second - offset
  }

  /// Cognito's SRP timestamp, `EEE MMM d HH:mm:ss UTC yyyy` in English, the day not padded:
  /// `Wed Dec 2 16:50:11 UTC 2026`.
  public static func cognitoTimestamp(epochSeconds: Int) -> String {
    let time = CivilTime(epochSeconds: epochSeconds)
    let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    return "\(weekdays[time.weekday]) \(months[time.month - 1]) \(time.day) "
      + "\(padded(time.hour, 2)):\(padded(time.minute, 2)):\(padded(time.second, 2)) UTC \(time.year)"
  }

  private static func padded(_ value: Int, _ width: Int) -> String {
    zeroPadded(String(value), width)
  }

  private static func zeroPadded(_ digits: String, _ width: Int) -> String {
    String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}

/// File paths as text, the way the program uses them (POSIX, `/`-separated).
public enum PathText {
  /// The directory part: `/a/b/c` → `/a/b`, `/a` → `/`, `name` → `` (as
  /// `NSString.deletingLastPathComponent`).
  public static func parent(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    var head = trimmed[..<slash]
    while head.hasSuffix("/") { head = head.dropLast() }
    return head.isEmpty ? "/" : String(head)
  }

  /// The last component: `/a/b/c` → `c`, `/a/b/` → `b`.
  public static func lastComponent(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
    return String(trimmed[trimmed.index(after: slash)...])
  }

  /// `path` with empty and `.` components removed and, in an absolute path, `..` applied
  /// (lexically: symbolic links are not followed), no trailing slash.
  public static func standardized(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [String] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case ".." where absolute:
        if !parts.isEmpty { parts.removeLast() }
      default: parts.append(String(part))
      }
    }
    // Joined by hand, string to string: `joined(separator:)` and appending a substring are
    // generic code the runtime first looks up (a scan of the binary's conformance records), on
    // every start that opens the keyfile.
    var joined = absolute ? "/" : ""
    var first = true
    for part in parts {
      if !first { joined += "/" }
      joined += part
      first = false
    }
    return absolute || !parts.isEmpty ? joined : path
  }
}

extension StringProtocol {
  /// The text without leading and trailing Unicode scalars for which `drop` is true.
  public func trimmed(where drop: (Unicode.Scalar) -> Bool) -> String {
    let scalars = Substring(self).unicodeScalars
    guard let first = scalars.firstIndex(where: { !drop($0) }),
      let last = scalars.lastIndex(where: { !drop($0) })
    else { return "" }
    return String(scalars[first...last])
  }

  /// The text without leading and trailing spaces and tabs (the space separators, U+0009): what
  /// Foundation's `trimmingCharacters(in: .whitespaces)` removes.
  public func trimmedWhitespace() -> String {
    trimmed { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
  }
}
