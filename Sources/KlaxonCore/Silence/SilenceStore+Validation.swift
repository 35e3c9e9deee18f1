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
            // Alertmanager's silences compile the pattern as it is, not anchored, so Go quotes it alone.
            if spec.type.isRegex {
                do {
                    _ = try GoLinearRegexp(compiling: spec.value)
                } catch {
                    throw .invalid(Self.invalidRegex(index, spec.value, error.description))
                }
            }
            let matcher: Matcher
            do {
                matcher = try Matcher(type: spec.type, name: spec.name, value: spec.value)
            } catch {
                throw .invalid(Self.invalidRegex(index, spec.value, error.message))
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

    private static func invalidRegex(_ index: Int, _ pattern: String, _ reason: String) -> String {
        "invalid label matcher \(index): invalid regular expression \(GoQuote.quote(pattern)): \(reason)"
    }
}
