import Foundation
import KlaxonCore
import KlaxonGoCompat
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
        let root: GoJSONValue
        do {
            root = try GoJSONValue.parseDocument(bytes)
        } catch {
            throw DecodeError(description: error.message)
        }
        var decoder = Decoder()
        let data = try decoder.data(root)
        if let error = decoder.firstTypeError { throw error }
        return data
    }

    /// Go's `encoding/json` decoding into Alertmanager's template structs.
    private struct Decoder {
        var firstTypeError: DecodeError?

        mutating func mismatch(_ value: GoJSONValue, field: String?, type: String) {
            guard firstTypeError == nil else { return }
            if let field {
                firstTypeError = DecodeError(
                    description: "json: cannot unmarshal \(value.kind) into Go struct field \(field) of type \(type)")
            } else {
                firstTypeError = DecodeError(
                    description: "json: cannot unmarshal \(value.kind) into Go value of type \(type)")
            }
        }

        mutating func data(_ value: GoJSONValue) throws(DecodeError) -> TemplateData {
            var data = TemplateData(
                receiver: "", status: "", alerts: [], groupLabels: KV(), commonLabels: KV(), commonAnnotations: KV(),
                externalURL: "")
            guard case .object(let members) = value else {
                if case .null = value { return data }
                mismatch(value, field: nil, type: "template.Data")
                return data
            }
            for member in members {
                switch member.key.lowercased() {
                case "receiver": string(member.value, field: "Data.receiver", into: &data.receiver)
                case "status": string(member.value, field: "Data.status", into: &data.status)
                case "externalurl": string(member.value, field: "Data.externalURL", into: &data.externalURL)
                case "grouplabels": kv(member.value, field: "Data.groupLabels", into: &data.groupLabels)
                case "commonlabels": kv(member.value, field: "Data.commonLabels", into: &data.commonLabels)
                case "commonannotations":
                    kv(member.value, field: "Data.commonAnnotations", into: &data.commonAnnotations)
                case "alerts": try alerts(member.value, into: &data.alerts)
                default: continue
                }
            }
            return data
        }

        mutating func alerts(_ value: GoJSONValue, into alerts: inout [TemplateAlert]) throws(DecodeError) {
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

        mutating func alert(_ value: GoJSONValue) throws(DecodeError) -> TemplateAlert {
            var alert = TemplateAlert(
                status: "", labels: KV(), annotations: KV(), startsAt: TemplateTime.goZeroDate,
                endsAt: TemplateTime.goZeroDate, generatorURL: "", fingerprint: "")
            guard case .object(let members) = value else {
                if case .null = value { return alert }
                mismatch(value, field: "Data.alerts", type: "template.Alert")
                return alert
            }
            for member in members {
                switch member.key.lowercased() {
                case "status": string(member.value, field: "Alert.alerts.status", into: &alert.status)
                case "labels": kv(member.value, field: "Alert.alerts.labels", into: &alert.labels)
                case "annotations": kv(member.value, field: "Alert.alerts.annotations", into: &alert.annotations)
                case "startsat": try time(member.value, into: &alert.startsAt)
                case "endsat": try time(member.value, into: &alert.endsAt)
                case "generatorurl": string(member.value, field: "Alert.alerts.generatorURL", into: &alert.generatorURL)
                case "fingerprint": string(member.value, field: "Alert.alerts.fingerprint", into: &alert.fingerprint)
                default: continue
                }
            }
            return alert
        }

        mutating func string(_ value: GoJSONValue, field: String, into target: inout String) {
            switch value {
            case .null: return
            case .string(let text, _): target = text
            default: mismatch(value, field: field, type: "string")
            }
        }

        mutating func kv(_ value: GoJSONValue, field: String, into target: inout KV) {
            switch value {
            case .null:
                target = KV()
            case .object(let members):
                var dict: [String: String] = [:]
                for member in members {
                    var text = ""
                    string(member.value, field: field, into: &text)
                    dict[member.key] = text
                }
                target = KV(dict)
            default:
                mismatch(value, field: field, type: "template.KV")
            }
        }

        func time(_ value: GoJSONValue, into target: inout Date) throws(DecodeError) {
            if case .null = value { return }
            do {
                target = try GoTime.parseRFC3339(Self.rawToken(value), quoted: true).date
            } catch {
                throw DecodeError(description: error.description)
            }
        }

        /// The value's text as `time.Time.UnmarshalJSON` receives it (exact for scalars, which is all it ever
        /// sees in practice).
        static func rawToken(_ value: GoJSONValue) -> String {
            switch value {
            case .null: "null"
            case .bool(let value): value ? "true" : "false"
            case .number(let text): text
            case .string(_, let raw): raw
            case .array: "["
            case .object: "{"
            }
        }
    }
}
