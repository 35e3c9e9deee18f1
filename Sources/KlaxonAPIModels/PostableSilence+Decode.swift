import Foundation
import KlaxonCore
import KlaxonGoCompat

/// Reads a `POST /api/v2/silences` body as Alertmanager 0.25 does (Go's `encoding/json`, then go-openapi's schema
/// checks), with its error messages.
public enum PostableSilenceDecoder {
    private struct Partial {
        struct Matcher {
            var name: String?
            var value: String?
            var isRegex: Bool?
            var isEqual: Bool?
        }

        var id = ""
        var matchers: [Matcher]?
        var startsAt: Date?
        var endsAt: Date?
        var createdBy: String?
        var comment: String?
    }

    private static let ao0Type = "struct { ID string \"json:\\\"id,omitempty\\\"\" }"

    /// Decodes and schema-checks the body as go-openapi does for Alertmanager's `SilenceRequest`; the result is
    /// not validated yet.
    public static func decode(_ body: [UInt8]) -> Result<PostableSilence, BodyError> {
        let decoded: Result<Partial?, BodyError> = body.withUnsafeBufferPointer { buffer in
            var reader = GoJSONReader(buffer)
            do throws(GoJSONSyntaxError) {
                return .success(try decodeTopLevel(&reader))
            } catch {
                return .failure(.parse(error.message))
            }
        }
        let partial: Partial
        switch decoded {
        case .failure(let error): return .failure(error)
        case .success(nil): return .failure(.schema(code: 602, message: "silence in body is required"))
        case .success(let value?): partial = value
        }
        func required(_ name: String) -> Result<PostableSilence, BodyError> {
            .failure(.schema(code: 602, message: "\(name) in body is required"))
        }
        guard let comment = partial.comment else { return required("comment") }
        guard let createdBy = partial.createdBy else { return required("createdBy") }
        guard let endsAt = partial.endsAt else { return required("endsAt") }
        guard let partialMatchers = partial.matchers else { return required("matchers") }
        guard !partialMatchers.isEmpty else {
            return .failure(.schema(code: 612, message: "matchers in body should have at least 1 items"))
        }
        var matchers: [SilenceMatcherSpec] = []
        for (index, matcher) in partialMatchers.enumerated() {
            guard let isRegex = matcher.isRegex else { return required("matchers.\(index).isRegex") }
            guard let name = matcher.name else { return required("matchers.\(index).name") }
            guard let value = matcher.value else { return required("matchers.\(index).value") }
            matchers.append(.init(name: name, value: value, isRegex: isRegex, isEqual: matcher.isEqual ?? true))
        }
        guard let startsAt = partial.startsAt else { return required("startsAt") }
        return .success(
            PostableSilence(
                id: partial.id, matchers: matchers, startsAt: startsAt, endsAt: endsAt,
                createdBy: createdBy, comment: comment))
    }

