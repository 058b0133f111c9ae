import AccountCore
import Foundation
import Testing

@Suite("Small files read whole")
struct FileBytesTests {
  let directory: String

  init() throws {
    directory = NSTemporaryDirectory() + "file-bytes-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  @Test(
    "sizes around the read chunk and the limit come back byte for byte",
    arguments: [
      0, 1, 4095, 4096, 16384, 70_001,
    ])
  func sizes(size: Int) throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/f"
    let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try FileBytes.read(path, limit: 70_001) == bytes)
    if size > 0 {
      #expect(throws: FileBytes.Failure.tooLarge(limit: size - 1)) {
        try FileBytes.read(path, limit: size - 1)
      }
    }
  }

  @Test("a file whose size the system does not know (procfs) is read to its end")
  func unknownSize() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let bytes = try #require(try FileBytes.read("/proc/version", limit: 1 << 20))
    #expect(!bytes.isEmpty)
    #expect(bytes == Array(try Data(contentsOf: URL(fileURLWithPath: "/proc/version"))))
  }

  @Test("nothing there is nil; a directory or an unreadable file is an error, named")
  func absentAndUnreadable() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(try FileBytes.read(directory + "/missing", limit: 10) == nil)
    let file = directory + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    #expect(try FileBytes.read(file + "/below-a-file", limit: 10) == nil)
    #expect(throws: FileBytes.Failure.system(errno: EISDIR)) {
      try FileBytes.read(directory, limit: 10)
    }
    #expect(FileBytes.Failure.system(errno: EISDIR).reason == "Is a directory")
    // A named pipe nobody writes to would block a plain open and read for good.
    let pipe = directory + "/pipe"
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(throws: FileBytes.Failure.notAFile) { try FileBytes.read(pipe, limit: 10) }
    if getuid() != 0 {
      chmod(file, 0)
      #expect(throws: FileBytes.Failure.system(errno: EACCES)) {
        try FileBytes.read(file, limit: 10)
      }
    }
  }

  @Test("exists answers as FileManager.fileExists does: links followed, dangling ones absent")
  func exists() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = directory + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let link = directory + "/link"
    let dangling = directory + "/dangling"
    #expect(symlink(file, link) == 0)
    #expect(symlink(directory + "/missing", dangling) == 0)
    for path in [directory, file, link, dangling, directory + "/missing", file + "/below"] {
      #expect(
        FileBytes.exists(path) == FileManager.default.fileExists(atPath: path),
        "\(path)")
    }
    #expect(FileBytes.exists(link) && !FileBytes.exists(dangling))
  }
}
