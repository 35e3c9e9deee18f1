import Foundation

/// Alertmanager's inhibitor as plain state: the rules and, per rule, the alerts that match its source side,
/// indexed by their values of the rule's `equal` labels. The engine feeds it the alert store's changes with
/// `observe` / `remove` and asks `inhibitedBy` at each pipeline run and API read.
public struct Inhibitor: Sendable {
    /// The rules, in configuration order (the first rule that inhibits wins).
    public let rules: [InhibitRule]
    private var states: [RuleState]

    /// An inhibitor with no source alerts yet.
    public init(rules: [InhibitRule]) {
        self.rules = rules
        self.states = rules.map(RuleState.init)
    }

    /// The number of cached source alerts, summed over rules.
    public var sourceCount: Int { states.reduce(0) { $0 + $1.keyByFingerprint.count } }

    /// Records an alert (new or updated) as a source of every rule whose source matchers it satisfies.
    public mutating func observe(_ alert: Alert) {
        observe(labels: alert.labels, fingerprint: alert.fingerprint, endsAt: alert.endsAt)
    }

    /// Records an alert by its parts (`endsAt` is `Date.zero` when unset).
    public mutating func observe(labels: LabelSet, fingerprint: Fingerprint, endsAt: Date) {
        for index in states.indices {
            if rules[index].sourceMatchers.matches(labels) {
                let source = Source(
                    labels: labels,
                    endsAt: endsAt,
                    matchesTarget: rules[index].targetMatchers.matches(labels)
                )
                states[index].insert(source, fingerprint: fingerprint)
            } else {
                states[index].remove(fingerprint)
            }
        }
    }

    /// Forgets an alert (deleted from the alert store).
    public mutating func remove(fingerprint: Fingerprint) {
        for index in states.indices { states[index].remove(fingerprint) }
    }

    /// Drops sources resolved at `now`; returns how many (source, rule) entries were dropped.
    @discardableResult
    public mutating func gc(now: Date) -> Int {
        var dropped = 0
        for index in states.indices { dropped += states[index].dropResolved(now: now) }
        return dropped
    }

    /// The fingerprint of a source alert inhibiting the alert with `labels`, or nil.
    ///
    /// For each rule in order: the target must match the rule's target matchers; a source qualifies when it is
    /// not resolved at `now`, is not the target itself, and has the target's values for every `equal` label
    /// (absent reads as `""`); when the target also matches the source matchers, sources that match the target
    /// matchers are ignored. Among several qualifying sources of one rule the smallest fingerprint is reported,
    /// so the answer is stable (Alertmanager 0.25 picks one in map order).
    public func inhibitedBy(_ labels: LabelSet, fingerprint: Fingerprint, now: Date) -> Fingerprint? {
        for (rule, state) in zip(rules, states) {
            guard !state.keyByFingerprint.isEmpty, rule.targetMatchers.matches(labels) else { continue }
            guard let bucket = state.buckets[state.key(for: labels)] else { continue }
            let excludeTwoSided = rule.sourceMatchers.matches(labels)
            var chosen: Fingerprint?
            for (sourceFingerprint, source) in bucket
            where source.qualifies(sourceFingerprint, target: fingerprint, excludeTwoSided: excludeTwoSided, now: now) {
                if chosen.map({ sourceFingerprint < $0 }) ?? true { chosen = sourceFingerprint }
            }
            if let chosen { return chosen }
        }
        return nil
    }

    /// Every source alert that inhibits the alert with `labels` at `now`, by the rule that each satisfies: what
    /// `inhibitedBy` decides, with all the qualifying sources of all rules (rule order, then fingerprint order).
    public func sources(inhibiting labels: LabelSet, fingerprint: Fingerprint, now: Date) -> [InhibitingSource] {
        var result: [InhibitingSource] = []
        for (index, (rule, state)) in zip(rules, states).enumerated() {
            guard !state.keyByFingerprint.isEmpty, rule.targetMatchers.matches(labels) else { continue }
            guard let bucket = state.buckets[state.key(for: labels)] else { continue }
            let excludeTwoSided = rule.sourceMatchers.matches(labels)
            result += bucket.filter { sourceFingerprint, source in
                source.qualifies(sourceFingerprint, target: fingerprint, excludeTwoSided: excludeTwoSided, now: now)
            }
            .map { InhibitingSource(rule: index, fingerprint: $0.key, labels: $0.value.labels) }
            .sorted { $0.fingerprint < $1.fingerprint }
        }
        return result
    }
}

/// A firing alert that inhibits another, and the rule (its index in `inhibit_rules`) it satisfies.
public struct InhibitingSource: Sendable, Hashable {
    /// The index of the rule in the configuration.
    public var rule: Int
    /// The source alert's fingerprint.
    public var fingerprint: Fingerprint
    /// The source alert's labels.
    public var labels: LabelSet

    /// Creates a source.
    public init(rule: Int, fingerprint: Fingerprint, labels: LabelSet) {
        self.rule = rule
        self.fingerprint = fingerprint
        self.labels = labels
    }
}

extension Inhibitor {
    fileprivate struct Source: Sendable {
        var labels: LabelSet
        var endsAt: Date
        var matchesTarget: Bool

        /// Whether this source (with `fingerprint`) inhibits the target at `now`: it is not the target, is not
        /// resolved, and is not excluded as a two-sided match.
        func qualifies(_ fingerprint: Fingerprint, target: Fingerprint, excludeTwoSided: Bool, now: Date) -> Bool {
            if fingerprint == target { return false }
            if endsAt != .zero, endsAt <= now { return false }
            return !(excludeTwoSided && matchesTarget)
        }
    }

    fileprivate struct RuleState: Sendable {
        /// The `equal` names, duplicates removed (Alertmanager holds them in a set).
        let equal: [String]
        var buckets: [[String]: [Fingerprint: Source]] = [:]
        var keyByFingerprint: [Fingerprint: [String]] = [:]

        init(_ rule: InhibitRule) {
            var seen: Set<String> = []
            equal = rule.equal.filter { seen.insert($0).inserted }
        }

        func key(for labels: LabelSet) -> [String] {
            equal.map { labels[$0] ?? "" }
        }

        mutating func insert(_ source: Source, fingerprint: Fingerprint) {
            let key = keyByFingerprint[fingerprint] ?? self.key(for: source.labels)
            keyByFingerprint[fingerprint] = key
            buckets[key, default: [:]][fingerprint] = source
        }

        mutating func remove(_ fingerprint: Fingerprint) {
            guard let key = keyByFingerprint.removeValue(forKey: fingerprint) else { return }
            buckets[key]?[fingerprint] = nil
            if buckets[key]?.isEmpty == true { buckets[key] = nil }
        }

        mutating func dropResolved(now: Date) -> Int {
            var resolved: [Fingerprint] = []
            for bucket in buckets.values {
                for (fingerprint, source) in bucket where source.endsAt != .zero && source.endsAt <= now {
                    resolved.append(fingerprint)
                }
            }
            for fingerprint in resolved { remove(fingerprint) }
            return resolved.count
        }
    }
}
