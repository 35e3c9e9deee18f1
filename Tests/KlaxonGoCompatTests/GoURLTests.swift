import KlaxonGoCompat
import Testing

@Suite struct GoURLTests {
    /// Go: "Parse parses a raw url into a URL structure. The url may be relative (a path, without a host) or
    /// absolute (starting with a scheme)." Errors read `parse "<url>": <reason>`; hosts allow letters, digits,
    /// `!$&'()*+,;=:[]<>"-_.~` and %-escapes of non-ASCII bytes (or %25); a port is digits only.
    enum Outcome: Sendable {
        case parsed(scheme: String, host: String)
        case failed(String)
    }

    static let parsed: [(String, Outcome)] = [
        ("http://alertmanager:9093/path?q=1#frag", .parsed(scheme: "http", host: "alertmanager:9093")),
        ("HTTPS://user:p%20w@host", .parsed(scheme: "https", host: "host")),
        ("http://[::1]:9093/", .parsed(scheme: "http", host: "[::1]:9093")),
        ("mailto:x%zz", .parsed(scheme: "mailto", host: "")),
        ("/relative/path", .parsed(scheme: "", host: "")),
        ("//host/x", .parsed(scheme: "", host: "host")),
        ("http://h%C3%A9st/", .parsed(scheme: "http", host: "h%C3%A9st")),
        ("", .parsed(scheme: "", host: "")),
        (":foo", .failed(#"parse ":foo": missing protocol scheme"#)),
        ("a:b:c/x", .parsed(scheme: "a", host: "")),
        ("1a:b", .failed(#"parse "1a:b": first path segment in URL cannot contain colon"#)),
        ("http://x y/", .failed(#"parse "http://x y/": invalid character " " in host name"#)),
        ("http://host:port/", .failed(#"parse "http://host:port/": invalid port ":port" after host"#)),
        ("http://[::1/", .failed(#"parse "http://[::1/": missing ']' in host"#)),
        ("http://[::1]x/", .failed(#"parse "http://[::1]x/": invalid port "x" after host"#)),
        ("http://host/%zz", .failed(#"parse "http://host/%zz": invalid URL escape "%zz""#)),
        ("http://host/%4", .failed(#"parse "http://host/%4": invalid URL escape "%4""#)),
        ("http://h%41/", .failed(#"parse "http://h%41/": invalid URL escape "%41""#)),
        ("http://u{s}@host/", .failed(#"parse "http://u{s}@host/": net/url: invalid userinfo"#)),
        ("http://host/\n", .failed("parse \"http://host/\\n\": net/url: invalid control character in URL")),
        ("http://host/#%zz", .failed(#"parse "http://host/#%zz": invalid URL escape "%zz""#)),
    ]

    @Test(arguments: parsed)
    func parseAcceptsAndRejectsAsGo(raw: String, expected: Outcome) {
        switch (GoURL.parse(raw), expected) {
        case (.success(let url), .parsed(let scheme, let host)):
            #expect(url.scheme == scheme)
            #expect(url.host == host)
        case (.failure(let error), .failed(let message)):
            #expect(error.description == message)
        case (let actual, _):
            Issue.record("\(raw): \(actual)")
        }
    }

    /// Go: "ParseRequestURI parses a raw url into a URL structure. It assumes that url was received in an HTTP
    /// request, so the url is interpreted only as an absolute URI or an absolute path. The string url is
    /// assumed not to have a #fragment suffix."
    static let requestURIs: [(String, Bool)] = [
        ("foo", false), ("/path", true), ("http://x y", false), ("http://x/%zz", false), ("mailto:x", true),
        ("#frag", false), ("?q", false), ("http://prometheus.test/graph?g0.expr=disk", true),
        ("http://user:pw@host:9090/x", true), ("http://host:port/", false), ("1http://x", false), ("*", true),
        ("", false), ("/a#b", true),
    ]

    @Test(arguments: requestURIs)
    func requestURIsMustBeAbsolute(raw: String, valid: Bool) {
        #expect(GoURL.isRequestURI(raw) == valid)
    }

    /// Go: "QueryEscape escapes the string so it can be safely placed inside a URL query." and "PathEscape
    /// escapes the string so it can be safely placed inside a URL path segment, replacing special characters
    /// (including /) with %XX sequences as needed."
    static let escaped: [(String, query: String, path: String)] = [
        ("a=~\"x y\"&z/é", "a%3D~%22x+y%22%26z%2F%C3%A9", "a=~%22x%20y%22&z%2F%C3%A9"),
        ("a b/c", "a+b%2Fc", "a%20b%2Fc"),
        ("$&+,:;=?@", "%24%26%2B%2C%3A%3B%3D%3F%40", "$&+%2C:%3B=%3F@"),
        ("-_.~AZaz09", "-_.~AZaz09", "-_.~AZaz09"),
    ]

    @Test(arguments: escaped)
    func escapingFollowsGoForQueriesAndPathSegments(input: String, query: String, path: String) {
        #expect(GoURL.queryEscape(input) == query)
        #expect(GoURL.pathEscape(input) == path)
    }

    /// Messages name a URL without its credentials, even when the URL does not parse.
    static let redacted: [(String, String)] = [
        ("http://user:pass@host:9093/", "http://host:9093/"), ("http://u:p/a?b#c@host", "http://host"),
        ("user:pass@host", "host"), ("http://host/", "http://host/"), ("http://host/@x", "http://x"),
    ]

    @Test(arguments: redacted)
    func userinfoIsLeftOutOfMessages(raw: String, expected: String) {
        #expect(GoURL.withoutUserinfo(raw) == expected)
    }
}

@Suite struct GoFilePathTests {
    /// Go: "Clean returns the shortest path name equivalent to path by purely lexical processing": multiple
    /// separators become one, `.` elements go, `..` removes the element before it (and at the root is
    /// dropped), and an empty result is ".". "Join joins any number of path elements into a single path ...
    /// The result is Cleaned." "Dir returns all but the last element of path, typically the path's directory."
    static let paths: [(base: String, path: String, joined: String)] = [
        ("/etc/am", "tmpl/*.tmpl", "/etc/am/tmpl/*.tmpl"), ("/etc/am", "/abs/x", "/abs/x"),
        ("/etc/am", "../x", "/etc/x"), ("", "a//b/./c/..", "a/b"), ("conf", "", "."), ("/", "../..", "/"),
        ("a", "../../b", "../b"),
    ]

    @Test(arguments: paths)
    func joinCleansTheResult(base: String, path: String, joined: String) {
        #expect(GoFilePath.join(base, path) == joined)
    }

    static let directories: [(String, String)] = [
        ("/etc/am/alertmanager.yml", "/etc/am"), ("alertmanager.yml", "."), ("/am.yml", "/"), ("a//b/c", "a/b"),
        ("./conf/x.yml", "conf"),
    ]

    @Test(arguments: directories)
    func directoryIsEverythingBeforeTheLastSlash(path: String, expected: String) {
        #expect(GoFilePath.directory(of: path) == expected)
    }
}

@Suite struct GoQueryTests {
    /// Go: "QueryUnescape does the inverse transformation of QueryEscape, converting each 3-byte encoded
    /// substring of the form "%AB" into the hex-decoded byte 0xAB. It returns an error if any % is not followed by
    /// two hexadecimal digits." PathUnescape "is identical to QueryUnescape except that it does not unescape '+'
    /// to ' ' (space)."
    static let unescapes: [(String, query: String?, path: String?)] = [
        ("a%20b", "a b", "a b"), ("a+b", "a b", "a+b"), ("%e2%9C%93", "✓", "✓"), ("100%", nil, nil),
        ("%g1", nil, nil), ("%4", nil, nil), ("", "", ""),
    ]

    @Test(arguments: unescapes)
    func escapesAreDecodedAsGoDecodesThem(raw: String, query: String?, path: String?) {
        #expect(GoURL.queryUnescape(raw) == query)
        #expect(GoURL.pathUnescape(raw) == path)
    }

    /// Go: ParseQuery "parses the URL-encoded query string and returns a map listing the values specified for each
    /// key ... Query is expected to be a list of key=value settings separated by ampersands. A setting without an
    /// equals sign is interpreted as a key set to an empty value. Settings containing a non-URL-encoded semicolon
    /// are considered invalid." The pairs that decode are kept, in order.
    @Test func queriesKeepEveryGoodPairInOrder() {
        let pairs = GoURL.parseQuery("filter=a%3D%221%22&silenced&filter=b+c&bad=%zz&x=1;y=2&&active=false")
        #expect(pairs.map { "\($0.0)=\($0.1)" } == [#"filter=a="1""#, "silenced=", "filter=b c", "active=false"])
    }
}

@Suite struct GoHexTests {
    /// encoding/hex: "DecodeString returns the bytes represented by the hexadecimal string s ... If the input is
    /// malformed, DecodeString returns the bytes decoded before the error" (and an error, here nil).
    static let decodes: [(String, [UInt8]?)] = [
        ("", []), ("00ff", [0, 255]), ("DeadBeef", [0xDE, 0xAD, 0xBE, 0xEF]), ("abc", nil), ("zz", nil),
        ("0x12", nil),
    ]

    @Test(arguments: decodes)
    func hexDecodesAsEncodingHex(text: String, bytes: [UInt8]?) {
        #expect(GoHex.decode(text) == bytes)
    }
}
