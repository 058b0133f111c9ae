import AccountCore
import Foundation
import Keyfile
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A private temporary directory (0700) for one test.
func privateDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "keyfile-test-" + UUID().uuidString
  guard mkdir(path, 0o700) == 0 else { throw POSIXError(.EIO) }
  return path
}

func fileBytes(_ path: String) -> [UInt8]? {
  FileManager.default.contents(atPath: path).map { Array($0) }
}

func mode(_ path: String) -> UInt32 {
  var info = stat()
  _ = stat(path, &info)
  return UInt32(info.st_mode & 0o777)
}

func keyfile(
  _ path: String, passphrase: String? = "pass",
  cache: UnlockCache = UnlockCache(timeout: .zero)
) -> Keyfile {
  Keyfile(
    path: path,
    passphrase: passphrase.map { .fixed(Sensitive($0)) } ?? .unavailable("none in this test"),
    parameters: cheap, cache: cache, lockTimeout: .seconds(5))
}

@Suite("Keyfile on disk")
struct KeyfileStoreTests {
  @Test("save then load round-trips; directory 0700 and file 0600 are created")
  func roundTrip() throws {
    let root = try privateDirectory()
    let path = root + "/state/cognito-account/default.keyfile"
    let file = keyfile(path)
    try file.save(sampleSession())
    #expect(mode(root + "/state/cognito-account") == 0o700)
    #expect(mode(path) == 0o600)
    #expect(try keyfile(path).load() == sampleSession())
    try file.save(sampleSession("1"))
    #expect(try keyfile(path).load() == sampleSession("1"))
  }

