import Foundation
import FoundationNetworking
let url = URL(string: CommandLine.arguments[1])!
var r = URLRequest(url: url); r.httpMethod = "POST"; r.httpBody = Data("{}".utf8)
let sem = DispatchSemaphore(value: 0)
URLSession.shared.dataTask(with: r) { d, resp, err in
  if let e = err as NSError? { print("domain", e.domain, "code", e.code, e.localizedDescription, (e.userInfo[NSUnderlyingErrorKey] as? NSError).map { "\($0.domain) \($0.code)" } ?? "-") }
  else { print("ok", d?.count ?? -1) }
  sem.signal()
}.resume()
sem.wait()
