/// One inhibition rule: alerts matching `targetMatchers` are muted while a firing alert matching
/// `sourceMatchers` has the same values for the `equal` labels.
public struct InhibitRule: Hashable, Sendable {
    /// Matchers a source (inhibiting) alert must satisfy.
    public var sourceMatchers: Matchers
    /// Matchers a target (inhibited) alert must satisfy.
    public var targetMatchers: Matchers
    /// Labels whose values must be equal in source and target (an absent label equals an absent or empty one).
    public var equal: [String]
    /// Optional rule name (Alertmanager 0.30+).
    public var name: String?

    /// Creates a rule.
    public init(sourceMatchers: Matchers, targetMatchers: Matchers, equal: [String] = [], name: String? = nil) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
        self.name = name
    }
}
