import Crypto
import Foundation

/// AWS Signature Version 4 (the `AWS4-HMAC-SHA256` `Authorization` header) with swift-crypto's HMAC-SHA256, as
/// aws-sdk-go's v4 signer computes it: the canonical request (method, URI path escaped again, sorted query, the
/// signed headers lower-cased and sorted, the payload's SHA-256), the string to sign and the derived signing key.
struct SigV4Signer: Sendable {
    /// The credentials to sign with.
    struct Credentials: Sendable, Hashable {
        var accessKey: String
        var secretKey: String
        /// A temporary credential's session token, sent as `X-Amz-Security-Token` (and signed).
        var sessionToken: String?
    }

    var credentials: Credentials
    var region: String
    var service: String

    /// `20150830T123600Z`.
    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }

    /// The canonical request: `method`, the path escaped again (aws-sdk-go's `EscapePath` of the escaped path), the
    /// query's pairs escaped and sorted, the headers (name lower-cased, value trimmed with inner runs of spaces
    /// collapsed, one line per name with repeated values joined by commas), the signed header names and the payload
    /// hash.
    static func canonicalRequest(
        method: String, path: String, query: String, headers: [(String, String)], payloadHash: String
    ) -> (request: String, signedHeaders: String) {
        var grouped: [String: [String]] = [:]
        for (name, value) in headers {
            let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            grouped[name.lowercased(), default: []].append(collapsed.trimmingCharacters(in: .whitespaces))
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawKey = String(kv[0])
            let rawValue = kv.count > 1 ? String(kv[1]) : ""
            let key: String = rawKey.removingPercentEncoding ?? rawKey
            let value: String = rawValue.removingPercentEncoding ?? rawValue
            pairs.append((uriEncode(key, keepSlash: false), uriEncode(value, keepSlash: false)))
        }
        pairs.sort { a, b in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let canonicalQuery = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let uri = path.isEmpty ? "/" : uriEncode(path, keepSlash: true)
        let request = [method, uri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        return (request, signedHeaders)
    }

    /// `date/region/service/aws4_request`.
    func scope(amzDate: String) -> String {
        "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
    }

    /// The string to sign for a canonical request.
    func stringToSign(canonicalRequest: String, amzDate: String) -> String {
        let hash = Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
        return "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope(amzDate: amzDate))\n\(hash)"
    }

    /// The signing key: HMAC chain over the date, region, service and `aws4_request`.
    func signingKey(amzDate: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)))
        }
        let secret = SymmetricKey(data: Array(("AWS4" + credentials.secretKey).utf8))
        return hmac(hmac(hmac(hmac(secret, String(amzDate.prefix(8))), region), service), "aws4_request")
    }

    /// The `Authorization` value for a request whose headers (`Host` and `X-Amz-Date` included) are `headers`.
    func authorization(
        method: String, path: String, query: String, headers: [(String, String)], payload: [UInt8], amzDate: String
    ) -> String {
        let (request, signedHeaders) = Self.canonicalRequest(
            method: method, path: path, query: query, headers: headers,
            payloadHash: Self.hex(SHA256.hash(data: payload)))
        let toSign = stringToSign(canonicalRequest: request, amzDate: amzDate)
        let signature = Self.hex(
            HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: signingKey(amzDate: amzDate)))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKey)/\(scope(amzDate: amzDate)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// AWS's URI encoding: every byte but `A-Z a-z 0-9 - _ . ~` (and `/` in paths) as `%XX`, upper-case hex.
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
