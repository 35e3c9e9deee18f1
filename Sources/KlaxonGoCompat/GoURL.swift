import Foundation

/// Go's `net/url`: `url.Parse` and `url.ParseRequestURI` (the parts that decide whether a URL is accepted, and
/// with which message), `QueryEscape`, `PathEscape`, and a safe form of a URL for messages.
public struct GoURL: Sendable, Hashable {
    /// The scheme, lowercased as Go stores it; empty for a relative reference.
    public var scheme: String
    /// The host and port as written (escapes kept); empty when there is no authority.
    public var host: String
    /// For a URL such as `mailto:x` (a scheme and no leading `/`), what follows the scheme.
    public var opaque: String

    /// A URL failed to parse: Go's `*url.Error` with `Op` "parse".
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The URL as it was passed (without the fragment when a fragment was not at fault).
        public var url: String
        /// Go's reason, such as `missing protocol scheme` or `invalid URL escape "%zz"`.
        public var message: String
        /// `parse "<url>": <message>`, as Go prints it.
        public var description: String { "parse \(GoQuote.quote(url)): \(message)" }
    }

    /// Go's `url.Parse`: accepts relative references; the fragment (after `#`) is cut off first and only its
    /// escapes are checked.
    public static func parse(_ raw: String) -> Result<GoURL, Error> {
        let hash = raw.utf8.firstIndex(of: UInt8(ascii: "#"))
        let main = hash.map { String(raw[..<$0]) } ?? raw
        switch parse(main, viaRequest: false) {
        case .failure(let message): return .failure(Error(url: main, message: message.text))
        case .success(let url):
            if let hash, let message = unescapeError(raw[raw.index(after: hash)...].utf8, host: false) {
                return .failure(Error(url: raw, message: message))
            }
            return .success(url)
        }
    }

    /// Go's `url.ParseRequestURI`: the URL must be absolute (a scheme, or a path starting with `/`), and `#` is
    /// not special.
    public static func parseRequestURI(_ raw: String) -> Result<GoURL, Error> {
        parse(raw, viaRequest: true).mapError { Error(url: raw, message: $0.text) }
    }

    /// Whether `url.ParseRequestURI` accepts `text` (go-openapi's `uri` format).
    public static func isRequestURI(_ text: String) -> Bool {
        if case .success = parseRequestURI(text) { return true }
        return false
    }

    private struct Message: Swift.Error {
        var text: String
    }

    private static func parse(_ raw: String, viaRequest: Bool) -> Result<GoURL, Message> {
        let bytes = Array(raw.utf8)
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return .failure(Message(text: "net/url: invalid control character in URL"))
        }
        if bytes.isEmpty && viaRequest { return .failure(Message(text: "empty url")) }
        var url = GoURL(scheme: "", host: "", opaque: "")
        if raw == "*" { return .success(url) }
        // getScheme
        var rest = bytes[...]
        schemeLoop: for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if offset == 0 { break schemeLoop }
            case UInt8(ascii: ":"):
                if offset == 0 { return .failure(Message(text: "missing protocol scheme")) }
                url.scheme = String(decoding: bytes[..<offset], as: UTF8.self).lowercased()
                rest = bytes[(offset + 1)...]
                break schemeLoop
            default:
                break schemeLoop
            }
        }
        // The query is cut off unchecked.
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) { rest = rest[..<question] }
        if rest.first != UInt8(ascii: "/") {
            if !url.scheme.isEmpty {
                url.opaque = String(decoding: rest, as: UTF8.self)
                return .success(url)
            }
            if viaRequest { return .failure(Message(text: "invalid URI for request")) }
            let segment = rest.prefix { $0 != UInt8(ascii: "/") }
            if segment.contains(UInt8(ascii: ":")) {
                return .failure(Message(text: "first path segment in URL cannot contain colon"))
            }
        }
        let slashes: [UInt8] = [UInt8(ascii: "/"), UInt8(ascii: "/")]
        if (!url.scheme.isEmpty || !viaRequest && !rest.starts(with: slashes + [UInt8(ascii: "/")]))
            && rest.starts(with: slashes)
        {
            let afterSlashes = rest.dropFirst(2)
            let authorityEnd = afterSlashes.firstIndex(of: UInt8(ascii: "/")) ?? afterSlashes.endIndex
            let authority = afterSlashes[..<authorityEnd]
            rest = afterSlashes[authorityEnd...]
            switch parseAuthority(authority) {
            case .failure(let message): return .failure(message)
            case .success(let host): url.host = host
            }
        }
        if let message = unescapeError(rest, host: false) { return .failure(Message(text: message)) }
        return .success(url)
    }

    /// Go's `parseAuthority` and `parseHost`: the host (after the last `@`) and port are checked first, then the
    /// userinfo.
    private static func parseAuthority(_ authority: ArraySlice<UInt8>) -> Result<String, Message> {
        let at = authority.lastIndex(of: UInt8(ascii: "@"))
        let host = at.map { authority[($0 + 1)...] } ?? authority
        if host.first == UInt8(ascii: "[") {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")) else {
                return .failure(Message(text: "missing ']' in host"))
            }
            let port = host[(close + 1)...]
            if !isValidOptionalPort(port) {
                return .failure(Message(text: "invalid port \(quoted(port)) after host"))
            }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            let port = host[colon...]
            if !isValidOptionalPort(port) {
                return .failure(Message(text: "invalid port \(quoted(port)) after host"))
            }
        }
        if let message = unescapeError(host, host: true) { return .failure(Message(text: message)) }
        if let at {
            let userinfo = authority[..<at]
            guard userinfo.allSatisfy({ isAlphanumeric($0) || userinfoPunctuation.contains($0) }) else {
                return .failure(Message(text: "net/url: invalid userinfo"))
            }
            // Username and password are unescaped separately; either may fail.
            if let message = unescapeError(userinfo, host: false) { return .failure(Message(text: message)) }
        }
        return .success(String(decoding: host, as: UTF8.self))
    }

    /// What a userinfo may hold besides letters and digits.
    private static let userinfoPunctuation = Set("-._:~!$&'()*+,;=%@".utf8)
    /// What a host may hold unescaped besides letters, digits and non-ASCII bytes.
    private static let hostPunctuation = Set("!$&'()*+,;=:[]<>\"-_.~".utf8)

    private static func isValidOptionalPort(_ port: ArraySlice<UInt8>) -> Bool {
        guard let first = port.first else { return true }
        return first == UInt8(ascii: ":") && port.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func quoted(_ bytes: some Sequence<UInt8>) -> String {
        GoQuote.quote(String(decoding: Array(bytes), as: UTF8.self))
    }

    /// The error Go's `unescape` returns for `text`, or nil: every `%` must start two hex digits; in a host a
    /// `%XX` must be a non-ASCII byte or `%25`, and ASCII characters other than letters, digits and
    /// ``!$&'()*+,;=:[]<>"-_.~`` are rejected.
    private static func unescapeError(_ text: some Collection<UInt8>, host: Bool) -> String? {
        let s = Array(text)
        var i = 0
        while i < s.count {
            switch s[i] {
            case UInt8(ascii: "%"):
                guard i + 2 < s.count, let high = GoHex.value(s[i + 1]), GoHex.value(s[i + 2]) != nil else {
                    return "invalid URL escape \(quoted(s[i..<min(i + 3, s.count)]))"
                }
                if host, high < 8, s[i + 1] != UInt8(ascii: "2") || s[i + 2] != UInt8(ascii: "5") {
                    return "invalid URL escape \(quoted(s[i..<i + 3]))"
                }
                i += 3
            default:
                if host, s[i] < 0x80, !isAlphanumeric(s[i]), !hostPunctuation.contains(s[i]) {
                    return "invalid character \(quoted(s[i...i])) in host name"
                }
                i += 1
            }
        }
        return nil
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// Go's `url.QueryEscape`: letters, digits and `-_.~` kept, space as `+`, every other byte as `%XX`.
    public static func queryEscape(_ text: String) -> String {
        escape(text, keeping: [], spaceAsPlus: true)
    }

    /// Go's `url.Values.Encode`: `key=value` pairs joined by `&`, both query-escaped, sorted by key (the values
    /// of one key keep their order).
    public static func encodeQuery(_ pairs: [(String, String)]) -> String {
        let sorted = pairs.enumerated().sorted { a, b in
            a.element.0 == b.element.0
                ? a.offset < b.offset : a.element.0.utf8.lexicographicallyPrecedes(b.element.0.utf8)
        }
        return sorted.map { queryEscape($0.element.0) + "=" + queryEscape($0.element.1) }.joined(separator: "&")
    }

    /// Go's `url.ParseQuery`: the pairs in order; a pair with a bad escape or a `;` is dropped (Go reports an
    /// error for it and keeps the rest, which is what HTTP servers use).
    public static func parseQuery(_ query: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            if part.contains(";") { continue }
            let keyValue = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = queryUnescape(keyValue[0]),
                let value = queryUnescape(keyValue.count > 1 ? keyValue[1] : "")
            else { continue }
            pairs.append((key, value))
        }
        return pairs
    }

    /// Go's `url.QueryUnescape`: `%XX` is a byte and `+` a space; nil when an escape is malformed.
    public static func queryUnescape(_ text: some StringProtocol) -> String? {
        unescape(text, plusAsSpace: true)
    }

    /// Go's `url.PathUnescape`: `%XX` is a byte, `+` stays; nil when an escape is malformed.
    public static func pathUnescape(_ text: some StringProtocol) -> String? {
        unescape(text, plusAsSpace: false)
    }

    private static func unescape(_ text: some StringProtocol, plusAsSpace: Bool) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var rest = Array(text.utf8)[...]
        while let byte = rest.popFirst() {
            switch byte {
            case UInt8(ascii: "+") where plusAsSpace: out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard rest.count >= 2, let high = GoHex.value(rest[rest.startIndex]),
                    let low = GoHex.value(rest[rest.startIndex + 1])
                else { return nil }
                out.append(high << 4 | low)
                rest = rest.dropFirst(2)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `url.PathEscape` for one path segment: letters, digits, `-_.~` and the reserved characters
    /// `$&+:=@` kept, every other byte (space included) as `%XX`.
    public static func pathEscape(_ text: String) -> String {
        escape(text, keeping: Set("$&+:=@".utf8), spaceAsPlus: false)
    }

    /// Go's `url.QueryEscape` of bytes that need not be valid UTF-8 (a Go string cut in the middle of a character).
    public static func queryEscape(bytes: [UInt8]) -> String {
        escape(bytes, keeping: [], spaceAsPlus: true)
    }

    private static func escape(_ text: String, keeping reserved: Set<UInt8>, spaceAsPlus: Bool) -> String {
        escape(Array(text.utf8), keeping: reserved, spaceAsPlus: spaceAsPlus)
    }

    private static func escape(_ bytes: [UInt8], keeping reserved: Set<UInt8>, spaceAsPlus: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                out.append(UInt8(ascii: "+"))
            case _ where reserved.contains(byte):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), upperHex[Int(byte >> 4)], upperHex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text without `user:password@`, for messages: everything between the scheme and the last `@` goes.
    /// The text may not parse (that is often why it is being reported), and a password may itself contain `/`,
    /// `?` or `#`.
    public static func withoutUserinfo(_ raw: String) -> String {
        guard let at = raw.lastIndex(of: "@") else { return raw }
        let start = raw.range(of: "://").map(\.upperBound) ?? raw.startIndex
        guard start <= at else { return raw }
        return String(raw[..<start] + raw[raw.index(after: at)...])
    }
}
