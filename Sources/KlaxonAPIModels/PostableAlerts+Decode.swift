import Foundation
import KlaxonCore
import KlaxonGoCompat

/// One element of the `POST /api/v2/alerts` body as read, before the schema checks.
private struct DecodedAlert {
    /// nil when absent or `null` (schema: required).
    var labels: [Label]?
    var annotations: [Label] = []
    /// nil when absent or `null` (Go's zero time).
    var startsAt: Date?
    var endsAt: Date?
    var generatorURL = ""
}

/// Why a request body was refused before the handler ran.
public enum BodyError: Error, Equatable, Sendable {
    /// 400 `{"code":400,"message":"parsing <what> body from \"\" failed, because <reason>"}`.
    case parse(String)
    /// 422 `{"code":<code>,"message":...}` (go-openapi validation).
    case schema(code: Int, message: String)
}

/// Reads a `POST /api/v2/alerts` body as Alertmanager 0.25 does (Go's `encoding/json`, then go-openapi's schema
/// checks), with its error messages.
public enum PostableAlertsDecoder {
    private static let ao0Type =
        "struct { Annotations models.LabelSet \"json:\\\"annotations,omitempty\\\"\"; "
        + "EndsAt strfmt.DateTime \"json:\\\"endsAt,omitempty\\\"\"; "
        + "StartsAt strfmt.DateTime \"json:\\\"startsAt,omitempty\\\"\" }"

    /// Decodes and schema-checks the body as go-openapi does for Alertmanager's `PostableAlerts`.
    public static func decode(_ body: [UInt8]) -> Result<[PostableAlert], BodyError> {
        let decoded: Result<[DecodedAlert]?, BodyError> = body.withUnsafeBufferPointer { buffer in
            var reader = GoJSONReader(buffer)
            do throws(GoJSONSyntaxError) {
                return .success(try decodeTopLevel(&reader))
            } catch {
                return .failure(.parse(error.message))
            }
        }
        switch decoded {
        case .failure(let error): return .failure(error)
        case .success(nil): return .failure(.schema(code: 602, message: "alerts in body is required"))
        case .success(let alerts?):
            var postable: [PostableAlert] = []
            postable.reserveCapacity(alerts.count)
            for (index, alert) in alerts.enumerated() {
                if !alert.generatorURL.isEmpty, !GoURL.isRequestURI(alert.generatorURL) {
                    let quoted = GoQuote.quote(alert.generatorURL)
                    return .failure(
                        .schema(code: 601, message: "\(index).generatorURL in body must be of type uri: \(quoted)"))
                }
                guard let labels = alert.labels else {
                    return .failure(.schema(code: 602, message: "\(index).labels in body is required"))
                }
                postable.append(
                    PostableAlert(
                        labels: LabelSet(decoded: labels), annotations: LabelSet(decoded: alert.annotations),
                        startsAt: alert.startsAt, endsAt: alert.endsAt, generatorURL: alert.generatorURL))
            }
            return .success(postable)
        }
    }

    /// Thrown syntax errors win; a decode error is remembered while the rest is still syntax-checked,
    /// because Go scans the whole value before decoding it. nil means an empty body.
    private static func decodeTopLevel(_ reader: inout GoJSONReader) throws(GoJSONSyntaxError) -> [DecodedAlert]? {
        if reader.atEnd() { return nil }
        var decodeError: String?
        var alerts: [DecodedAlert] = []
        let kind = try reader.peekKind()
        switch kind {
        case .array:
            try reader.beginArray()
            var first = true
            while try reader.nextElement(first: &first) {
                if decodeError != nil {
                    try reader.skipValue()
                    continue
                }
                switch try decodeElement(&reader) {
                case .success(let alert): alerts.append(alert)
                case .failure(let error): decodeError = error.message
                }
            }
        case .null:
            try reader.readNull()
        default:
            try reader.skipValue()
            decodeError = "json: cannot unmarshal \(kind.rawValue) into Go value of type models.PostableAlerts"
        }
        if let decodeError { throw GoJSONSyntaxError(message: decodeError) }
        return alerts
    }

    private struct ElementError: Error {
        let message: String
    }

