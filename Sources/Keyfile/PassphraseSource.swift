public import AccountCore
import FoundationEssentials
import Prompting
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Why a passphrase is wanted.
public enum PassphrasePurpose: Sendable, Hashable {
  /// To unlock the existing keyfile at the path.
  case unlock(path: String)
  /// To protect a new keyfile at the path (an interactive prompt asks twice).
  case create(path: String)
}

/// Where the keyfile passphrase comes from: a prompt with no echo on the controlling terminal,
/// or, for automation, `COGNITO_ACCOUNT_PASSPHRASE` or `--passphrase-file`. Nothing else.
public struct PassphraseSource: Sendable {
  /// Asks the source for a passphrase for `purpose`.
  public let provide: @Sendable (PassphrasePurpose) throws(KeyfileError) -> Sensitive

  /// A source from a closure (tests).
  public init(_ provide: @escaping @Sendable (PassphrasePurpose) throws(KeyfileError) -> Sensitive)
  {
    self.provide = provide
  }

  /// A fixed passphrase (from the environment variable).
  public static func fixed(_ value: Sensitive) -> PassphraseSource {
    PassphraseSource { _ throws(KeyfileError) in
      guard !value.isEmpty else { throw .passphraseRejected(reason: "it is empty") }
      return value
    }
  }

  /// A source that always fails with `reason` (no terminal, nothing configured).
  public static func unavailable(_ reason: String) -> PassphraseSource {
    PassphraseSource { _ throws(KeyfileError) in throw .passphraseUnavailable(reason: reason) }
  }

  /// The first line of a file (see ``SecretFile/readFirstLine(_:)``).
  public static func file(_ path: String) -> PassphraseSource {
    PassphraseSource { _ throws(KeyfileError) in
      do throws(SecretFileError) {
        return try SecretFile.readFirstLine(path)
      } catch {
        throw KeyfileError(error)
      }
    }
  }

  /// Asks on the controlling terminal (`/dev/tty`) with echo off; a new passphrase is asked twice.
  public static func terminalPrompt() -> PassphraseSource {
    PassphraseSource { purpose throws(KeyfileError) in
      do throws(PromptError) {
        switch purpose {
        case .unlock(let path):
          return try TerminalPrompt.readSecret(prompt: "Passphrase for \(path): ")
        case .create(let path):
          return try TerminalPrompt.readNewSecret(
            prompt: "New passphrase for \(path): ", repeatPrompt: "Repeat the passphrase: ")
        }
      } catch .empty {
        throw .passphraseRejected(reason: PromptError.empty.description)
      } catch .mismatch {
        throw .passphraseRejected(reason: PromptError.mismatch.description)
      } catch .noTerminal {
        throw .passphraseUnavailable(
          reason: "no terminal to ask on; set COGNITO_ACCOUNT_PASSPHRASE or pass --passphrase-file")
      } catch {
        throw .passphraseUnavailable(reason: error.description)
      }
    }
  }

  /// Whether ``resolve(passphraseFile:environment:)`` would prompt on the terminal (nothing
  /// configured), which the screen does itself instead, after signing in.
  public static func wouldPrompt(passphraseFile: String?, environment: [String: String]) -> Bool {
    (passphraseFile ?? "").isEmpty && environment["COGNITO_ACCOUNT_PASSPHRASE"] == nil
      && TerminalPrompt.hasControllingTerminal
  }

  /// `--passphrase-file` if given, else `COGNITO_ACCOUNT_PASSPHRASE` if set, else the prompt
  /// when a terminal is there, else a source that explains what to set.
  public static func resolve(passphraseFile: String?, environment: [String: String])
    -> PassphraseSource
  {
    if let passphraseFile, !passphraseFile.isEmpty { return .file(passphraseFile) }
    if let value = environment["COGNITO_ACCOUNT_PASSPHRASE"] { return .fixed(Sensitive(value)) }
    if TerminalPrompt.hasControllingTerminal { return .terminalPrompt() }
    return .unavailable(
      "no terminal to ask on; set COGNITO_ACCOUNT_PASSPHRASE or pass --passphrase-file")
  }
}

/// A passphrase given later, by the screen, after the sign-in it protects: the keyfile's source
/// until then answers "not given yet" (so nothing is written), and the passphrase once set.
public final class DeferredPassphrase: Sendable {
  private let value = Mutex<Sensitive?>(nil)

  /// An empty box.
  public init() {}

  /// Sets the passphrase the next save uses.
  public func set(_ passphrase: Sensitive) { value.withLock { $0 = passphrase } }

  /// The source that reads the box.
  public var source: PassphraseSource {
    PassphraseSource { [self] _ throws(KeyfileError) in
      guard let passphrase = self.value.withLock({ $0 }) else {
        throw .passphraseUnavailable(reason: "the passphrase is asked after signing in")
      }
      return passphrase
    }
  }
}

extension KeyfileError {
  /// A refused passphrase file, in the keyfile's terms.
  init(_ error: SecretFileError) {
    switch error {
    case .wrongOwner(let path, let uid): self = .wrongOwner(path: path, ownerUID: uid)
    case .tooOpen(let path, let mode): self = .tooOpen(path: path, mode: mode, isDirectory: false)
    case .emptyFirstLine, .tooLarge: self = .passphraseRejected(reason: error.description)
    case .cannotOpen: self = .passphraseUnavailable(reason: error.description)
    }
  }
}
