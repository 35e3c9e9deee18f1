import KlaxonCore
import KlaxonGoCompat
import Yams

/// A YAML node and where it is.
struct YNode {
    let node: Node
    let path: String

    var line: Int? { node.mark?.line }
    var column: Int { node.mark?.column ?? 0 }

    /// The path of a child key.
    func path(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
}

/// Walks a composed YAML tree the way Go's yaml.v2 decodes into Alertmanager's config structs: unknown keys and
/// type mismatches are collected ("unmarshal errors") while decoding goes on; a validation error thrown by an
/// object aborts decoding at once (and wins over collected type errors), as a Go `UnmarshalYAML` error does.
final class ConfigDecoder {
    struct TypeError {
        let line: Int
        let column: Int
        let message: String
        let path: String
    }

    private(set) var typeErrors: [TypeError] = []
    /// Directory against which relative file paths resolve.
    let baseDirectory: String

    init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    /// How many type errors have been collected so far (objects validate only when their subtree added none).
    var typeErrorCount: Int { typeErrors.count }

    // MARK: Errors

    /// A validation error at a node.
    func error(_ message: String, at n: YNode?, path: String? = nil) -> ConfigError {
        ConfigError(message, path: path ?? n?.path ?? "", line: n?.line)
    }

    func recordTypeError(_ n: YNode, into goType: String) {
        let (tag, value) = describe(n.node)
        var text = tag
        if let value {
            text += value.count > 10 ? " `\(value.prefix(7))...`" : " `\(value)`"
        }
        typeErrors.append(
            TypeError(
                line: n.line ?? 0, column: n.column,
                message: "cannot unmarshal \(text) into \(goType)", path: n.path))
    }

    func recordUnknownField(_ name: String, key: YNode, goType: String) {
        typeErrors.append(
            TypeError(
                line: key.line ?? 0, column: key.column,
                message: "field \(name) not found in type \(goType)", path: key.path))
    }

    /// The collected type errors as yaml.v2 reports them, or nil.
    func unmarshalError() -> ConfigError? {
        guard !typeErrors.isEmpty else { return nil }
        let sorted = typeErrors.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        let lines = sorted.map { "  line \($0.line): \($0.message)" }
        return ConfigError(
            message: "yaml: unmarshal errors:\n" + lines.joined(separator: "\n"),
            diagnostics: sorted.map { .init(path: $0.path, line: $0.line, message: $0.message) })
    }

    // MARK: Kinds

    enum Kind { case null, string, bool, int, float, sequence, mapping }

    func kind(_ node: Node) -> Kind {
        switch node {
        case .mapping: return .mapping
        case .sequence: return .sequence
        case .alias: return .null
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else { return .string }
            let s = scalar.string
            if ["", "~", "null", "Null", "NULL"].contains(s) { return .null }
            if Self.trueWords.contains(s) || Self.falseWords.contains(s) { return .bool }
            if GoYAMLResolve.isInt(s) { return .int }
            if GoYAMLResolve.isFloat(s) || [".inf", "-.inf", "+.inf", ".nan", ".NaN", ".Inf"].contains(s) {
                return .float
            }
            return .string
        }
    }

    private func describe(_ node: Node) -> (String, String?) {
        switch kind(node) {
        case .mapping: ("!!map", nil)
        case .sequence: ("!!seq", nil)
        case .null: ("!!null", node.scalar?.string ?? "")
        case .string: ("!!str", node.scalar?.string ?? "")
        case .bool: ("!!bool", node.scalar?.string ?? "")
        case .int: ("!!int", node.scalar?.string ?? "")
        case .float: ("!!float", node.scalar?.string ?? "")
        }
    }

    static let trueWords: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    static let falseWords: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]

    func isNull(_ n: YNode?) -> Bool {
        guard let n else { return true }
        return kind(n.node) == .null
    }

    // MARK: Structure

