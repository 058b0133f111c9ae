import Glibc

/// The process's environment as a dictionary.
///
/// FoundationEssentials' `ProcessInfo.environment` splits each `NAME=value` entry at the `=`
/// by `Character`, with grapheme breaking. Measured with callgrind, that came to 830,000
/// instructions for 45 variables, about 0.25 ms of every command's start. This reads the same
/// entries from `environ` as bytes. Where a name appears twice the first entry wins, as with
/// `getenv`. An entry without `=` is skipped.
public enum ProcessEnvironment {
  /// The environment now.
  public static var current: [String: String] {
    var count = 0
    while environ[count] != nil { count += 1 }
    // Sized once: growing entry by entry rehashed the table six times.
    var variables = [String: String](minimumCapacity: count)
    var entry = environ
    while let pointer = entry.pointee {
      let length = strlen(pointer)
      pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        let buffer = UnsafeBufferPointer(start: bytes, count: length)
        guard let equals = buffer.firstIndex(of: UInt8(ascii: "=")) else { return }
        let name = String(decoding: buffer[..<equals], as: UTF8.self)
        if variables[name] == nil {
          variables[name] = String(decoding: buffer[(equals + 1)...], as: UTF8.self)
        }
      }
      entry += 1
    }
    return variables
  }
}
