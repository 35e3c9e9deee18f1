/// One label matcher: `name op value`, as Alertmanager's `labels.Matcher`.
///
/// A label that is absent is matched as the empty string. Regular expressions are fully anchored.
public struct Matcher: Hashable, Sendable {
    /// The four matcher operators.
    public enum MatchType: String, Hashable, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"

        /// Whether the operator takes a regular expression.
        public var isRegex: Bool { self == .regexMatch || self == .regexNoMatch }
        /// Whether the operator is positive (`=`, `=~`).
        public var isEqual: Bool { self == .equal || self == .regexMatch }

        /// Sort rank used when ordering matchers (Go's `MatchType` enum order).
        var rank: Int {
            switch self {
            case .equal: 0
            case .notEqual: 1
            case .regexMatch: 2
            case .regexNoMatch: 3
            }
        }
    }

    /// The operator.
    public let type: MatchType
    /// The label name.
    public let name: String
    /// The value or regular expression source.
    public let value: String
    private let regex: AnchoredRegex?

    /// Creates a matcher; throws when a regex does not compile.
    public init(type: MatchType, name: String, value: String) throws(MatcherError) {
        self.type = type
        self.name = name
        self.value = value
        self.regex = type.isRegex ? try AnchoredRegex(value) : nil
    }

    /// Creates a matcher from API fields (`isEqual`, `isRegex`).
    public init(name: String, value: String, isRegex: Bool, isEqual: Bool) throws(MatcherError) {
        let type: MatchType =
            switch (isEqual, isRegex) {
            case (true, false): .equal
            case (false, false): .notEqual
            case (true, true): .regexMatch
            case (false, true): .regexNoMatch
            }
        try self.init(type: type, name: name, value: value)
    }

    /// Whether the matcher accepts `labelValue` (pass `""` for an absent label).
    public func matches(_ labelValue: String) -> Bool {
        switch type {
        case .equal: labelValue == value
        case .notEqual: labelValue != value
        case .regexMatch: regex?.matches(labelValue) ?? false
        case .regexNoMatch: !(regex?.matches(labelValue) ?? false)
        }
    }

    /// Whether the matcher accepts the label set (an absent label reads as `""`).
    public func matches(_ labels: LabelSet) -> Bool {
        matches(labels[name] ?? "")
    }

    /// Every value the matcher accepts, when there are finitely many: `[value]` for `=`, the literals of a `=~`
    /// that is a plain alternation (`a|b|c`); nil for `!=`, `!~` and any other regex. `""` among them means an
    /// absent label matches too. Unique, in the order written.
    public var acceptedValues: [String]? {
        switch type {
        case .equal:
            return [value]
        case .regexMatch:
            // The same split `AnchoredRegex` compiles such a regex with, so the values are exactly what it matches.
            guard let literals = AnchoredRegex.literalAlternatives(value) else { return nil }
            var seen: Set<String> = []
            return literals.filter { seen.insert($0).inserted }
        case .notEqual, .regexNoMatch:
            return nil
        }
    }

    /// Equality over operator, name and value (the compiled regex follows from them).
    public static func == (lhs: Matcher, rhs: Matcher) -> Bool {
        lhs.type == rhs.type && lhs.name == rhs.name && lhs.value == rhs.value
    }

    /// Hashes operator, name and value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(name)
        hasher.combine(value)
    }

    /// The order Alertmanager sorts route matchers in: name, then value, then operator.
    public static func sortOrder(_ a: Matcher, _ b: Matcher) -> Bool {
        if a.name != b.name { return a.name < b.name }
        if a.value != b.value { return a.value < b.value }
        return a.type.rank < b.type.rank
    }
}

extension Matcher: CustomStringConvertible {
    /// `name="value"` with `\`, newline and `"` escaped, as Alertmanager's `Matcher.String()`.
    public var description: String {
        "\(name)\(type.rawValue)\"\(Matcher.escape(value))\""
    }

    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x22 }) else { return value }
        var out = ""
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// A conjunction of matchers (all must match).
public struct Matchers: Hashable, Sendable {
    /// The matchers in the order given.
    public var matchers: [Matcher]

    /// Wraps a list of matchers.
    public init(_ matchers: [Matcher]) { self.matchers = matchers }

    /// No matchers: matches everything.
    public static let none = Matchers([])

    /// Whether every matcher accepts the label set.
    public func matches(_ labels: LabelSet) -> Bool {
        // By index: the element is read in place, where `for matcher in matchers` copies (and retains) each one.
        for index in matchers.indices where !matchers[index].matches(labels) { return false }
        return true
    }

    /// The matchers sorted as Alertmanager sorts route matchers.
    public var sorted: Matchers { Matchers(matchers.sorted(by: Matcher.sortOrder)) }

    /// Whether there are no matchers.
    public var isEmpty: Bool { matchers.isEmpty }
}

extension Matchers: CustomStringConvertible {
    /// `{a="1",b=~"x"}` in the stored order.
    public var description: String {
        "{" + matchers.map(\.description).joined(separator: ",") + "}"
    }
}

/// A matcher that could not be parsed or compiled.
public struct MatcherError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Alertmanager's message, e.g. `bad matcher format: foo`.
    public let message: String
    /// Byte offset into the parsed input of the offending matcher, when known.
    public let offset: Int?

    /// Creates an error.
    public init(_ message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    /// The message, as Alertmanager prints it.
    public var description: String { message }
}
