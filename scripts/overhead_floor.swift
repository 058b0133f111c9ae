// The Swift floor of scripts/bench's "overhead over the server's answer": a minimal static Swift
// program that sends the same GetUser request as scripts/overhead_floor.c through the same
// counting proxy and decodes the JSON answer with FoundationEssentials' JSONDecoder, as a small
// Swift client would. Built with the release flags of the bench's other Swift floor. What it
// shows is what any static Swift program pays for this on this machine: the runtime's start,
// Codable's first use and the process's end, on top of the C floor.
import FoundationEssentials
import Glibc

@main enum OverheadFloor {
  struct Answer: Decodable {
    let type: String?
    let message: String?
    enum CodingKeys: String, CodingKey {
      case type = "__type"
      case message
    }
  }

  static func main() throws {
    guard
      let url = getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER").map({ String(cString: $0) }),
      let colon = url.lastIndex(of: ":"),
      let port = UInt16(url[url.index(after: colon)...].filter(\.isNumber))
    else { exit(2) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard s >= 0, connected == 0 else { exit(1) }
    let body = #"{"AccessToken":"x"}"#
    let request =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
      + "X-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\n"
      + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
    let bytes = Array(request.utf8)
    guard write(s, bytes, bytes.count) == bytes.count else { exit(1) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let got = read(s, &buffer, buffer.count)
      if got <= 0 { break }
      response += buffer[0..<got]
    }
    let separator: [UInt8] = [13, 10, 13, 10]
    guard
      let end = (0..<max(0, response.count - 3)).first(where: {
        Array(response[$0..<$0 + 4]) == separator
      })
    else { exit(1) }
    let answer = try JSONDecoder().decode(Answer.self, from: Data(response[(end + 4)...]))
    print(answer.type ?? "", answer.message ?? "")
  }
}
