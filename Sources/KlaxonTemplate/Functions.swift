import Foundation
import KlaxonCore
import KlaxonGoCompat

/// The functions templates can call: Go's builtins plus Alertmanager's.
enum Functions {
    typealias CallError = TemplateFunction.CallError

    /// Every function name, for the parser's "function not defined" check.
    static let names: Set<String> = Set(all.keys).union(["and", "or", "since"])

    /// `since t`: the time elapsed from `t` to `now`, as a `time.Duration`.
    static func since(now: Date) -> TemplateFunction {
        let current = TemplateTime(date: now)
        return TemplateFunction([.time]) { args in
            guard case .time(let time) = args[0].storage else { return .null }
            let seconds = current.seconds - time.seconds
            let nanos = Int64(current.nanoseconds) - Int64(time.nanoseconds)
            return .duration(nanoseconds: seconds &* 1_000_000_000 &+ nanos)
        }
    }

    static let all: [String: TemplateFunction] = builtins.merging(alertmanager) { first, _ in first }

    // MARK: - Go builtins

    static let builtins: [String: TemplateFunction] = [
        "not": TemplateFunction([.any]) { args in .bool(!args[0].truth) },
        "len": TemplateFunction([.any]) { args throws(CallError) in
            let value = args[0]
            switch value.storage {
            case .string(let text): return .int(text.utf8.count)
            case .invalid: throw CallError("reflect: call of reflect.Value.Type on zero Value")
            default:
                if let count = value.sliceCount { return .int(count) }
                if case .kv(let kv) = value.storage { return .int(kv.count) }
                if case .map(let map) = value.storage { return .int(map.count) }
                throw CallError("len of type \(value.typeName)")
            }
        },
        "index": TemplateFunction([.any], variadic: .any) { args throws(CallError) in
            try index(args[0], Array(args.dropFirst()))
        },
        "slice": TemplateFunction([.any], variadic: .any) { args throws(CallError) in
            try slice(args[0], Array(args.dropFirst()))
        },
        "print": TemplateFunction([], variadic: .any) { args in .string(GoFormat.sprint(args)) },
        "println": TemplateFunction([], variadic: .any) { args in .string(GoFormat.sprintln(args)) },
        "printf": TemplateFunction([.string], variadic: .any) { args in
            guard case .string(let format) = args[0].storage else { return .null }
            return .string(GoFormat.sprintf(format, Array(args.dropFirst())))
        },
        "html": TemplateFunction([], variadic: .any) { args in .string(Escaping.html(escapeArgs(args))) },
        "js": TemplateFunction([], variadic: .any) { args in .string(Escaping.js(escapeArgs(args))) },
        "urlquery": TemplateFunction([], variadic: .any) { args in
            .string(GoURL.queryEscape(escapeArgs(args)))
        },
        "call": TemplateFunction([.any], variadic: .any) { args throws(CallError) in
            guard args[0].isValid else { throw CallError("call of nil") }
            throw CallError("non-function of type \(args[0].typeName)")
        },
        "eq": TemplateFunction([.any], variadic: .any) { args throws(CallError) in
            guard args.count > 1 else { throw CallError("missing argument for comparison") }
            for other in args.dropFirst() where try Comparison.equal(args[0], other) { return .bool(true) }
            return .bool(false)
        },
        "ne": TemplateFunction([.any, .any]) { args throws(CallError) in
            .bool(try !Comparison.equal(args[0], args[1]))
        },
        "lt": TemplateFunction([.any, .any]) { args throws(CallError) in .bool(try Comparison.less(args[0], args[1])) },
        "le": TemplateFunction([.any, .any]) { args throws(CallError) in
            let less = try Comparison.less(args[0], args[1])
            let equal = try Comparison.equal(args[0], args[1])
            return .bool(less || equal)
        },
        "gt": TemplateFunction([.any, .any]) { args throws(CallError) in
            let less = try Comparison.less(args[0], args[1])
            let equal = try Comparison.equal(args[0], args[1])
            return .bool(!less && !equal)
        },
        "ge": TemplateFunction([.any, .any]) { args throws(CallError) in .bool(try !Comparison.less(args[0], args[1]))
        },
    ]

    /// Go's `evalArgs` for html/js/urlquery: a lone string as is, else `fmt.Sprint` of printable values.
    private static func escapeArgs(_ args: [TemplateValue]) -> String {
        if args.count == 1, case .string(let text) = args[0].storage { return text }
        return GoFormat.sprint(args.map { $0.isValid ? $0 : .string("<no value>") })
    }

