/// The text of elements in the small, fixed XML documents AWS query services answer with. Not
/// a general XML parser: no attributes, namespaces or CDATA are needed for these answers.
public enum XMLText {
  /// The text inside the first `<tag>…</tag>` (entities decoded), or nil.
  public static func first(_ tag: String, in xml: String) -> String? {
    guard let open = xml.firstRange(of: "<\(tag)>"),
      let close = xml[open.upperBound...].firstRange(of: "</\(tag)>")
    else { return nil }
    return decodeEntities(String(xml[open.upperBound..<close.lowerBound]))
  }

  /// `&lt; &gt; &amp; &quot; &apos;` and numeric references decoded; a malformed one is kept.
  public static func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var output = ""
    var rest = Substring(text)
    while let amp = rest.firstIndex(of: "&") {
      output += rest[..<amp]
      let after = rest[rest.index(after: amp)...]
      guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
        output += "&"
        rest = after
        continue
      }
      let name = after[..<semicolon]
      let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
      if let value = named[String(name)] {
        output += value
      } else if name.hasPrefix("#x"), let code = UInt32(name.dropFirst(2), radix: 16),
        let scalar = Unicode.Scalar(code)
      {
        output.unicodeScalars.append(scalar)
      } else if name.hasPrefix("#"), let code = UInt32(name.dropFirst()),
        let scalar = Unicode.Scalar(code)
      {
        output.unicodeScalars.append(scalar)
      } else {
        output += "&" + name + ";"
      }
      rest = after[after.index(after: semicolon)...]
    }
    return output + rest
  }
}
