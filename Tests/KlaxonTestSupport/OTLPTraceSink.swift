import KlaxonHTTP

/// An OTLP/HTTP trace receiver on 127.0.0.1 (a ``TestHTTPServer``): it answers `POST /v1/traces` as a collector does
/// (200, an empty `ExportTraceServiceResponse`) and decodes each protobuf `ExportTraceServiceRequest` it received into
/// ``Span``s, with a protobuf wire-format reader of its own (the fields of opentelemetry-proto's trace, common and
/// resource messages that the tests read).
public final class OTLPTraceSink: Sendable {
    /// One span as exported.
    public struct Span: Sendable, CustomStringConvertible {
        /// Lowercase hex, 32 digits.
        public var traceID = ""
        /// Lowercase hex, 16 digits.
        public var spanID = ""
        /// Lowercase hex; empty for a root span.
        public var parentSpanID = ""
        public var name = ""
        /// OTLP's `SpanKind`: 1 internal, 2 server, 3 client.
        public var kind = 0
        /// Attribute values as text; arrays as their elements joined with `,`.
        public var attributes: [String: String] = [:]
        /// OTLP's `StatusCode`: 0 unset, 1 ok, 2 error.
        public var statusCode = 0
        /// The resource's attributes (`service.name`, ...).
        public var resource: [String: String] = [:]

        public var description: String {
            "\(name) trace=\(traceID) span=\(spanID) parent=\(parentSpanID) kind=\(kind) \(attributes)"
        }
    }

    /// The receiving server.
    public let server: TestHTTPServer

    /// Starts the receiver.
    public init() throws {
        server = try TestHTTPServer { request in
            guard request.method == "POST", request.target == "/v1/traces" else {
                return TestHTTPServer.Reply(status: 404)
            }
            return TestHTTPServer.Reply(status: 200, headers: [HTTPHeader("Content-Type", "application/x-protobuf")])
        }
    }

    /// `127.0.0.1:<port>`, as a `tracing.endpoint`.
    public var endpoint: String { "127.0.0.1:\(server.port)" }

    /// Every span received so far, in arrival order; a body that is not a valid export request is skipped.
    public var spans: [Span] {
        server.requests.filter { $0.target == "/v1/traces" }.flatMap { Self.decodeExport($0.body) ?? [] }
    }

    /// Stops the server.
    public func stop() { server.stop() }

    // MARK: Protobuf

    /// One field of a message: its number and its value (varint and fixed values as numbers, the rest as bytes).
    private enum Value {
        case number(UInt64)
        case bytes(ArraySlice<UInt8>)
    }

    /// The fields of one message, in order; nil when the bytes are not well-formed.
    private static func fields(_ bytes: ArraySlice<UInt8>) -> [(Int, Value)]? {
        var result: [(Int, Value)] = []
        var index = bytes.startIndex
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.endIndex, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        func fixed(_ count: Int) -> UInt64? {
            guard bytes.endIndex - index >= count else { return nil }
            var value: UInt64 = 0
            for offset in 0..<count { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
            index += count
            return value
        }
        while index < bytes.endIndex {
            guard let key = varint() else { return nil }
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let value = varint() else { return nil }
                result.append((number, .number(value)))
            case 1:
                guard let value = fixed(8) else { return nil }
                result.append((number, .number(value)))
            case 2:
                guard let length = varint(), UInt64(bytes.endIndex - index) >= length else { return nil }
                result.append((number, .bytes(bytes[index..<(index + Int(length))])))
                index += Int(length)
            case 5:
                guard let value = fixed(4) else { return nil }
                result.append((number, .number(value)))
            default:
                return nil
            }
        }
        return result
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// `ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }`.
    static func decodeExport(_ body: [UInt8]) -> [Span]? {
        guard let request = fields(body[...]) else { return nil }
        var spans: [Span] = []
        for case (1, .bytes(let resourceSpans)) in request {
            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            guard let parts = fields(resourceSpans) else { return nil }
            var resource: [String: String] = [:]
            for case (1, .bytes(let resourceBytes)) in parts {
                // Resource { repeated KeyValue attributes = 1; }
                for case (1, .bytes(let pair)) in fields(resourceBytes) ?? [] {
                    if let (key, value) = keyValue(pair) { resource[key] = value }
                }
            }
            for case (2, .bytes(let scopeSpans)) in parts {
                // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
                for case (2, .bytes(let spanBytes)) in fields(scopeSpans) ?? [] {
                    guard var span = decodeSpan(spanBytes) else { return nil }
                    span.resource = resource
                    spans.append(span)
                }
            }
        }
        return spans
    }

    /// `Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    /// repeated KeyValue attributes = 9; Status status = 15; }`.
    private static func decodeSpan(_ bytes: ArraySlice<UInt8>) -> Span? {
        guard let parts = fields(bytes) else { return nil }
        var span = Span()
        for (number, value) in parts {
            switch (number, value) {
            case (1, .bytes(let id)): span.traceID = hex(id)
            case (2, .bytes(let id)): span.spanID = hex(id)
            case (4, .bytes(let id)): span.parentSpanID = hex(id)
            case (5, .bytes(let name)): span.name = text(name)
            case (6, .number(let kind)): span.kind = Int(kind)
            case (9, .bytes(let pair)):
                if let (key, value) = keyValue(pair) { span.attributes[key] = value }
            case (15, .bytes(let status)):
                // Status { string message = 2; StatusCode code = 3; }
                for case (3, .number(let code)) in fields(status) ?? [] { span.statusCode = Int(code) }
            default: break
            }
        }
        return span
    }

    /// `KeyValue { string key = 1; AnyValue value = 2; }`.
    private static func keyValue(_ bytes: ArraySlice<UInt8>) -> (String, String)? {
        guard let parts = fields(bytes) else { return nil }
        var key = ""
        var value = ""
        for (number, part) in parts {
            switch (number, part) {
            case (1, .bytes(let name)): key = text(name)
            case (2, .bytes(let any)): value = anyValue(any)
            default: break
            }
        }
        return (key, value)
    }

    /// `AnyValue { oneof { string = 1; bool = 2; int64 = 3; double = 4; ArrayValue = 5; } }` as text.
    private static func anyValue(_ bytes: ArraySlice<UInt8>) -> String {
        for (number, part) in fields(bytes) ?? [] {
            switch (number, part) {
            case (1, .bytes(let string)): return text(string)
            case (2, .number(let flag)): return flag != 0 ? "true" : "false"
            case (3, .number(let integer)): return String(Int64(bitPattern: integer))
            case (4, .number(let bits)): return String(Double(bitPattern: bits))
            case (5, .bytes(let array)):
                // ArrayValue { repeated AnyValue values = 1; }
                var elements: [String] = []
                for case (1, .bytes(let element)) in fields(array) ?? [] { elements.append(anyValue(element)) }
                return elements.joined(separator: ",")
            default: continue
            }
        }
        return ""
    }
}