  @Test("an independent implementation (Python cryptography) decrypts what we write")
  func independentReader() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try keyfile(path, passphrase: "pässwörd 🔑").save(sampleSession("py"))
    let data = try ReferenceScript.run(
      "keyfile_reference.py", arguments: [path], input: Data("pässwörd 🔑".utf8))
    #expect(try JSONDecoder().decode(StoredSession.self, from: data) == sampleSession("py"))
  }

  @Test("refusals leave the file byte-identical: wrong passphrase, tampering, truncation, version")
  func refusalsTouchNothing() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try keyfile(path).save(sampleSession())
    let original = try #require(fileBytes(path))

    #expect(throws: KeyfileError.wrongPassphrase(path: path)) {
      try keyfile(path, passphrase: "wrong").load()
    }
    #expect(throws: KeyfileError.wrongPassphrase(path: path)) {
      try keyfile(path, passphrase: "wrong").save(sampleSession("x"))
    }
    #expect(fileBytes(path) == original)

    for (mutate, expected) in [
      ({ (b: inout [UInt8]) in b[b.count - 3] ^= 1 }, KeyfileError.tampered(path: path)),
      ({ (b: inout [UInt8]) in b.removeLast(9) }, .truncated(path: path)),
      ({ (b: inout [UInt8]) in b[8] = 9 }, .unsupportedVersion(path: path, version: 9)),
    ] {
      var bytes = original
      mutate(&bytes)
      _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
      chmod(path, 0o600)
      #expect(throws: expected) { try keyfile(path).load() }
      #expect(throws: expected) { try keyfile(path).save(sampleSession("x")) }
      #expect(fileBytes(path) == bytes)
    }
  }

  @Test(
    "modes 0644, 0640 and 0604 are refused with the chmod that fixes it",
    arguments: [0o644, 0o640, 0o604])
  func tooOpenFile(fileMode: Int) throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try keyfile(path).save(sampleSession())
    let original = fileBytes(path)
    chmod(path, mode_t(fileMode))
    do {
      _ = try keyfile(path).load()
      Issue.record("a \(String(fileMode, radix: 8)) keyfile was accepted")
    } catch {
      guard case .tooOpen = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(error.description.contains("0\(String(fileMode, radix: 8))"))
      #expect(error.description.contains("chmod 600 '\(path)'"))
    }
    #expect(
      throws: KeyfileError.tooOpen(
        path: path, mode: UInt32(S_IFREG) | UInt32(fileMode), isDirectory: false)
    ) { try keyfile(path).save(sampleSession("x")) }
    #expect(fileBytes(path) == original)
  }

  @Test("a group-readable directory is refused")
  func tooOpenDirectory() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try keyfile(path).save(sampleSession())
    chmod(root, 0o750)
    defer { chmod(root, 0o700) }
    #expect(
      throws: KeyfileError.tooOpen(path: root, mode: UInt32(S_IFDIR) | 0o750, isDirectory: true)
    ) {
      try keyfile(path).load()
    }
  }

  @Test("a symlink is refused, and not followed on save")
  func symlink() throws {
    let root = try privateDirectory()
    let real = root + "/real"
    try keyfile(real).save(sampleSession())
    let link = root + "/link"
    Glibc.symlink(real, link)
    let original = fileBytes(real)
    #expect(throws: KeyfileError.symlink(path: link)) { try keyfile(link).load() }
    #expect(throws: KeyfileError.symlink(path: link)) { try keyfile(link).save(sampleSession("x")) }
    #expect(fileBytes(real) == original)
  }

  @Test(
    "a file owned by another user is refused",
    .enabled(if: geteuid() == 0, "changing a file's owner needs root"))
  func otherOwner() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try keyfile(path).save(sampleSession())
    #expect(chown(path, 65534, 65534) == 0)
    #expect(throws: KeyfileError.wrongOwner(path: path, ownerUID: 65534)) {
      try keyfile(path).load()
    }
  }

  @Test("logout removes the file and keeps its lock file (unlinking a held lock splits it)")
  func remove() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let file = keyfile(path)
    try file.save(sampleSession())
    try file.withLockSync { try file.remove() }
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(FileManager.default.fileExists(atPath: path + ".lock"))
    #expect(throws: KeyfileError.notFound(path: path)) { try keyfile(path).load() }
  }

  @Test("a second holder of the lock waits, then reports busy")
  func busy() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let first = keyfile(path)
    let second = Keyfile(
      path: path, passphrase: .fixed("pass"), parameters: cheap, cache: UnlockCache(timeout: .zero),
      lockTimeout: .milliseconds(200))
    try first.withLockSync {
      #expect(throws: KeyfileError.busy(path: path)) { try second.withLockSync {} }
    }
    try second.withLockSync {}
  }

  @Test("one launch derives the key once: later loads use the in-process key")
  func processMemory() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try keyfile(path).save(sampleSession())
    let file = keyfile(path)
    _ = try file.load()
    #expect(file.lastUnlockMethod == .passphrase)
    _ = try file.load()
    #expect(file.lastUnlockMethod == .memory)
  }

  @Test("the default scrypt cost (N = 2^17, r = 8, p = 1) round-trips")
  func defaultCost() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let file = Keyfile(path: path, passphrase: .fixed("pass"), cache: UnlockCache(timeout: .zero))
    try file.save(sampleSession())
    #expect(try file.header().parameters == .standard)
    let fresh = Keyfile(path: path, passphrase: .fixed("pass"), cache: UnlockCache(timeout: .zero))
    #expect(try fresh.load() == sampleSession())
  }

  @Test("passphrase file: first line; refused when others can read it")
  func passphraseFile() throws {
    let root = try privateDirectory()
    let secretFile = root + "/pass"
    _ = FileManager.default.createFile(
      atPath: secretFile, contents: Data("line one\nline two\n".utf8))
    chmod(secretFile, 0o600)
    let path = root + "/k"
    let file = Keyfile(
      path: path, passphrase: .file(secretFile), parameters: cheap,
      cache: UnlockCache(timeout: .zero))
    try file.save(sampleSession())
    #expect(try keyfile(path, passphrase: "line one").load() == sampleSession())
    chmod(secretFile, 0o644)
    let open = Keyfile(
      path: path, passphrase: .file(secretFile), parameters: cheap,
      cache: UnlockCache(timeout: .zero))
    #expect(
      throws: KeyfileError.tooOpen(
        path: secretFile, mode: UInt32(S_IFREG) | 0o644, isDirectory: false)
    ) { try open.load() }
  }
}
