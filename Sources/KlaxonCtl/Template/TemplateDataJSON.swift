import Foundation
import KlaxonCore
import KlaxonTemplate

/// Decodes `--template.data` files into `TemplateData` the way amtool 0.25 does (Go's `json.Unmarshal` into
/// `template.Data`), with Go's error messages: syntax errors from the scanner first, then the first type mismatch,
/// and time values parsed as quoted RFC 3339 (`time.Time.UnmarshalJSON`). Keys match struct fields
/// case-insensitively; unknown keys are ignored; `null` leaves a field as it was.
enum TemplateDataJSON {
    struct DecodeError: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ bytes: [UInt8]) throws(DecodeError) -> TemplateData {
        var parser = DataJSONParser(bytes: bytes)
        let root = try parser.parseDocument()
        var decoder = Decoder()
        let data = try decoder.data(root)
        if let error = decoder.firstTypeError { throw error }
        return data
    }

    /// Go's `encoding/json` decoding into Alertmanager's template structs.
    private struct Decoder {
        var firstTypeError: DecodeError?

        mutating func mismatch(_ value: DataJSONValue, field: String?, type: String) {
            guard firstTypeError == nil else { return }
            if let field {
                firstTypeError = DecodeError(
                    description: "json: cannot unmarshal \(value.kind) into Go struct field \(field) of type \(type)")
            } else {
                firstTypeError = DecodeError(
                    description: "json: cannot unmarshal \(value.kind) into Go value of type \(type)")
            }
        }

        mutating func data(_ value: DataJSONValue) throws(DecodeError) -> TemplateData {
            var data = TemplateData(
                receiver: "", status: "", alerts: [], groupLabels: KV(), commonLabels: KV(), commonAnnotations: KV(),
                externalURL: "")
            guard case .object(let members) = value else {
                if case .null = value { return data }
                mismatch(value, field: nil, type: "template.Data")
                return data
            }
            for (key, member) in members {
                switch key.lowercased() {
                case "receiver": string(member, field: "Data.receiver", into: &data.receiver)
                case "status": string(member, field: "Data.status", into: &data.status)
                case "externalurl": string(member, field: "Data.externalURL", into: &data.externalURL)
                case "grouplabels": kv(member, field: "Data.groupLabels", into: &data.groupLabels)
                case "commonlabels": kv(member, field: "Data.commonLabels", into: &data.commonLabels)
                case "commonannotations": kv(member, field: "Data.commonAnnotations", into: &data.commonAnnotations)
                case "alerts": try alerts(member, into: &data.alerts)
                default: continue
                }
            }
            return data
        }

        mutating func alerts(_ value: DataJSONValue, into alerts: inout [TemplateAlert]) throws(DecodeError) {
            switch value {
            case .null:
                alerts = []
            case .array(let items):
                var decoded: [TemplateAlert] = []
                for item in items {
                    decoded.append(try alert(item))
                }
                alerts = decoded
            default:
                mismatch(value, field: "Data.alerts", type: "template.Alerts")
            }
        }

        mutating func alert(_ value: DataJSONValue) throws(DecodeError) -> TemplateAlert {
            var alert = TemplateAlert(
                status: "", labels: KV(), annotations: KV(), startsAt: TemplateTime.goZeroDate,
                endsAt: TemplateTime.goZeroDate, generatorURL: "", fingerprint: "")
            guard case .object(let members) = value else {
                if case .null = value { return alert }
                mismatch(value, field: "Data.alerts", type: "template.Alert")
                return alert
            }
            for (key, member) in members {
                switch key.lowercased() {
                case "status": string(member, field: "Alert.alerts.status", into: &alert.status)
                case "labels": kv(member, field: "Alert.alerts.labels", into: &alert.labels)
                case "annotations": kv(member, field: "Alert.alerts.annotations", into: &alert.annotations)
                case "startsat": try time(member, into: &alert.startsAt)
                case "endsat": try time(member, into: &alert.endsAt)
                case "generatorurl": string(member, field: "Alert.alerts.generatorURL", into: &alert.generatorURL)
                case "fingerprint": string(member, field: "Alert.alerts.fingerprint", into: &alert.fingerprint)
                default: continue
                }
            }
            return alert
        }

        mutating func string(_ value: DataJSONValue, field: String, into target: inout String) {
            switch value {
            case .null: return
            case .string(let text, _): target = text
            default: mismatch(value, field: field, type: "string")
            }
        }

        mutating func kv(_ value: DataJSONValue, field: String, into target: inout KV) {
            switch value {
            case .null:
                target = KV()
            case .object(let members):
                var dict: [String: String] = [:]
                for (key, member) in members {
                    var text = ""
                    string(member, field: field, into: &text)
                    dict[key] = text
                }
                target = KV(dict)
            default:
                mismatch(value, field: field, type: "template.KV")
            }
        }

        func time(_ value: DataJSONValue, into target: inout Date) throws(DecodeError) {
            if case .null = value { return }
            let raw = value.raw
            switch GoRFC3339.parse(raw) {
            case .success(let date): target = date
            case .failure(let error): throw error
            }
        }
    }
}

