/// Rules of the support mode that need no network: the `ListUsers` filter and the reason every
/// write must carry.
public enum SupportRules {
  /// The attributes `ListUsers` can search (custom attributes cannot be searched).
  public static let searchableNames: [String] = [
    "username", "email", "phone_number", "name", "given_name", "family_name",
    "preferred_username", "cognito:user_status", "status", "sub",
  ]

  /// The most users one `ListUsers` page may hold.
  public static let maximumPageSize = 60

  /// The longest reason kept in the audit log.
  public static let maximumReasonLength = 500

  /// The reason trimmed, or why it cannot be one: empty, too long, or holding a control
  /// character (it must stay one line of the audit log and of the review).
  public static func checkReason(_ raw: String?) throws(AccountError) -> String {
    let reason = (raw ?? "").trimmedWhitespace()
    guard !reason.isEmpty else {
      throw .invalidInput(
        message: "every change needs a reason (a ticket id or a sentence): pass --reason TEXT")
    }
    guard reason.count <= maximumReasonLength else {
      throw .invalidInput(
        message: "the reason is \(reason.count) characters; keep it under \(maximumReasonLength)")
    }
    guard !reason.unicodeScalars.contains(where: TerminalText.isUnsafe) else {
      throw .invalidInput(
        message: "the reason must be one line of text, without control characters")
    }
    return reason
  }
}

/// A `ListUsers` filter: one searchable attribute, exact (`=`) or prefix (`^=`), one value.
public struct UserFilter: Sendable, Hashable, CustomStringConvertible {
  /// How the value is matched.
  public enum Match: String, Sendable, Hashable {
    /// Exactly.
    case exact = "="
    /// As a prefix.
    case prefix = "^="
  }

  /// The attribute (`email`, `cognito:user_status`, …).
  public var attribute: String
  /// Exact or prefix.
  public var match: Match
  /// The value, unescaped.
  public var value: String

  /// A filter from its parts; the attribute must be searchable.
  public init(attribute: String, match: Match, value: String) throws(AccountError) {
    guard SupportRules.searchableNames.contains(attribute) else {
      throw .invalidInput(
        message: "'\(TerminalText.escape(attribute))' cannot be searched; use one of "
          + SupportRules.searchableNames.joined(separator: ", "))
    }
    guard !value.unicodeScalars.contains(where: TerminalText.isUnsafe) else {
      throw .invalidInput(message: "the search value must not hold control characters")
    }
    self.attribute = attribute
    self.match = match
    self.value = value
  }

  /// Reads `name = "value"` or `name ^= "value"` (quotes optional around a value without
  /// spaces; `\"` and `\\` inside quotes), or, for a plain word, guesses: an address with `@`
  /// searches `email`, a `+` number `phone_number`, anything else `username`, each by prefix.
  public static func parse(_ text: String) throws(AccountError) -> UserFilter {
    let trimmed = text.trimmedWhitespace()
    guard !trimmed.isEmpty else { throw .invalidInput(message: "the filter is empty") }
    let operatorRange = trimmed.firstRange(of: "^=") ?? trimmed.firstRange(of: "=")
    guard let operatorRange else {
      let attribute =
        trimmed.contains("@") ? "email" : trimmed.hasPrefix("+") ? "phone_number" : "username"
      return try UserFilter(attribute: attribute, match: .prefix, value: trimmed)
    }
    let name = trimmed[..<operatorRange.lowerBound].trimmedWhitespace()
    let match: Match = trimmed[operatorRange] == "^=" ? .prefix : .exact
    var rawValue = Substring(trimmed[operatorRange.upperBound...].trimmedWhitespace())
    var value = ""
    if rawValue.hasPrefix("\"") {
      rawValue = rawValue.dropFirst()
      var closed = false
      var iterator = rawValue.makeIterator()
      while let character = iterator.next() {
        if character == "\\", let next = iterator.next() {
          value.append(next)
        } else if character == "\"" {
          closed = true
          guard iterator.next() == nil else {
            throw .invalidInput(message: "text after the closing quote of the filter value")
          }
          break
        } else {
          value.append(character)
        }
      }
      guard closed else { throw .invalidInput(message: "the filter value has no closing quote") }
    } else {
      value = String(rawValue)
    }
    return try UserFilter(attribute: name, match: match, value: value)
  }

  /// The filter as `ListUsers` takes it: `email ^= "zo"`, with `"` and `\` escaped.
  public var description: String {
    var escaped = ""
    for character in value {
      if character == "\"" || character == "\\" { escaped.append("\\") }
      escaped.append(character)
    }
    return "\(attribute) \(match.rawValue) \"\(escaped)\""
  }
}
