/// A YAML document tree used to render configs the way Alertmanager (Go's `gopkg.in/yaml.v2`) marshals them.
public indirect enum YAMLValue: Sendable, Hashable {
    /// A string; quoted as yaml.v2 would quote it.
    case string(String)
    /// A scalar written verbatim (numbers, booleans).
    case literal(String)
    /// A sequence; `flow` renders it as `[a, b]`.
    case sequence([YAMLValue], flow: Bool = false)
    /// A mapping in key order.
    case mapping([(String, YAMLValue)])
    /// A mapping rendered in flow style (`{a: b}`).
    case flowMapping([(String, YAMLValue)])

    /// A boolean scalar.
    static func bool(_ value: Bool) -> YAMLValue { .literal(value ? "true" : "false") }
    /// An integer scalar.
    static func int(_ value: some BinaryInteger) -> YAMLValue { .literal("\(value)") }

    /// Whether this is an empty sequence or mapping (yaml.v2 omits those with `omitempty`).
    var isEmptyCollection: Bool {
        switch self {
        case .sequence(let items, _): items.isEmpty
        case .mapping(let pairs), .flowMapping(let pairs): pairs.isEmpty
        default: false
        }
    }

    /// Equality (tuples in `.mapping` keep the synthesized conformance from working).
    public static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.literal(let a), .literal(let b)): a == b
        case (.sequence(let a, let fa), .sequence(let b, let fb)): a == b && fa == fb
        case (.mapping(let a), .mapping(let b)), (.flowMapping(let a), .flowMapping(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Hashes the structure.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let s):
            hasher.combine(0)
            hasher.combine(s)
        case .literal(let s):
            hasher.combine(1)
            hasher.combine(s)
        case .sequence(let items, let flow):
            hasher.combine(2)
            hasher.combine(items)
            hasher.combine(flow)
        case .mapping(let pairs), .flowMapping(let pairs):
            hasher.combine(3)
            for (key, value) in pairs {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }
}

/// Builds a mapping, skipping nil values (yaml.v2 `omitempty`).
struct YAMLMappingBuilder {
    private(set) var pairs: [(String, YAMLValue)] = []

    /// Adds a pair unconditionally.
    mutating func add(_ key: String, _ value: YAMLValue) { pairs.append((key, value)) }

    /// Adds a string unless it is nil or empty.
    mutating func add(_ key: String, omitEmpty value: String?) {
        if let value, !value.isEmpty { pairs.append((key, .string(value))) }
    }

    /// Adds a value unless it is nil or an empty collection.
    mutating func add(_ key: String, omitEmpty value: YAMLValue?) {
        if let value, !value.isEmptyCollection { pairs.append((key, value)) }
    }

    /// Adds a list of strings unless it is empty.
    mutating func add(_ key: String, omitEmpty values: [String], flow: Bool = false) {
        if !values.isEmpty { pairs.append((key, .sequence(values.map { .string($0) }, flow: flow))) }
    }

    var value: YAMLValue { .mapping(pairs) }
}
