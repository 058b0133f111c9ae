// libFuzzer harness: `FUZZ_TARGET=decoder` (Cognito responses, errors included),
// `FUZZ_TARGET=keyfile` (the keyfile parser and decryption) or `FUZZ_TARGET=config` (the config
// file's TOML reader and profile checks). scripts/fuzz builds it with
// `-sanitize=fuzzer,address -parse-as-library -DFUZZING`; SwiftPM names an executable's entry
// point <module>_main, which then hands control to libFuzzer's driver. An ordinary build only
// says how to run it.

import AccountApp
import AccountCore
import AccountView
import CognitoClient
import Foundation
import Keyfile

#if FUZZING
  @_silgen_name("LLVMFuzzerRunDriver")
  func fuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  /// One input for the keyfile target: parse, check and (for intact headers) decrypt.
  func fuzzKeyfile(_ data: Data) {
    _ = try? KeyfileFormat.open(Array(data), passphrase: "fuzz passphrase")
  }

  /// One input for the decoder target, plus the escaping that untrusted text goes through.
  func fuzzDecoder(_ data: Data) {
    ResponseFuzzing.exercise(data)
    let text = String(decoding: data, as: UTF8.self)
    _ = DisplayWidth.truncate(TerminalText.escape(text), to: 40)
  }

  /// libFuzzer's callback: one input.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Data(bytes: bytes, count: count)
    switch ProcessInfo.processInfo.environment["FUZZ_TARGET"] {
    case "keyfile":
      fuzzKeyfile(data)
    case "config":
      ConfigFuzzing.exercise(Array(data))
    default:
      fuzzDecoder(data)
    }
    return 0
  }

  /// The executable's entry point: hands control to libFuzzer's driver.
  @_cdecl("cognito_fuzz_main")
  public func fuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  ) -> CInt {
    var count = argc
    var vector = argv
    return fuzzerRunDriver(&count, &vector) { fuzzOneInput($0, $1) }
  }
#else
  /// An ordinary build only explains how to fuzz.
  @main
  enum FuzzHarnessUnavailable {
    static func main() {
      FileHandle.standardError.write(
        Data("cognito-fuzz: run scripts/fuzz, which builds it with libFuzzer\n".utf8))
      exit(64)
    }
  }
#endif