    /// The fields of a mapping decoded into a Go struct with these YAML keys. Nil when absent or null; nil with
    /// a type error when not a mapping. Unknown keys are type errors.
    func fields(_ n: YNode?, known: [String], goType: String = "config.plain") -> Fields? {
        guard let n, !isNull(n) else { return nil }
        guard case .mapping(let mapping) = n.node else {
            recordTypeError(n, into: goType)
            return nil
        }
        let knownSet = Set(known)
        var entries: [String: (key: YNode, value: YNode)] = [:]
        var order: [String] = []
        for (keyNode, valueNode) in mapping {
            let name = keyNode.scalar?.string ?? ""
            let keyPath = n.path(name)
            if !knownSet.contains(name) {
                recordUnknownField(name, key: YNode(node: keyNode, path: keyPath), goType: goType)
                continue
            }
            if entries[name] == nil { order.append(name) }
            entries[name] = (YNode(node: keyNode, path: keyPath), YNode(node: valueNode, path: keyPath))
        }
        return Fields(decoder: self, node: n, entries: entries, order: order)
    }

    /// The elements of a sequence decoded into a Go slice type. Nil when absent or null.
    func sequence(_ n: YNode?, goType: String) -> [YNode]? {
        guard let n, !isNull(n) else { return nil }
        guard case .sequence(let sequence) = n.node else {
            recordTypeError(n, into: goType)
            return nil
        }
        return sequence.enumerated().map { YNode(node: $1, path: "\(n.path)[\($0)]") }
    }

    /// The pairs of a mapping decoded into a Go map type, in document order. Nil when absent or null.
    func pairs(_ n: YNode?, goType: String) -> [(key: String, value: YNode)]? {
        guard let n, !isNull(n) else { return nil }
        guard case .mapping(let mapping) = n.node else {
            recordTypeError(n, into: goType)
            return nil
        }
        return mapping.map {
            ($0.key.scalar?.string ?? "", YNode(node: $0.value, path: n.path($0.key.scalar?.string ?? "")))
        }
    }

    // MARK: Scalars

    /// Any scalar as text (yaml.v2 decodes every scalar into a Go string). Nil when absent or null.
    func string(_ n: YNode?) -> String? {
        guard let n, !isNull(n) else { return nil }
        guard case .scalar(let scalar) = n.node else {
            recordTypeError(n, into: "string")
            return nil
        }
        return scalar.string
    }

    func bool(_ n: YNode?) -> Bool? {
        guard let n, !isNull(n) else { return nil }
        guard kind(n.node) == .bool, let s = n.node.scalar?.string else {
            recordTypeError(n, into: "bool")
            return nil
        }
        return Self.trueWords.contains(s)
    }

    func int(_ n: YNode?, goType: String = "int", unsigned: Bool = false) -> Int? {
        guard let n, !isNull(n) else { return nil }
        guard kind(n.node) == .int, let s = n.node.scalar?.string, let value = Self.parseInt(s),
            !(unsigned && value < 0)
        else {
            recordTypeError(n, into: goType)
            return nil
        }
        return value
    }