    private static func indexValue(_ value: TemplateValue, count: Int) throws(CallError) -> Int {
        switch value.storage {
        case .int(let int):
            if int < 0 || int > count { throw CallError("index out of range: \(int)") }
            return int
        case .invalid: throw CallError("cannot index slice/array with nil")
        default: throw CallError("cannot index slice/array with type \(value.typeName)")
        }
    }

    static func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(CallError) -> TemplateValue {
        guard item.isValid else { throw CallError("index of untyped nil") }
        var item = item
        for index in indexes {
            if case .string(let text) = item.storage {
                let bytes = Array(text.utf8)
                let offset = try indexValue(index, count: bytes.count)
                guard offset < bytes.count else { throw CallError("reflect: string index out of range") }
                item = .int(Int(bytes[offset]))
            } else if let count = item.sliceCount {
                let offset = try indexValue(index, count: count)
                guard offset < count else { throw CallError("reflect: slice index out of range") }
                item = item.element(at: offset)
            } else if case .kv(let kv) = item.storage {
                item = .string(kv[try mapKey(index)] ?? "")
            } else if case .map(let map) = item.storage {
                item = map[try mapKey(index)] ?? .null
            } else {
                throw CallError("can't index item of type \(item.typeName)")
            }
        }
        return item
    }

    private static func mapKey(_ value: TemplateValue) throws(CallError) -> String {
        switch value.storage {
        case .string(let key): return key
        case .invalid: throw CallError("value is nil; should be of type string")
        default: throw CallError("value has type \(value.typeName); should be string")
        }
    }

    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(CallError) -> TemplateValue {
        guard item.isValid else { throw CallError("slice of untyped nil") }
        if indexes.count > 3 { throw CallError("too many slice indexes: \(indexes.count)") }
        let count: Int
        let isString: Bool
        if case .string(let text) = item.storage {
            count = text.utf8.count
            isString = true
            if indexes.count > 2 { throw CallError("cannot 3-index slice a string") }
        } else if let sliceCount = item.sliceCount {
            count = sliceCount
            isString = false
        } else {
            throw CallError("can't slice item of type \(item.typeName)")
        }
        var bounds = [0, count, count]
        for (position, index) in indexes.enumerated() {
            bounds[position] = try indexValue(index, count: count)
        }
        if bounds[0] > bounds[1] { throw CallError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] {
            throw CallError("invalid slice index: \(bounds[1]) > \(bounds[2])")
        }
        let range = bounds[0]..<bounds[1]
        switch item.storage {
        case .string(let text) where isString:
            return .string(String(decoding: Array(text.utf8)[range], as: UTF8.self))
        case .strings(let value): return .strings(Array(value[range]))
        case .list(let value): return .list(Array(value[range]))
        case .alerts(let value, let named): return TemplateValue(storage: .alerts(Array(value[range]), named: named))
        case .pairs(let value): return TemplateValue(storage: .pairs(Array(value[range])))
        default: throw CallError("can't slice item of type \(item.typeName)")
        }
    }

    // MARK: - Alertmanager

    private static func string(_ value: TemplateValue) -> String {
        if case .string(let text) = value.storage { return text }
        return ""
    }

    static let alertmanager: [String: TemplateFunction] = [
        "toUpper": TemplateFunction([.string]) { args in .string(string(args[0]).uppercased()) },
        "toLower": TemplateFunction([.string]) { args in .string(string(args[0]).lowercased()) },
        "title": TemplateFunction([.string]) { args in .string(titleCase(string(args[0]))) },
        "trimSpace": TemplateFunction([.string]) { args in
            .string(string(args[0]).trimmingCharacters(in: .whitespacesAndNewlines))
        },
        "join": TemplateFunction([.string, .strings]) { args in
            guard case .strings(let items) = args[1].storage else { return .string("") }
            return .string(items.joined(separator: string(args[0])))
        },
        "match": TemplateFunction([.string, .string]) { args throws(CallError) in
            let regex = try GoRegex.compile(string(args[0]))
            return .bool(regex.matchesSubstring(string(args[1])))
        },
        "safeHtml": TemplateFunction([.string]) { args in TemplateValue(storage: args[0].storage, isSafeHTML: true) },
        "reReplaceAll": TemplateFunction([.string, .string, .string]) { args throws(CallError) in
            let regex = try GoRegex.compile(string(args[0]), mustCompile: true)
            return .string(regex.replaceAll(in: string(args[2]), with: string(args[1])))
        },
        "stringSlice": TemplateFunction([], variadic: .string) { args in .strings(args.map(string)) },
        "date": TemplateFunction([.string, .time]) { args in
            guard case .time(let time) = args[1].storage else { return .null }
            return .string(time.format(string(args[0])))
        },
        "tz": TemplateFunction([.string, .time]) { args throws(CallError) in
            guard case .time(let time) = args[1].storage else { return .null }
            let name = string(args[0])
            if name == "" || name == "UTC" { return .time(time.utc) }
            guard let zone = TimeZone(identifier: name) else { throw CallError("unknown time zone \(name)") }
            let offset = zone.secondsFromGMT(for: time.date)
            return .time(
                TemplateTime(
                    seconds: time.seconds, nanoseconds: time.nanoseconds, utcOffset: offset,
                    zoneName: ZoneAbbreviation.abbreviation(zone: zone, at: time.date)))
        },
        "humanizeDuration": TemplateFunction([.any]) { args throws(CallError) in
            .string(try humanizeDuration(args[0]))
        },
        "toJson": TemplateFunction([.any]) { args in .string(JSONEncoding.encode(args[0])) },
    ]

