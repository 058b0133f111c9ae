// Measures SigV4 signing in-process (scripts/bench's "signing one request" row): signs a
// ListUsers request, as the support mode sends it, many times and prints the median of five
// rounds, in microseconds per request. A benchmark: it measures and asserts nothing.
//
// usage: sigv4-bench [REQUESTS_PER_ROUND]

import AccountCore
import FoundationEssentials
import HTTPStack
import SigV4

let perRound = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let request = HTTPRequest(
  url: URL(string: "https://cognito-idp.eu-west-1.amazonaws.com/")!,
  headers: [
    ("Content-Type", "application/x-amz-json-1.1"),
    ("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUsers"),
    ("User-Agent", "cognito-account/0.1.0"), ("Accept", "application/json"),
  ],
  body: Data(#"{"Filter":"email ^= \"zoe\"","Limit":60,"UserPoolId":"eu-west-1_AbCdEf123"}"#.utf8))
let credentials = AWSCredentials(
  accessKeyID: "ASIAEXAMPLEEXAMPLE12", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: Sensitive(String(repeating: "FwoGZXIvYXdzEBYaDKm", count: 40)))
let signer = SigV4Signer(region: "eu-west-1", service: "cognito-idp")
var rounds: [Double] = []
var checksum = 0
for _ in 0..<5 {
  let started = ContinuousClock.now
  for index in 0..<perRound {
    let signed = signer.sign(
      request, credentials: credentials, date: Date(timeIntervalSince1970: Double(index)))
    checksum &+= signed.headers.count
  }
  let elapsed = ContinuousClock.now - started
  let seconds =
    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  rounds.append(seconds / Double(perRound) * 1e6)
}
rounds.sort()
print(
  "\(PlainFormat.oneDecimal(rounds[2])) µs per request (median of 5 rounds of \(perRound); min \(PlainFormat.oneDecimal(rounds[0])), max \(PlainFormat.oneDecimal(rounds[4]))) [\(checksum % 7)]"
)
