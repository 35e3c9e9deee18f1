import Foundation

/// A value templates run against: Go's values as `text/template` sees them, limited to the types Alertmanager's
/// data model and functions produce.
public struct TemplateValue: Sendable {
    enum Storage: Sendable {
        /// Go's invalid value: untyped nil, a missing interface value. Prints as `<no value>`.
        case invalid
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case time(TemplateTime)
        /// `[]string`.
        case strings([String])
        /// `[]interface {}`.
        case list([TemplateValue])
        /// `map[string]interface {}`.
        case map([String: TemplateValue])
        case data(TemplateData)
        case alert(TemplateAlert)
        /// `template.Alerts` when `named`, else `[]template.Alert`.
        case alerts([TemplateAlert], named: Bool)
        case kv(KV)
        case pairs([KV.Pair])
        case pair(KV.Pair)
        /// `time.Duration` in nanoseconds.
        case duration(Int64)
    }

    let storage: Storage
    /// Whether this string is Go's `template.HTML` (what `safeHtml` returns): html/template prints it unescaped in
    /// HTML text.
    let isSafeHTML: Bool

    init(storage: Storage, isSafeHTML: Bool = false) {
        self.storage = storage
        self.isSafeHTML = isSafeHTML
    }

    /// Go's nil.
    public static let null = TemplateValue(storage: .invalid)
    /// A string.
    public static func string(_ value: String) -> TemplateValue { TemplateValue(storage: .string(value)) }
    /// An int.
    public static func int(_ value: Int) -> TemplateValue { TemplateValue(storage: .int(value)) }
    /// A float64.
    public static func float(_ value: Double) -> TemplateValue { TemplateValue(storage: .float(value)) }
    /// A bool.
    public static func bool(_ value: Bool) -> TemplateValue { TemplateValue(storage: .bool(value)) }
    /// A `time.Time`.
    public static func time(_ value: TemplateTime) -> TemplateValue { TemplateValue(storage: .time(value)) }
    /// A `[]string`.
    public static func strings(_ value: [String]) -> TemplateValue { TemplateValue(storage: .strings(value)) }
    /// A `[]interface{}`.
    public static func list(_ value: [TemplateValue]) -> TemplateValue { TemplateValue(storage: .list(value)) }
    /// A `time.Duration`.
    public static func duration(nanoseconds: Int64) -> TemplateValue { TemplateValue(storage: .duration(nanoseconds)) }
    /// A `map[string]interface{}`.
    public static func map(_ value: [String: TemplateValue]) -> TemplateValue { TemplateValue(storage: .map(value)) }
    /// A `template.KV`.
    public static func kv(_ value: KV) -> TemplateValue { TemplateValue(storage: .kv(value)) }
    /// A `template.Alert`.
    public static func alert(_ value: TemplateAlert) -> TemplateValue { TemplateValue(storage: .alert(value)) }

    var isValid: Bool {
        if case .invalid = storage { return false }
        return true
    }

    /// Go's type name, as error messages print it.
    var typeName: String {
        switch storage {
        case .invalid: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return isSafeHTML ? "template.HTML" : "string"
        case .time: return "time.Time"
        case .strings: return "[]string"
        case .list: return "[]interface {}"
        case .map: return "map[string]interface {}"
        case .data: return "template.Data"
        case .alert: return "template.Alert"
        case .alerts(_, let named): return named ? "template.Alerts" : "[]template.Alert"
        case .kv: return "template.KV"
        case .pairs: return "template.Pairs"
        case .pair: return "template.Pair"
        case .duration: return "time.Duration"
        }
    }

    /// Go's `reflect.Kind` family, for comparisons.
    enum Kind { case invalid, bool, int, float, string, slice, map, structure }

    var kind: Kind {
        switch storage {
        case .invalid: return .invalid
        case .bool: return .bool
        case .int, .duration: return .int
        case .float: return .float
        case .string: return .string
        case .strings, .list, .alerts, .pairs: return .slice
        case .map, .kv: return .map
        case .time, .data, .alert, .pair: return .structure
        }
    }

    /// Go's truth: false, 0, "", nil and empty collections are false; structs are true.
    var truth: Bool {
        switch storage {
        case .invalid: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .strings(let value): return !value.isEmpty
        case .list(let value): return !value.isEmpty
        case .map(let value): return !value.isEmpty
        case .alerts(let value, _): return !value.isEmpty
        case .kv(let value): return value.count > 0
        case .pairs(let value): return !value.isEmpty
        case .duration(let value): return value != 0
        case .time, .data, .alert, .pair: return true
        }
    }

    /// The elements, for `range`, `len`, `index` and `slice` on slices.
    var sliceElements: [TemplateValue]? {
        switch storage {
        case .strings(let value): return value.map { .string($0) }
        case .list(let value): return value
        case .alerts(let value, _): return value.map { .alert($0) }
        case .pairs(let value): return value.map { TemplateValue(storage: .pair($0)) }
        default: return nil
        }
    }

    var sliceCount: Int? {
        switch storage {
        case .strings(let value): return value.count
        case .list(let value): return value.count
        case .alerts(let value, _): return value.count
        case .pairs(let value): return value.count
        default: return nil
        }
    }

    /// Map entries sorted by key, for `range` and printing.
    var sortedMapEntries: [(String, TemplateValue)]? {
        switch storage {
        case .map(let value): return value.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .kv(let value): return value.pairs.map { ($0.name, .string($0.value)) }
        default: return nil
        }
    }
}
