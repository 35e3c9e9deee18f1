/// Silences indexed by one equality-like matcher each, so muting an alert touches only silences that can
/// match: a silence is filed under the `(name, value)` of an `=` matcher with a non-empty value, or under every
/// literal of a `=~"a|b|c"` matcher whose literals are all non-empty (such matchers reject an absent label,
/// so an alert can only match through one of its own labels). Silences with no such matcher are unindexed and
/// always examined.
struct SilenceMuteIndex: Sendable {
    /// Silence IDs per label.
    private(set) var buckets: [Label: [String]] = [:]
    /// Silences without an indexable matcher.
    private(set) var unindexed: Set<String> = []
    private var keysByID: [String: [Label]] = [:]

    /// Files `silence` (replacing any previous filing of its ID) under its most selective indexable matcher.
    mutating func insert(_ silence: Silence) {
        remove(id: silence.id)
        var best: [Label]?
        var bestCost = Int.max
        for matcher in silence.matchers {
            guard let keys = Self.keys(for: matcher) else { continue }
            let cost = keys.reduce(0) { $0 + (buckets[$1]?.count ?? 0) } * 16 + keys.count
            if cost < bestCost {
                best = keys
                bestCost = cost
            }
        }
        guard let best else {
            unindexed.insert(silence.id)
            keysByID[silence.id] = []
            return
        }
        for key in best { buckets[key, default: []].append(silence.id) }
        keysByID[silence.id] = best
    }

    /// Unfiles `id`.
    mutating func remove(id: String) {
        guard let keys = keysByID.removeValue(forKey: id) else { return }
        if keys.isEmpty { unindexed.remove(id) }
        for key in keys {
            // Mutated in place through the dictionary's accessor: no copy of the bucket.
            buckets[key]?.removeAll { $0 == id }
            if buckets[key]?.isEmpty == true { buckets[key] = nil }
        }
    }

    /// The labels a matcher can be filed under, or nil when it may match an absent label or many values.
    static func keys(for matcher: Matcher) -> [Label]? {
        guard let values = matcher.acceptedValues, !values.contains(where: \.isEmpty) else { return nil }
        return values.map { Label(name: matcher.name, value: $0) }
    }
}
