import KlaxonGoCompat

extension SilenceStore {
    /// Alertmanager 0.25's `validateSilence` for the matchers: at least one; each with a valid label name and
    /// (for regex operators) a compiling regex, reported by index; then at least one that does not match `""`
    /// (`=` with a non-empty value or `=~` not matching `""`; `!=` and `!~` always count as not matching).
    public static func validate(_ specs: [SilenceMatcherSpec]) throws(SilenceError) -> [Matcher] {
        guard !specs.isEmpty else { throw .invalid("at least one matcher required") }
        var matchers: [Matcher] = []
        matchers.reserveCapacity(specs.count)
        var allMatchEmpty = true
        for (index, spec) in specs.enumerated() {
            guard LabelName.isValid(spec.name) else {
                throw .invalid("invalid label matcher \(index): invalid label name \(GoQuote.quote(spec.name))")
            }
            let matcher: Matcher
            do {
                matcher = try Matcher(type: spec.type, name: spec.name, value: spec.value)
            } catch {
                let reason = unanchoredRegexError(error.message, source: spec.value)
                throw .invalid(
                    "invalid label matcher \(index): invalid regular expression \(GoQuote.quote(spec.value)): \(reason)"
                )
            }
            switch spec.type {
            case .equal, .regexMatch: allMatchEmpty = allMatchEmpty && matcher.matches("")
            case .notEqual, .regexNoMatch: allMatchEmpty = false
            }
            matchers.append(matcher)
        }
        guard !allMatchEmpty else { throw .invalid("at least one matcher must not match the empty string") }
        return matchers
    }

    /// Matcher errors quote the anchored expression `^(?:re)$`; the silence store compiles `re` unanchored,
    /// so Go quotes `re` itself.
    private static func unanchoredRegexError(_ message: String, source: String) -> String {
        let anchored = "`^(?:\(source))$`"
        if message.hasSuffix(anchored) {
            return String(message.dropLast(anchored.count)) + "`\(source)`"
        }
        if message.hasPrefix("error parsing regexp: missing closing ]: "), message.hasSuffix(")$`") {
            return String(message.dropLast(3)) + "`"
        }
        return message
    }
}
