import KlaxonGoCompat

/// A regular expression anchored at both ends, as Alertmanager compiles every matcher regex (`^(?:re)$`).
///
/// Values with no metacharacters, and alternations of such literals (`a|b|c`, very common in routes),
/// are matched without the regex engine. Other patterns run on `GoLinearRegexp`, which like Go's engine takes
/// time linear in the value: matchers come from API clients (silences, filters), and a backtracking engine would
/// let `(a+)+$` stall every listing and flush. No matcher reaches ICU (`NSRegularExpression`), which keeps the
/// UTF-16 copy of every pattern longer than 256 units that it compiles.
struct AnchoredRegex: Sendable {
    private enum Kind: Sendable {
        case literal(String)
        case alternatives(Set<String>)
        /// The whole value against `re`.
        case linear(GoLinearRegexp)
        /// `^(?:re)$` searched in the value, for a pattern that only compiles inside Alertmanager's anchoring
        /// (`a)(b` is `^(?:a)(b)$`).
        case anchored(GoLinearRegexp)
    }

    private let kind: Kind

    init(_ source: String) throws(MatcherError) {
        if let literals = AnchoredRegex.literalAlternatives(source) {
            kind = literals.count == 1 ? .literal(literals[0]) : .alternatives(Set(literals))
            return
        }
        // What Alertmanager compiles, so its error (Go's, quoting `^(?:re)$`) is the one users see.
        let anchored: GoLinearRegexp
        do {
            anchored = try GoLinearRegexp(compiling: "^(?:\(source))$")
        } catch {
            throw MatcherError(error.description)
        }
        // A pattern that compiles alone matches a whole value exactly when `^(?:re)$` matches it.
        if let linear = GoLinearRegexp(source) {
            kind = .linear(linear)
        } else {
            kind = .anchored(anchored)
        }
    }

    func matches(_ value: String) -> Bool {
        switch kind {
        case .literal(let literal): value == literal
        case .alternatives(let set): set.contains(value)
        case .linear(let regexp): regexp.matches(value)
        case .anchored(let regexp): regexp.matchesSubstring(value)
        }
    }

    /// Splits `a|b|c` into literals when no alternative has a regex metacharacter; nil otherwise.
    static func literalAlternatives(_ source: String) -> [String]? {
        let meta: Set<UInt8> = Set("\\.+*?()[]{}^$".utf8)
        var parts: [String] = []
        var current: [UInt8] = []
        for byte in source.utf8 {
            if meta.contains(byte) { return nil }
            if byte == UInt8(ascii: "|") {
                parts.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        parts.append(String(decoding: current, as: UTF8.self))
        return parts
    }
}