    /// One element: the first error of the annotations/timestamps part wins over the labels/URL part,
    /// and within a part a timestamp or URL error (which aborts in Go) wins over a saved type error.
    private static func decodeElement(
        _ reader: inout GoJSONReader
    ) throws(GoJSONSyntaxError) -> Result<DecodedAlert, ElementError> {
        let kind = try reader.peekKind()
        guard kind == .object else {
            if kind == .null {
                try reader.readNull()
                return .success(DecodedAlert())
            }
            try reader.skipValue()
            let message = "json: cannot unmarshal \(kind.rawValue) into Go value of type \(ao0Type)"
            return .failure(ElementError(message: message))
        }
        var alert = DecodedAlert()
        var ao0Abort: String?
        var ao0Saved: String?
        var ao1Abort: String?
        var ao1Saved: String?
        func mismatch(_ kind: GoJSONKind, _ field: String, _ type: String) -> String {
            "json: cannot unmarshal \(kind.rawValue) into Go struct field \(field) of type \(type)"
        }
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: &first) {
            if key.goFieldEquals("labels") {
                var saved: String?
                alert.labels = try readLabelMap(&reader, existing: alert.labels, field: "Alert.labels", saved: &saved)
                if ao1Saved == nil { ao1Saved = saved }
            } else if key.goFieldEquals("annotations") {
                var saved: String?
                let merged = try readLabelMap(
                    &reader, existing: alert.annotations, field: ".annotations", saved: &saved)
                alert.annotations = merged ?? []
                if ao0Saved == nil { ao0Saved = saved }
            } else if key.goFieldEquals("startsAt") || key.goFieldEquals("endsAt") {
                let isStart = key.goFieldEquals("startsAt")
                var wrong: GoJSONKind?
                let text = try reader.readOptionalString(mismatch: &wrong)
                guard ao0Abort == nil else { continue }
                if let wrong {
                    ao0Abort = mismatch(wrong, isStart ? ".startsAt" : ".endsAt", "string")
                } else if let text {
                    switch GoDateTime.parse(text) {
                    case .success(let date):
                        if isStart { alert.startsAt = date } else { alert.endsAt = date }
                    case .failure(let error): ao0Abort = error.message
                    }
                } else if isStart {
                    alert.startsAt = nil
                } else {
                    alert.endsAt = nil
                }
            } else if key.goFieldEquals("generatorURL") {
                var wrong: GoJSONKind?
                let text = try reader.readOptionalString(mismatch: &wrong)
                guard ao1Abort == nil else { continue }
                if let wrong {
                    ao1Abort = mismatch(wrong, "Alert.generatorURL", "string")
                } else if let text {
                    alert.generatorURL = text
                }
            } else {
                try reader.skipValue()
            }
        }
        if let message = ao0Abort ?? ao0Saved ?? ao1Abort ?? ao1Saved {
            return .failure(ElementError(message: message))
        }
        return .success(alert)
    }

    /// Reads a `map[string]string`: `null` resets it, an object adds to it (Go reuses the map).
    /// A non-object, or a non-string value, records Go's type error in `saved`.
    static func readLabelMap(
        _ reader: inout GoJSONReader, existing: [Label]?, field: String, saved: inout String?
    ) throws(GoJSONSyntaxError) -> [Label]? {
        let kind = try reader.peekKind()
        switch kind {
        case .null:
            try reader.readNull()
            return nil
        case .object:
            var labels = existing ?? []
            try reader.beginObject()
            var first = true
            while let name = try reader.nextKey(first: &first) {
                var wrong: GoJSONKind?
                let value = try reader.readOptionalString(mismatch: &wrong)
                if let wrong, saved == nil {
                    saved = "json: cannot unmarshal \(wrong.rawValue) into Go struct field \(field) of type string"
                }
                labels.append(Label(name: name, value: value ?? ""))
            }
            return labels
        default:
            try reader.skipValue()
            if saved == nil {
                let type = "models.LabelSet"
                saved = "json: cannot unmarshal \(kind.rawValue) into Go struct field \(field) of type \(type)"
            }
            return existing
        }
    }
}

extension LabelSet {
    /// A label set from decoded pairs; a later duplicate name wins, as with a Go map.
    init(decoded labels: [Label]) {
        let sorted = labels.sorted { $0.name < $1.name }
        var hasDuplicate = false
        for index in sorted.indices.dropFirst() where sorted[index].name == sorted[index - 1].name {
            hasDuplicate = true
            break
        }
        if hasDuplicate {
            self.init(pairs: labels.map { ($0.name, $0.value) })
        } else {
            self.init(sorted: sorted)
        }
    }
}
