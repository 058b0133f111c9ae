import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production ``HTTPTransport``: Foundation's URLSession (libcurl on Linux).
///
/// Chosen over async-http-client for start-up cost and build time (see README): it adds no
/// package to build and no event loop to start. Redirects are refused (a token must never follow
/// a redirect), nothing is cached or stored, and bodies beyond ``Options/maxResponseBytes`` are cut
/// off with ``TransportFailure/responseTooLarge(limit:)``.
public final class URLSessionTransport: HTTPTransport {
  /// Timeouts and limits.
  public struct Options: Sendable, Hashable {
    /// Time allowed to connect, and the longest silence while waiting for bytes.
    public var connectTimeout: Duration
    /// Time allowed for the whole exchange.
    public var totalTimeout: Duration
    /// The largest response body accepted.
    public var maxResponseBytes: Int

    /// 10 s to connect, 30 s in all, 4 MiB bodies (GetUser with every attribute at its 2,048
    /// character maximum, JSON-escaped, stays well below this).
    public static let standard = Options(
      connectTimeout: .seconds(10), totalTimeout: .seconds(30), maxResponseBytes: 4 << 20)

    /// The connect/idle timeout as URLSession takes it. swift-corelibs-foundation truncates it to
    /// whole seconds (0.5 s becomes 0, an immediate timeout), so it is rounded up to at least 1 s;
    /// ``totalTimeout`` is enforced separately, to the millisecond.
    var idleTimeoutInterval: TimeInterval { max(1, connectTimeout.timeInterval.rounded(.up)) }

    /// Creates options.
    public init(connectTimeout: Duration, totalTimeout: Duration, maxResponseBytes: Int) {
      self.connectTimeout = connectTimeout
      self.totalTimeout = totalTimeout
      self.maxResponseBytes = maxResponseBytes
    }
  }

  private let options: Options
  private let router: TaskRouter
  private let session: URLSession

  /// Creates a transport with its own ephemeral session.
  public init(options: Options = .standard) {
    self.options = options
    let router = TaskRouter()
    let configuration = URLSessionConfiguration.ephemeral
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.timeoutIntervalForRequest = options.idleTimeoutInterval
    configuration.timeoutIntervalForResource = options.totalTimeout.timeInterval + 1
    let queue = OperationQueue()
    queue.maxConcurrentOperationCount = 1
    self.router = router
    self.session = URLSession(configuration: configuration, delegate: router, delegateQueue: queue)
  }

  deinit { session.invalidateAndCancel() }

  /// Sends `request` and collects the whole response.
  public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
    var urlRequest = URLRequest(url: request.url)
    urlRequest.httpMethod = "POST"
    urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
    urlRequest.timeoutInterval = options.idleTimeoutInterval
    for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
    urlRequest.httpBody = request.body

    let task = session.dataTask(with: urlRequest)
    let identifier = task.taskIdentifier
    let limit = options.maxResponseBytes
    let router = self.router
    let result = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        router.register(identifier, limit: limit, continuation: continuation)
        let deadline = DispatchTime.now() + options.totalTimeout.timeInterval
        DispatchQueue.global().asyncAfter(deadline: deadline) { [weak task] in
          if router.fail(identifier, with: .timedOut) { task?.cancel() }
        }
        task.resume()
      }
    } onCancel: {
      if router.fail(identifier, with: .cancelled) { task.cancel() }
    }
    return try result.get()
  }
}

/// Routes URLSession delegate callbacks to the waiting request, by task identifier.
private final class TaskRouter: NSObject, URLSessionDataDelegate, Sendable {
  private struct Pending {
    var continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>
    var limit: Int
    var response: HTTPURLResponse?
    var body = Data()
    var forcedFailure: TransportFailure?
  }

  private let pending = Mutex<[Int: Pending]>([:])

  func register(
    _ identifier: Int, limit: Int,
    continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>
  ) {
    pending.withLock { $0[identifier] = Pending(continuation: continuation, limit: limit) }
  }

  /// Marks a still-running task as failed; returns whether the caller should cancel it.
  func fail(_ identifier: Int, with failure: TransportFailure) -> Bool {
    pending.withLock { table in
      guard table[identifier] != nil, table[identifier]?.forcedFailure == nil else { return false }
      table[identifier]?.forcedFailure = failure
      return true
    }
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    let tooLarge = pending.withLock { table -> Bool in
      guard var entry = table[dataTask.taskIdentifier] else { return false }
      entry.response = response as? HTTPURLResponse
      if response.expectedContentLength > Int64(entry.limit) {
        entry.forcedFailure = entry.forcedFailure ?? .responseTooLarge(limit: entry.limit)
      }
      table[dataTask.taskIdentifier] = entry
      return entry.forcedFailure != nil
    }
    completionHandler(tooLarge ? .cancel : .allow)
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    let tooLarge = pending.withLock { table -> Bool in
      guard var entry = table[dataTask.taskIdentifier], entry.forcedFailure == nil else {
        return false
      }
      if entry.body.count + data.count > entry.limit {
        entry.forcedFailure = .responseTooLarge(limit: entry.limit)
        entry.body = Data()
      } else {
        entry.body.append(data)
      }
      table[dataTask.taskIdentifier] = entry
      return entry.forcedFailure != nil
    }
    if tooLarge { dataTask.cancel() }
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask,
    willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
    completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?
  ) {
    guard let entry = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else {
      return
    }
    let result: Result<HTTPResponse, TransportFailure>
    if let failure = entry.forcedFailure {
      result = .failure(failure)
    } else if let error {
      result = .failure(Self.classify(error))
    } else if let response = entry.response {
      var headers: [String: String] = [:]
      for (key, value) in response.allHeaderFields {
        if let key = key as? String, let value = value as? String {
          headers[key.lowercased()] = value
        }
      }
      result = .success(
        HTTPResponse(status: response.statusCode, headers: headers, body: entry.body))
    } else {
      result = .failure(.connectionReset)
    }
    entry.continuation.resume(returning: result)
  }

  private static func classify(_ error: any Error) -> TransportFailure {
    guard let urlError = error as? URLError else { return .other(code: -1) }
    switch urlError.code {
    case .timedOut: return .timedOut
    case .networkConnectionLost, .badServerResponse, .cannotParseResponse,
      .zeroByteResource, .cannotDecodeContentData, .cannotDecodeRawData:
      return .connectionReset
    case .unknown:
      // swift-corelibs-foundation reports libcurl's mid-transfer failures, such as "transfer
      // closed with N bytes remaining to read" (a body cut short of its Content-Length), as
      // URLError.unknown: the connection ended before the whole response arrived.
      return .connectionReset
    case .cannotConnectToHost, .notConnectedToInternet: return .cannotConnect
    case .cannotFindHost, .dnsLookupFailed: return .cannotFindHost
    case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
      .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot,
      .clientCertificateRejected, .clientCertificateRequired:
      return .secureConnectionFailed
    case .cancelled: return .cancelled
    default: return .other(code: urlError.code.rawValue)
    }
  }
}

extension Duration {
  /// The duration in seconds, as Foundation's `TimeInterval`.
  var timeInterval: TimeInterval {
    let (seconds, attoseconds) = components
    return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
  }
}