    private static func decodeTopLevel(_ reader: inout GoJSONReader) throws(GoJSONSyntaxError) -> Partial? {
        if reader.atEnd() { return nil }
        let kind = try reader.peekKind()
        switch kind {
        case .object: break
        case .null:
            // go-openapi decodes `null` into an empty silence, so the required checks report it.
            try reader.readNull()
            return Partial()
        default:
            try reader.skipValue()
            throw GoJSONSyntaxError(message: "json: cannot unmarshal \(kind.rawValue) into Go value of type \(ao0Type)")
        }
        var silence = Partial()
        var ao0Saved: String?
        var ao1Abort: String?
        var ao1Saved: String?
        func mismatch(_ kind: GoJSONKind, _ field: String, _ type: String) -> String {
            "json: cannot unmarshal \(kind.rawValue) into Go struct field \(field) of type \(type)"
        }
        func string(_ reader: inout GoJSONReader, _ field: String, saved: inout String?) throws(GoJSONSyntaxError)
            -> String?
        {
            var wrong: GoJSONKind?
            let value = try reader.readOptionalString(mismatch: &wrong)
            if let wrong, saved == nil { saved = mismatch(wrong, field, "string") }
            return value
        }
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: &first) {
            if key.goFieldEquals("id") {
                silence.id = try string(&reader, ".id", saved: &ao0Saved) ?? silence.id
            } else if key.goFieldEquals("comment") {
                silence.comment = try string(&reader, "Silence.comment", saved: &ao1Saved) ?? silence.comment
            } else if key.goFieldEquals("createdBy") {
                silence.createdBy = try string(&reader, "Silence.createdBy", saved: &ao1Saved) ?? silence.createdBy
            } else if key.goFieldEquals("startsAt") || key.goFieldEquals("endsAt") {
                let isStart = key.goFieldEquals("startsAt")
                var wrong: GoJSONKind?
                let text = try reader.readOptionalString(mismatch: &wrong)
                guard ao1Abort == nil else { continue }
                if let wrong {
                    ao1Abort = mismatch(wrong, isStart ? "Silence.startsAt" : "Silence.endsAt", "string")
                } else if let text {
                    switch GoDateTime.parse(text) {
                    case .success(let date):
                        if isStart { silence.startsAt = date } else { silence.endsAt = date }
                    case .failure(let error): ao1Abort = error.message
                    }
                }
            } else if key.goFieldEquals("matchers") {
                silence.matchers = try readMatchers(&reader, saved: &ao1Saved)
            } else {
                try reader.skipValue()
            }
        }
        if let message = ao0Saved ?? ao1Abort ?? ao1Saved { throw GoJSONSyntaxError(message: message) }
        return silence
    }

    private static func readMatchers(
        _ reader: inout GoJSONReader, saved: inout String?
    ) throws(GoJSONSyntaxError) -> [Partial.Matcher]? {
        func note(_ kind: GoJSONKind, _ field: String, _ type: String) {
            if saved == nil {
                saved = "json: cannot unmarshal \(kind.rawValue) into Go struct field \(field) of type \(type)"
            }
        }
        let kind = try reader.peekKind()
        switch kind {
        case .null:
            try reader.readNull()
            return nil
        case .array: break
        default:
            try reader.skipValue()
            note(kind, "Silence.matchers", "models.Matchers")
            return nil
        }
        var matchers: [Partial.Matcher] = []
        try reader.beginArray()
        var first = true
        while try reader.nextElement(first: &first) {
            let elementKind = try reader.peekKind()
            guard elementKind == .object else {
                try reader.skipValue()
                if elementKind != .null { note(elementKind, "Silence.matchers", "models.Matcher") }
                matchers.append(Partial.Matcher())
                continue
            }
            var matcher = Partial.Matcher()
            try reader.beginObject()
            var firstKey = true
            while let key = try reader.nextKey(first: &firstKey) {
                if key.goFieldEquals("name") || key.goFieldEquals("value") {
                    let isName = key.goFieldEquals("name")
                    var wrong: GoJSONKind?
                    let text = try reader.readOptionalString(mismatch: &wrong)
                    if let wrong { note(wrong, isName ? "Matcher.matchers.name" : "Matcher.matchers.value", "string") }
                    if let text {
                        if isName { matcher.name = text } else { matcher.value = text }
                    }
                } else if key.goFieldEquals("isRegex") || key.goFieldEquals("isEqual") {
                    let isRegex = key.goFieldEquals("isRegex")
                    let valueKind = try reader.peekKind()
                    switch valueKind {
                    case .bool:
                        let value = try reader.readBool()
                        if isRegex { matcher.isRegex = value } else { matcher.isEqual = value }
                    case .null:
                        try reader.readNull()
                    default:
                        try reader.skipValue()
                        note(valueKind, isRegex ? "Matcher.matchers.isRegex" : "Matcher.matchers.isEqual", "bool")
                    }
                } else {
                    try reader.skipValue()
                }
            }
            matchers.append(matcher)
        }
        return matchers
    }
}
