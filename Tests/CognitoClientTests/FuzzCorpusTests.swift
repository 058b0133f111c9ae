import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import Keyfile
import TestSupport
import Testing

@Suite("Fuzz corpora and regression inputs, replayed without the sanitizer")
struct FuzzCorpusTests {
  static func files(_ folder: String) -> [URL] {
    let root = ReferenceScript.repositoryRoot.appendingPathComponent("Fuzz/" + folder)
    return
      ((try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil))
      ?? [])
      .sorted { $0.path < $1.path }
  }

  @Test("every decoder seed and regression input decodes or fails cleanly")
  func decoder() throws {
    let inputs = Self.files("corpus/decoder") + Self.files("regressions/decoder")
    #expect(inputs.count >= 10)
    for input in inputs { ResponseFuzzing.exercise(try Data(contentsOf: input)) }
  }

  @Test("the keyfile seed opens with the fuzz passphrase; broken ones fail with an error")
  func keyfile() throws {
    let valid = ReferenceScript.repositoryRoot.appendingPathComponent(
      "Fuzz/corpus/keyfile/valid-logn2")
    let session = try KeyfileFormat.open(
      Array(try Data(contentsOf: valid)), passphrase: "fuzz passphrase")
    #expect(session.username == "alice")
    for input in Self.files("corpus/keyfile") + Self.files("regressions/keyfile")
    where input != valid {
      #expect(throws: KeyfileError.self) {
        try KeyfileFormat.open(Array(try Data(contentsOf: input)), passphrase: "fuzz passphrase")
      }
    }
  }
}
