import AccountCore
import Foundation
import Testing

@testable import AccountApp

@Suite("A config file that is there but cannot be used is never taken for an empty one")
struct ConfigFileReadingTests {
  @Test("loading: a directory in its place is an error that names it")
  func directoryInPlace() throws {
    let directory = NSTemporaryDirectory() + "config-dir-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(
      throws: AccountError.configuration(
        message: "cannot read the config file \(directory): Is a directory")
    ) {
      try ConfigFile.load(path: directory)
    }
    #expect(try ConfigFile.load(path: directory + "/absent.toml").profiles.isEmpty)
  }

  @Test("writing a profile: an existing file that is not UTF-8 is left byte for byte")
  func notUTF8Kept() throws {
    let directory = NSTemporaryDirectory() + "config-utf8-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/config.toml"
    let original: [UInt8] =
      Array("[profile.work]\nregion = \"eu-west-1\"\n# caf".utf8) + [0xE9, 0x0A]
    try Data(original).write(to: URL(fileURLWithPath: path))
    let writer = ProfileWriter(
      name: "home", settings: [(key: "region", value: .string("us-east-1"))])
    #expect(
      throws: AccountError.configuration(
        message: "\(path) is not UTF-8 text; nothing was written")
    ) {
      try writer.write(to: path)
    }
    #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == original)
  }
}
