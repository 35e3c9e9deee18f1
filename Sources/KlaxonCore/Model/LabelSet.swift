import KlaxonGoCompat

/// One label: a name and its value.
public struct Label: Hashable, Sendable {
    /// The label name.
    public var name: String
    /// The label value.
    public var value: String

    /// Creates a label.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An immutable set of labels kept sorted by name, as Prometheus' `model.LabelSet`.
///
/// Stored as one sorted array: compact (a million alerts are held in memory) and cheap to fingerprint.
public struct LabelSet: Hashable, Sendable {
    /// The labels, sorted by name, names unique.
    public let labels: [Label]

    /// The empty label set.
    public static let empty = LabelSet(sorted: [])

    /// Creates a label set from a dictionary.
    public init(_ dictionary: [String: String]) {
        self.labels = dictionary.map { Label(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    /// Creates a label set from pairs; a later duplicate name replaces an earlier one.
    public init(pairs: [(String, String)]) {
        var dictionary: [String: String] = [:]
        for (name, value) in pairs { dictionary[name] = value }
        self.init(dictionary)
    }

    /// Creates a label set from labels already sorted by name with unique names.
    public init(sorted labels: [Label]) {
        self.labels = labels
    }

    /// The value of `name`, or nil when the label is absent.
    public subscript(name: String) -> String? {
        // Label sets are small (typically < 15): a linear scan beats hashing.
        // By index: compares in place instead of copying (and retaining) every label on the way.
        for index in labels.indices where labels[index].name == name { return labels[index].value }
        return nil
    }

    /// The number of labels.
    public var count: Int { labels.count }

    /// Whether the set has no labels.
    public var isEmpty: Bool { labels.isEmpty }

    /// The label names in ascending order.
    public var names: [String] { labels.map(\.name) }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(labels.count)
        for label in labels { result[label.name] = label.value }
        return result
    }

    /// A copy restricted to the given names (names that are absent are simply absent).
    public func restricted(to names: some Collection<String>) -> LabelSet {
        LabelSet(sorted: labels.filter { names.contains($0.name) })
    }

    /// A copy without the labels whose value is the empty string.
    public func removingEmptyValues() -> LabelSet {
        labels.contains { $0.value.isEmpty } ? LabelSet(sorted: labels.filter { !$0.value.isEmpty }) : self
    }

    /// Prometheus' `LabelSet.Fingerprint()`: FNV-1a 64 over `name 0xFF value 0xFF` in name order.
    public var fingerprint: Fingerprint {
        var hash = FNV1a64()
        for label in labels {
            hash.add(label.name)
            hash.add(byte: 0xFF)
            hash.add(label.value)
            hash.add(byte: 0xFF)
        }
        return Fingerprint(hash.value)
    }

    /// Prometheus' `LabelSet.Before`: fewer labels first; for equal sizes walk the union of names in
    /// order: the set that lacks the first differing name sorts first, else the smaller value does.
    public func isBefore(_ other: LabelSet) -> Bool {
        if labels.count != other.labels.count { return labels.count < other.labels.count }
        for (left, right) in zip(labels, other.labels) {
            // The smaller name is missing from the other set; the set lacking it sorts first.
            if left.name != right.name { return left.name > right.name }
            if left.value != right.value { return left.value < right.value }
        }
        return false
    }
}

extension LabelSet {
    /// The pairs every set has with the same value (Alertmanager's `CommonLabels` and `CommonAnnotations`).
    public static func common(_ sets: [LabelSet]) -> LabelSet {
        guard let first = sets.first else { return .empty }
        var shared = first.labels
        for set in sets.dropFirst() {
            shared.removeAll { set[$0.name] != $0.value }
            if shared.isEmpty { break }
        }
        return LabelSet(sorted: shared)
    }
}

extension LabelSet: Sequence {
    /// Iterates the labels in name order.
    public func makeIterator() -> IndexingIterator<[Label]> { labels.makeIterator() }
}

extension LabelSet: ExpressibleByDictionaryLiteral {
    /// Creates a label set from a literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(pairs: elements)
    }
}

extension LabelSet: CustomStringConvertible {
    /// `{a="1", b="2"}` with Go `%q` value quoting, as Prometheus' `LabelSet.String()`.
    public var description: String {
        var out = "{"
        for (index, label) in labels.enumerated() {
            if index > 0 { out += ", " }
            out += label.name
            out += "="
            out += GoQuote.quote(label.value)
        }
        out += "}"
        return out
    }
}

/// A 64-bit label-set fingerprint, printed as 16 lowercase hex digits.
public struct Fingerprint: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The raw hash value.
    public let rawValue: UInt64

    /// Wraps a raw hash.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses 16 hex digits; nil when malformed.
    public init?(hex: String) {
        guard hex.utf8.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        self.rawValue = value
    }

    /// `%016x`.
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.utf8.count) + hex
    }

    /// Orders as the hex strings order (same as numeric order for fixed-width hex).
    public static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// FNV-1a, 64 bit.
struct FNV1a64 {
    private(set) var value: UInt64 = 14_695_981_039_346_656_037
    private static let prime: UInt64 = 1_099_511_628_211

    mutating func add(_ string: String) {
        for byte in string.utf8 { add(byte: byte) }
    }

    mutating func add(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* Self.prime
    }
}
