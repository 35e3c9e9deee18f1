/// Which tenants a silence can ever mute, read from its matchers on the tenant label.
///
/// A tenant-admin may only create silences confined to its tenants, and sees only those: a silence is confined
/// to tenants T when one of its positive matchers on the tenant label accepts nothing but names in T (an
/// equality, or a regex that is a plain alternation of names such as `finance|hr`; Alertmanager anchors every
/// regex, so `finance` cannot match `finance-eu`). Matchers are ANDed, so several such matchers confine the
/// silence to the intersection. Anything else (no tenant matcher, `!=`, `!~`, a regex with metacharacters) is
/// not confined: it could mute another tenant's alerts.
public enum SilenceConfinement {
    /// The tenants the matchers confine a silence to, or nil when they do not confine it.
    public static func tenants(of matchers: [SilenceMatcherSpec], tenantLabel: String) -> Set<String>? {
        var confined: Set<String>?
        for matcher in matchers where matcher.name == tenantLabel {
            let names: Set<String>?
            switch matcher.type {
            case .equal: names = [matcher.value]
            case .regexMatch: names = literalAlternatives(matcher.value)
            case .notEqual, .regexNoMatch: names = nil
            }
            guard let names else { continue }
            confined = confined.map { $0.intersection(names) } ?? names
        }
        return confined
    }

    /// Whether `principal` may create or change a silence with these matchers; when it may not, the reason, worded
    /// for the 403 answer with the matcher to add.
    public static func check(
        _ matchers: [SilenceMatcherSpec], by principal: Principal, tenantLabel: String
    ) -> AccessDenied? {
        guard principal.may(.writeSilences) else {
            return AccessDenied("\(principal.name) (\(principal.role.rawValue)) may not create or expire silences")
        }
        guard case .tenants(let allowed) = principal.scope else { return nil }
        if isVisible(matchers, in: principal.scope, tenantLabel: tenantLabel) { return nil }
        return AccessDenied(
            "silence is not confined to your tenants: add the matcher \(suggestedMatcher(allowed, tenantLabel))")
    }

    /// Whether a silence with these matchers is visible to `scope` (and may be changed within it): every silence for
    /// `.all`, else only the silences confined to some of the scope's tenants.
    public static func isVisible(_ matchers: [SilenceMatcherSpec], in scope: TenantScope, tenantLabel: String) -> Bool {
        switch scope {
        case .all: return true
        case .tenants(let allowed):
            guard let confined = tenants(of: matchers, tenantLabel: tenantLabel), !confined.isEmpty else {
                return false
            }
            return confined.isSubset(of: allowed)
        }
    }

    /// The matcher that confines a silence to `tenants`: `label="t"` for one, `label=~"a|b"` (escaped) for several.
    public static func suggestedMatcher(_ tenants: Set<String>, _ tenantLabel: String) -> String {
        let sorted = tenants.sorted()
        if sorted.count == 1 {
            return SilenceMatcherSpec(type: .equal, name: tenantLabel, value: sorted[0]).description
        }
        let alternation = sorted.map(escapeRegexLiteral).joined(separator: "|")
        return SilenceMatcherSpec(type: .regexMatch, name: tenantLabel, value: alternation).description
    }

    private static let metacharacters: Set<Character> = [
        "\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$",
    ]

    private static func escapeRegexLiteral(_ s: String) -> String {
        var out = ""
        for c in s {
            if metacharacters.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The names a regex accepts when it is a plain alternation of literals (`a|b`, `(a|b)`, `(?:a|b)`, with
    /// metacharacters escaped by `\`), or nil when it is anything else.
    static func literalAlternatives(_ regex: String) -> Set<String>? {
        var body = Substring(regex)
        if body.hasPrefix("(?:"), body.hasSuffix(")"), !body.hasSuffix("\\)") {
            body = body.dropFirst(3).dropLast()
        } else if body.hasPrefix("("), !body.hasPrefix("(?"), body.hasSuffix(")"), !body.hasSuffix("\\)") {
            body = body.dropFirst().dropLast()
        }
        var names: Set<String> = []
        var current = ""
        var escaped = false
        for c in body {
            if escaped {
                // Only an escaped punctuation character is a literal; `\d`, `\w`... are classes.
                guard metacharacters.contains(c) || c == "-" || c == "/" else { return nil }
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "|" {
                names.insert(current)
                current = ""
            } else if metacharacters.contains(c) {
                return nil
            } else {
                current.append(c)
            }
        }
        guard !escaped else { return nil }
        names.insert(current)
        return names
    }
}

/// A refusal with the message the API answers with (403).
public struct AccessDenied: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message for the caller.
    public var message: String
    /// Creates a refusal.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