    static func parseInt(_ text: String) -> Int? {
        var s = Substring(text.filter { $0 != "_" })
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("+") {
            negative = s.hasPrefix("-")
            s = s.dropFirst()
        }
        var radix = 10
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
            radix = 16
            s = s.dropFirst(2)
        } else if s.hasPrefix("0b") || s.hasPrefix("0B") {
            radix = 2
            s = s.dropFirst(2)
        } else if s.hasPrefix("0o") || s.hasPrefix("0O") {
            radix = 8
            s = s.dropFirst(2)
        } else if s.hasPrefix("0"), s.count > 1 {
            radix = 8
            s = s.dropFirst()
        }
        guard let magnitude = Int(s, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// A list of scalars as strings (`[]string`).
    func stringList(_ n: YNode?) -> [String]? {
        guard let items = sequence(n, goType: "[]string") else { return nil }
        return items.compactMap { string($0) }
    }

    /// A `map[string]string`, in document order.
    func stringMap(_ n: YNode?) -> [(String, String)]? {
        guard let items = pairs(n, goType: "map[string]string") else { return nil }
        return items.map { ($0.key, string($0.value) ?? "") }
    }

    /// A Prometheus duration (decoded as a string, then parsed; a bad one aborts).
    func duration(_ n: YNode?) throws(ConfigError) -> PromDuration? {
        guard let text = string(n) else { return nil }
        if text.isEmpty { throw self.error("empty duration string", at: n) }
        do {
            return try PromDuration(parsing: text)
        } catch {
            throw self.error(error.description, at: n)
        }
    }

    /// A Go `time.Duration` (`1m`, `1h30m`, `500ms`); a bad one aborts with Go's message.
    func goDuration(_ n: YNode?) throws(ConfigError) -> GoDuration? {
        guard let text = string(n) else { return nil }
        do {
            return try GoDuration(parsing: text)
        } catch {
            throw self.error(error.description, at: n)
        }
    }

    /// A secret string.
    func secret(_ n: YNode?) -> Secret? {
        string(n).map(Secret.init)
    }

    /// A path resolved against the config's directory.
    func filePath(_ n: YNode?) -> String? {
        guard let text = string(n), !text.isEmpty else { return nil }
        return GoFilePath.join(baseDirectory, text)
    }

    /// A URL (`config.URL`): must parse and use http or https with a host.
    func url(_ n: YNode?) throws(ConfigError) -> ConfigURL? {
        guard let text = string(n) else { return nil }
        if let message = GoURL.validationError(text) { throw error(message, at: n) }
        return ConfigURL(validated: text)
    }

    /// A secret URL (`config.SecretURL`).
    func secretURL(_ n: YNode?) throws(ConfigError) -> SecretURL? {
        guard let text = string(n) else { return nil }
        // Like Go's SecretURL, `<secret>` loads: a config masked by /api/v2/status must parse again (amtool's
        // `config routes` without --config.file).
        if text == Secret.masked { return SecretURL(validated: text) }
        if let message = GoURL.validationError(text) { throw error(message, at: n) }
        return SecretURL(validated: text)
    }

    /// The raw tree of a node, for integrations kept as YAML.
    func raw(_ n: YNode, secretKeys: Set<String> = []) -> YAMLValue {
        switch n.node {
        case .scalar(let scalar):
            let k = kind(n.node)
            return k == .string ? .string(scalar.string) : .literal(scalar.string)
        case .sequence(let seq):
            return .sequence(
                seq.enumerated().map { raw(YNode(node: $1, path: "\(n.path)[\($0)]"), secretKeys: secretKeys) })
        case .mapping(let map):
            return .mapping(
                map.map { key, value in
                    let name = key.scalar?.string ?? ""
                    if secretKeys.contains(name), !isNull(YNode(node: value, path: "")) {
                        return (name, .string(Secret.masked))
                    }
                    return (name, raw(YNode(node: value, path: n.path(name)), secretKeys: secretKeys))
                })
        case .alias:
            return .literal("null")
        }
    }
}

/// The known fields of one mapping.
struct Fields {
    let decoder: ConfigDecoder
    let node: YNode
    let entries: [String: (key: YNode, value: YNode)]
    /// Keys present, in document order.
    let order: [String]

    /// The value node of a key (nil when absent).
    subscript(key: String) -> YNode? { entries[key]?.value }

    /// Whether the key is present with a non-null value.
    func has(_ key: String) -> Bool { !decoder.isNull(self[key]) }

    /// The path of a key.
    func path(_ key: String) -> String { node.path(key) }

    func string(_ key: String) -> String? { decoder.string(self[key]) }
    func bool(_ key: String) -> Bool? { decoder.bool(self[key]) }
    func stringList(_ key: String) -> [String]? { decoder.stringList(self[key]) }
    func stringMap(_ key: String) -> [(String, String)]? { decoder.stringMap(self[key]) }
    func secret(_ key: String) -> Secret? { decoder.secret(self[key]) }
    func filePath(_ key: String) -> String? { decoder.filePath(self[key]) }
    func duration(_ key: String) throws(ConfigError) -> PromDuration? { try decoder.duration(self[key]) }
    func goDuration(_ key: String) throws(ConfigError) -> GoDuration? { try decoder.goDuration(self[key]) }
    func url(_ key: String) throws(ConfigError) -> ConfigURL? { try decoder.url(self[key]) }
    func secretURL(_ key: String) throws(ConfigError) -> SecretURL? { try decoder.secretURL(self[key]) }

    /// A validation error located at a key (or at the mapping itself).
    func error(_ message: String, at key: String? = nil) -> ConfigError {
        if let key, let entry = entries[key] { return decoder.error(message, at: entry.value) }
        return decoder.error(message, at: node)
    }
}