/// A parsed JSON value; strings keep their raw token for `time.Time`'s own parser.
enum DataJSONValue {
    case null
    case bool(Bool)
    case number(String)
    case string(String, raw: String)
    case array([DataJSONValue])
    case object([(String, DataJSONValue)])

    /// The word Go's `UnmarshalTypeError` uses for the JSON value.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value's text as JSON (exact for scalars, which is all `time.Time` ever sees in practice).
    var raw: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text
        case .string(_, let raw): raw
        case .array: "["
        case .object: "{"
        }
    }
}

/// A JSON parser whose syntax errors read like Go's `encoding/json` scanner.
struct DataJSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    typealias DecodeError = TemplateDataJSON.DecodeError

    mutating func parseDocument() throws(DecodeError) -> DataJSONValue {
        let value = try parseValue()
        skipSpace()
        if index < bytes.count { throw invalid(bytes[index], "after top-level value") }
        return value
    }

    private var endOfInput: DecodeError { DecodeError(description: "unexpected end of JSON input") }

    private func invalid(_ byte: UInt8, _ context: String) -> DecodeError {
        DecodeError(description: "invalid character \(Self.quoteChar(byte)) \(context)")
    }

    /// Go's `quoteChar`.
    static func quoteChar(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "'"): return #"'\''"#
        case UInt8(ascii: "\""): return #"'"'"#
        case UInt8(ascii: "\\"): return #"'\\'"#
        case 0x07: return #"'\a'"#
        case 0x08: return #"'\b'"#
        case 0x0C: return #"'\f'"#
        case 0x0A: return #"'\n'"#
        case 0x0D: return #"'\r'"#
        case 0x09: return #"'\t'"#
        case 0x0B: return #"'\v'"#
        case 0..<0x20, 0x7F: return "'\\x" + String(byte, radix: 16).leftPadded(2) + "'"
        case 0x80...0xA0, 0xAD: return "'\\u00" + String(byte, radix: 16).leftPadded(2) + "'"
        case 0xA1...: return "'" + String(UnicodeScalar(byte)) + "'"  // Go quotes the byte as a Latin-1 rune.
        default: return "'" + String(UnicodeScalar(byte)) + "'"
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func next(_ context: String) throws(DecodeError) -> UInt8 {
        skipSpace()
        guard index < bytes.count else { throw endOfInput }
        return bytes[index]
    }

    private mutating func parseValue() throws(DecodeError) -> DataJSONValue {
        let byte = try next("looking for beginning of value")
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return try parseString()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw invalid(byte, "looking for beginning of value")
        }
    }

    private mutating func parseObject() throws(DecodeError) -> DataJSONValue {
        index += 1
        var members: [(String, DataJSONValue)] = []
        var byte = try next("looking for beginning of object key string")
        if byte == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard byte == UInt8(ascii: "\"") else { throw invalid(byte, "looking for beginning of object key string") }
            guard case .string(let key, _) = try parseString() else {
                preconditionFailure("parseString returns a string")
            }
            let colon = try next("after object key")
            guard colon == UInt8(ascii: ":") else { throw invalid(colon, "after object key") }
            index += 1
            members.append((key, try parseValue()))
            let separator = try next("after object key:value pair")
            index += 1
            if separator == UInt8(ascii: "}") { return .object(members) }
            guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after object key:value pair") }
            byte = try next("looking for beginning of object key string")
        }
    }

    private mutating func parseArray() throws(DecodeError) -> DataJSONValue {
        index += 1
        var items: [DataJSONValue] = []
        if try next("looking for beginning of value") == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            let separator = try next("after array element")
            index += 1
            if separator == UInt8(ascii: "]") { return .array(items) }
            guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after array element") }
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: DataJSONValue) throws(DecodeError) -> DataJSONValue {
        for expected in word.utf8.dropFirst() {
            index += 1
            guard index < bytes.count else { throw endOfInput }
            guard bytes[index] == expected else {
                throw invalid(bytes[index], "in literal \(word) (expecting \(Self.quoteChar(expected)))")
            }
        }
        index += 1
        return value
    }

    private func isDigit(_ offset: Int) -> Bool {
        offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
    }

    private mutating func parseNumber() throws(DecodeError) -> DataJSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            guard index < bytes.count else { throw endOfInput }
            guard isDigit(index) else { throw invalid(bytes[index], "in numeric literal") }
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count else { throw endOfInput }
            guard isDigit(index) else { throw invalid(bytes[index], "after decimal point in numeric literal") }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count else { throw endOfInput }
            guard isDigit(index) else { throw invalid(bytes[index], "in exponent of numeric literal") }
            while isDigit(index) { index += 1 }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func parseHex4() throws(DecodeError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            index += 1
            guard index < bytes.count else { throw endOfInput }
            guard let digit = hexValue(bytes[index]) else {
                throw invalid(bytes[index], "in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
        }
        return value
    }

    private mutating func parseString() throws(DecodeError) -> DataJSONValue {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            scalars.append(contentsOf: String(decoding: pending, as: UTF8.self).unicodeScalars)
            pending.removeAll()
        }
        while true {
            guard index < bytes.count else { throw endOfInput }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                index += 1
                let raw = String(decoding: bytes[start..<index], as: UTF8.self)
                return .string(String(scalars), raw: raw)
            case UInt8(ascii: "\\"):
                flush()
                index += 1
                guard index < bytes.count else { throw endOfInput }
                let escape = bytes[index]
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    scalars.append(UnicodeScalar(escape))
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code), index + 2 < bytes.count,
                        bytes[index + 1] == UInt8(ascii: "\\"),
                        bytes[index + 2] == UInt8(ascii: "u")
                    {
                        let save = index
                        index += 2
                        let low = try parseHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                        }
                    }
                    scalars.append(UnicodeScalar(code) ?? "\u{FFFD}")
                default:
                    throw invalid(escape, "in string escape code")
                }
                index += 1
            case 0..<0x20:
                throw invalid(byte, "in string literal")
            default:
                pending.append(byte)
                index += 1
            }
        }
    }
}

/// `time.Time.UnmarshalJSON` of Go 1.19: `time.Parse` with the layout `"2006-01-02T15:04:05Z07:00"` (quotes
/// included) on the raw JSON token, with `time.Parse`'s error messages.
enum GoRFC3339 {
    static func parse(_ raw: String) -> Result<Date, TemplateDataJSON.DecodeError> {
        do {
            return .success(try GoTime.parseRFC3339(raw, quoted: true))
        } catch {
            return .failure(.init(description: error.description))
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
