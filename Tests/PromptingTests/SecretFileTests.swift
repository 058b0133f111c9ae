import AccountCore
import Foundation
import Prompting
import Testing

/// A private directory for one test.
private func scratch() throws -> String {
  let root = NSTemporaryDirectory() + "prompting-" + UUID().uuidString
  try FileManager.default.createDirectory(
    atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
  return root
}

@Suite("Secret files (passphrase, client secret)")
struct SecretFileTests {
  @Test("the first line, without CR LF; the rest ignored")
  func firstLine() throws {
    let path = try scratch() + "/secret"
    _ = FileManager.default.createFile(
      atPath: path, contents: Data("s3cret\r\nsecond\n".utf8),
      attributes: [.posixPermissions: 0o600])
    #expect(try SecretFile.readFirstLine(path).reveal == "s3cret")
  }

  @Test("refusals name the file and the fix", arguments: [0o644, 0o640, 0o604])
  func tooOpen(mode: Int) throws {
    let path = try scratch() + "/secret"
    _ = FileManager.default.createFile(
      atPath: path, contents: Data("s3cret\n".utf8), attributes: [.posixPermissions: mode])
    #expect(throws: SecretFileError.tooOpen(path: path, mode: UInt32(S_IFREG) | UInt32(mode))) {
      try SecretFile.readFirstLine(path)
    }
    #expect(
      SecretFileError.tooOpen(path: path, mode: UInt32(mode)).description
        == "refusing \(path): permissions 0\(String(mode, radix: 8)) are too open; "
        + "run: chmod 600 '\(path)'")
  }

  @Test("an empty first line, a missing file and a huge file are each their own error")
  func otherRefusals() throws {
    let root = try scratch()
    _ = FileManager.default.createFile(
      atPath: root + "/empty", contents: Data("\nrest\n".utf8),
      attributes: [.posixPermissions: 0o600])
    #expect(throws: SecretFileError.emptyFirstLine(path: root + "/empty")) {
      try SecretFile.readFirstLine(root + "/empty")
    }
    #expect(
      throws: SecretFileError.cannotOpen(path: root + "/none", reason: "No such file or directory")
    ) {
      try SecretFile.readFirstLine(root + "/none")
    }
    _ = FileManager.default.createFile(
      atPath: root + "/huge", contents: Data(repeating: 0x61, count: 70_000),
      attributes: [.posixPermissions: 0o600])
    #expect(throws: SecretFileError.tooLarge(path: root + "/huge")) {
      try SecretFile.readFirstLine(root + "/huge")
    }
  }
}
