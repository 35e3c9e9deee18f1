import KlaxonCore

/// The subset of Go's `net/url.Parse` that Alertmanager's URL fields need, to reproduce its error messages.
enum GoURL {
    /// Alertmanager's message for a URL field that it rejects, or nil when the URL is accepted.
    static func validationError(_ raw: String) -> String? {
        let parsed: (scheme: String, host: String?)
        switch parse(raw) {
        // Go quotes the whole URL; the userinfo is left out here so that a password never reaches a message.
        case .failure(let message): return "parse \(GoQuote.quote(GoURLText.withoutUserinfo(raw))): \(message)"
        case .success(let value): parsed = value
        }
        let scheme = parsed.scheme.lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "unsupported scheme \(GoQuote.quote(scheme)) for URL"
        }
        guard let host = parsed.host, !host.isEmpty else { return "missing host for URL" }
        return nil
    }

    enum Parsed {
        case success((scheme: String, host: String?))
        case failure(String)
    }

    static func parse(_ raw: String) -> Parsed {
        if raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure("net/url: invalid control character in URL")
        }
        var rest = Substring(raw)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        // getScheme
        var scheme = ""
        for (i, c) in rest.enumerated() {
            if c.isASCII && c.isLetter { continue }
            if c.isASCII && (c.isNumber || c == "+" || c == "-" || c == ".") {
                if i == 0 { break }
                continue
            }
            if c == ":" {
                if i == 0 { return .failure("missing protocol scheme") }
                scheme = String(rest.prefix(i))
                rest = rest.dropFirst(i + 1)
            }
            break
        }
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        if scheme.isEmpty {
            let firstSegment = rest.prefix { $0 != "/" }
            if !rest.hasPrefix("/"), firstSegment.contains(":") {
                return .failure("first path segment in URL cannot contain colon")
            }
        }
        var host: String?
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let authority = afterSlashes.prefix { $0 != "/" }
            rest = afterSlashes.dropFirst(authority.count)
            var hostPart = authority
            if let at = authority.lastIndex(of: "@") { hostPart = authority[authority.index(after: at)...] }
            if let message = validateHost(hostPart) { return .failure(message) }
            host = String(hostPart)
        }
        if let message = validateEscapes(rest) { return .failure(message) }
        return .success((scheme, host))
    }

    private static func validateHost(_ host: Substring) -> String? {
        var name = host
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "missing ']' in host" }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), after.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    return "invalid port \(GoQuote.quote(String(after))) after host"
                }
            }
            return nil
        }
        if let colon = host.lastIndex(of: ":") {
            let port = host[colon...]
            guard port.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return "invalid port \(GoQuote.quote(String(port))) after host"
            }
            name = host[..<colon]
        }
        if let message = validateEscapes(name) { return message }
        let allowed = Set("!$&'()*+,;=:[]<>\"-._~%")
        for c in name where !(c.isASCII && (c.isLetter || c.isNumber)) && !allowed.contains(c) && c.isASCII {
            return "invalid character \(GoQuote.quote(String(c))) in host name"
        }
        return nil
    }

    private static func validateEscapes(_ s: Substring) -> String? {
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            if chars[i] == "%" {
                let end = min(i + 3, chars.count)
                let escape = String(chars[i..<end])
                guard i + 2 < chars.count, chars[i + 1].isHexDigit, chars[i + 2].isHexDigit else {
                    return "invalid URL escape \(GoQuote.quote(escape))"
                }
                i += 3
            } else {
                i += 1
            }
        }
        return nil
    }
}

/// Go's `time.Duration`, as used by a few integration fields (`retry`, `expire`, `timeout`).
public struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds.
    public let nanoseconds: Int64

    /// Creates a duration.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Parses Go's `time.ParseDuration` syntax (`1h30m`, `1.5s`, `300ms`, `-2m`).
    public init?(parsing text: String) {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("+") {
            negative = s.hasPrefix("-")
            s = s.dropFirst()
        }
        if s == "0" {
            self.init(nanoseconds: 0)
            return
        }
        guard !s.isEmpty else { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : number)
            else { return nil }
            s = s.dropFirst(number.count)
            let unit = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let factor = units.first(where: { $0.0 == String(unit) })?.1 else { return nil }
            s = s.dropFirst(unit.count)
            total += value * factor
        }
        guard total < 9.2e18 else { return nil }
        self.init(nanoseconds: Int64(negative ? -total : total))
    }

    /// Go's `Duration.String()`: `1h0m0s`, `1m30s`, `500ms`, `0s`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let n = nanoseconds.magnitude
        var out: String
        if n < 1_000_000_000 {
            let (unit, size): (String, UInt64) =
                n < 1_000 ? ("ns", 1) : n < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            out = Self.fraction(n, size) + unit
        } else {
            let hours = n / 3_600_000_000_000
            let minutes = (n / 60_000_000_000) % 60
            let secondsPart = n % 60_000_000_000
            out = Self.fraction(secondsPart, 1_000_000_000) + "s"
            if hours > 0 {
                out = "\(hours)h\(minutes)m" + out
            } else if minutes > 0 {
                out = "\(minutes)m" + out
            }
        }
        return negative ? "-" + out : out
    }

    private static func fraction(_ value: UInt64, _ size: UInt64) -> String {
        let whole = value / size
        var frac = value % size
        guard frac > 0 else { return "\(whole)" }
        var digits = String(size).count - 1
        var text = ""
        while frac > 0, digits > 0 {
            let place = UInt64(pow10(digits - 1))
            text += "\(frac / place)"
            frac %= place
            digits -= 1
        }
        return "\(whole)." + text
    }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 10 } }

    /// Orders by length.
    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

/// Go's `filepath.Join` + `Clean` for resolving relative paths against the config's directory.
enum FilePath {
    static func join(_ base: String, _ path: String) -> String {
        if path.isEmpty || path.hasPrefix("/") || base.isEmpty { return clean(path) }
        return clean(base + "/" + path)
    }

    static func clean(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory part (`filepath.Dir`).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : clean(dir)
    }
}
