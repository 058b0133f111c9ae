// A helper the audit-log tests run as separate processes: appends entries to an audit log as
// fast as it can, so that tests can kill it mid-write or run two at once.
//
// usage: audit-harness PATH TAG COUNT     (COUNT 0: until killed; prints "ready" after the first)

import AuditLog
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]) else {
  _ = write(2, "usage: audit-harness PATH TAG COUNT\n", 36)
  exit(64)
}
let log = AuditLog(path: arguments[1])
let tag = arguments[2]
// Long lines (≈ 6 KB, beyond PIPE_BUF) so that a torn or interleaved write would show.
let names = (0..<300).map { "custom:attribute\($0)" }
var index = 0
while count == 0 || index < count {
  let entry = AuditEntry(
    phase: index % 2 == 0 ? "intent" : "outcome", id: "\(tag)-\(index / 2)",
    time: AuditLog.timestamp(), caller: "arn:aws:iam::123456789012:user/\(tag)",
    sourceIdentity: nil, profile: "harness", userPool: "us-east-1_Harness",
    username: "user-\(tag)", sub: nil, operation: "AdminDeleteUserAttributes",
    attributes: names, reason: "\(tag) entry \(index)", result: index % 2 == 0 ? nil : "ok")
  do {
    try log.append(entry)
  } catch {
    let text = "\(error)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(1)
  }
  if index == 0 {
    _ = write(1, "ready\n", 6)
  }
  index += 1
}
