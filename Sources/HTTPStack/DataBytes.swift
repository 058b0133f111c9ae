public import AccountCore
public import FoundationEssentials

/// A body (`Data`) read by ``JSONValue/parse(_:)-(some ContiguousBytesSequence)`` in place.
extension Data: ContiguousBytesSequence {
  /// Calls `body` with the bytes.
  public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    withUnsafeBytes(body)
  }
}
