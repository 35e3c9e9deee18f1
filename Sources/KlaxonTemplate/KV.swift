/// A set of string pairs with Alertmanager's `template.KV` semantics: lookups by name, iteration and printing
/// in name order, and `SortedPairs` with `alertname` first.
public struct KV: Sendable, Hashable {
    /// One name/value pair (Alertmanager's `template.Pair`).
    public struct Pair: Sendable, Hashable {
        /// The label or annotation name.
        public var name: String
        /// The value.
        public var value: String

        /// Creates a pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The pairs, sorted by name, names unique.
    public private(set) var pairs: [Pair]

    /// Creates a KV from pairs; a later pair with the same name wins.
    public init(_ pairs: [(String, String)] = []) {
        var dict: [String: String] = [:]
        for (name, value) in pairs { dict[name] = value }
        self.init(dict)
    }

    /// Creates a KV from a dictionary.
    public init(_ dict: [String: String]) {
        pairs = dict.map { Pair(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    init(sortedUnique: [Pair]) {
        pairs = sortedUnique
    }

    /// The number of pairs.
    public var count: Int { pairs.count }

    /// The value for `name`, or nil.
    public subscript(name: String) -> String? {
        var low = 0
        var high = pairs.count
        while low < high {
            let mid = (low + high) / 2
            if pairs[mid].name < name {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low < pairs.count && pairs[low].name == name ? pairs[low].value : nil
    }

    /// The pairs with `alertname` first and the rest sorted by name (Alertmanager's `KV.SortedPairs`).
    public func sortedPairs() -> [Pair] {
        guard let index = pairs.firstIndex(where: { $0.name == "alertname" }), index != 0 else { return pairs }
        var result = pairs
        let first = result.remove(at: index)
        result.insert(first, at: 0)
        return result
    }

    /// The names in `sortedPairs()` order.
    public func names() -> [String] { sortedPairs().map(\.name) }

    /// The values in `sortedPairs()` order.
    public func values() -> [String] { sortedPairs().map(\.value) }

    /// A copy without the given names.
    public func removing(_ names: [String]) -> KV {
        let drop = Set(names)
        return KV(sortedUnique: pairs.filter { !drop.contains($0.name) })
    }
}