    /// `cases.Title(language.AmericanEnglish)`: the first letter of each word upper case, the rest lower case.
    static func titleCase(_ text: String) -> String {
        var out = ""
        var inWord = false
        var titled = false
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let properties = scalar.properties
            if properties.isAlphabetic {
                out += titled ? String(scalar).lowercased() : properties.titlecaseMapping
                inWord = true
                titled = true
            } else if properties.numericType != nil || scalar == "_" {
                out.unicodeScalars.append(scalar)
                inWord = true
            } else if ["'", ".", ":", "\u{2019}"].contains(scalar), inWord, index + 1 < scalars.count,
                scalars[index + 1].properties.isAlphabetic
            {
                out.unicodeScalars.append(scalar)
            } else {
                out.unicodeScalars.append(scalar)
                inWord = false
                titled = false
            }
        }
        return out
    }

    static func humanizeDuration(_ value: TemplateValue) throws(CallError) -> String {
        var seconds: Double
        switch value.storage {
        case .float(let float): seconds = float
        case .int(let int): seconds = Double(int)
        case .duration(let nanos): seconds = Double(nanos) / 1e9
        case .string(let text):
            guard let parsed = Double(text) else {
                throw CallError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            seconds = parsed
        default: throw CallError("can't convert \(value.typeName) to float")
        }
        if seconds.isNaN || seconds.isInfinite { return GoFormat.sprintf("%.4g", [.float(seconds)]) }
        if seconds == 0 { return "0s" }
        if abs(seconds) >= 1 {
            let sign = seconds < 0 ? "-" : ""
            seconds = abs(seconds)
            let whole = Int64(seconds)
            let secs = whole % 60
            let minutes = whole / 60 % 60
            let hours = whole / 3600 % 24
            let days = whole / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(secs)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(secs)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(secs)s" }
            return sign + GoFormat.sprintf("%.4g", [.float(seconds)]) + "s"
        }
        var prefix = ""
        for next in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(seconds) >= 1 { break }
            prefix = next
            seconds *= 1000
        }
        return GoFormat.sprintf("%.4g", [.float(seconds)]) + prefix + "s"
    }
}

/// `eq`, `lt` and friends over Go's basic kinds.
enum Comparison {
    typealias CallError = TemplateFunction.CallError

    static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(CallError) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.duration(let a), .duration(let b)): return a == b
        case (.duration(let a), .int(let b)): return a == Int64(b)
        case (.int(let a), .duration(let b)): return Int64(a) == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.time(let a), .time(let b)): return a == b
        case (.invalid, .invalid): return true
        case (.invalid, _), (_, .invalid): return false
        default:
            if lhs.kind != rhs.kind || [.bool, .int, .float, .string].contains(lhs.kind) {
                throw CallError("incompatible types for comparison")
            }
            throw CallError("non-comparable type \(GoFormat.plain(rhs)): \(rhs.typeName)")
        }
    }

    static func less(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(CallError) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.int(let a), .int(let b)): return a < b
        case (.duration(let a), .duration(let b)): return a < b
        case (.duration(let a), .int(let b)): return a < Int64(b)
        case (.int(let a), .duration(let b)): return Int64(a) < b
        case (.float(let a), .float(let b)): return a < b
        case (.string(let a), .string(let b)): return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        default:
            let basic: [TemplateValue.Kind] = [.int, .float, .string]
            if !basic.contains(lhs.kind) || !basic.contains(rhs.kind) {
                throw CallError("invalid type for comparison")
            }
            throw CallError("incompatible types for comparison")
        }
    }
}
