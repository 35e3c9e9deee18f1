import Foundation
import Hummingbird
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// Response builders with Alertmanager's exact bodies and headers.
enum APIResponse {
    static func json(_ writer: GoJSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: writer.bytes, status: status)
    }

    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// 200 with an empty body and no Content-Type.
    static func emptyOK() -> Response {
        Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer()))
    }

    /// go-openapi's error body: `{"code":N,"message":"..."}` (HTML-escaped, as `json.Marshal`).
    static func error(code: Int, status: HTTPResponse.Status, message: String) -> Response {
        var writer = GoJSONWriter(capacity: message.utf8.count + 32)
        writer.raw("{\"code\":")
        writer.int(code)
        writer.raw(",\"message\":")
        writer.string(message)
        writer.raw(UInt8(ascii: "}"))
        return json(writer, status: status)
    }

    /// A handler error: the message as a bare JSON string plus a newline (not HTML-escaped).
    static func bareString(_ message: String, status: HTTPResponse.Status) -> Response {
        var writer = GoJSONWriter(capacity: message.utf8.count + 4, escapeHTML: false)
        writer.string(message)
        writer.raw(UInt8(ascii: "\n"))
        return json(writer, status: status)
    }

    /// Body refused before the handler ran (parse 400 or schema 422).
    static func body(_ error: BodyError, what: String) -> Response {
        switch error {
        case .parse(let reason):
            return Self.error(
                code: 400, status: .badRequest, message: "parsing \(what) body from \"\" failed, because \(reason)")
        case .schema(let code, let message):
            return Self.error(code: code, status: .unprocessableContent, message: message)
        }
    }

    /// Go `net/http` plain-text responses (`http.Error`): text plus newline.
    static func plainText(_ text: String, status: HTTPResponse.Status, allow: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.xContentTypeOptions] = "nosniff"
        if let allow { headers[.allow] = allow }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func notFound(path: String) -> Response {
        error(code: 404, status: .notFound, message: "path \(path) was not found")
    }

    static func methodNotAllowed(method: HTTPRequest.Method, allowed: String) -> Response {
        var response = error(
            code: 405, status: .methodNotAllowed,
            message: "method \(method.rawValue) is not allowed, but [\(allowed)] are")
        response.headers[.allow] = allowed
        return response
    }
}

/// Go's `mime.ParseMediaType` media-type part, lowercased, with its error texts.
enum GoMediaType {
    static func parse(_ header: String?) -> APIOutcome<String, String> {
        guard let header, !header.isEmpty else { return .success("application/octet-stream") }
        let main = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let text = main.trimmingCharacters(in: .whitespaces).lowercased()
        func isTokenChar(_ c: UInt8) -> Bool {
            c > 0x20 && c < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(c)
        }
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count, isTokenChar(bytes[index]) { index += 1 }
        if index == 0 { return .failure("mime: no media type") }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "/") else {
            return .failure("mime: expected slash after first token")
        }
        index += 1
        let subtypeStart = index
        while index < bytes.count, isTokenChar(bytes[index]) { index += 1 }
        if index == subtypeStart { return .failure("mime: expected token after slash") }
        if index != bytes.count { return .failure("mime: unexpected content after media subtype") }
        return .success(text)
    }
}

/// Go's `url.ParseQuery` (values in order; pairs with bad escapes or `;` are dropped).
struct QueryParameters {
    private(set) var pairs: [(String, String)] = []

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        pairs = GoURL.parseQuery(query)
    }

    /// All values of `name`.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.0 == name }.map(\.1)
    }

    /// go-openapi's bool binding: the last value; absent or empty keeps `default`; `swag.ConvertBool` otherwise.
    func bool(_ name: String, default value: Bool) -> Bool {
        guard let last = values(name).last, !last.isEmpty else { return value }
        let truthy: Set<String> = ["true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"]
        return truthy.contains(last.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

/// Success or a failure value that is not an `Error` (a message or a ready response).
enum APIOutcome<Success, Failure> {
    case success(Success)
    case failure(Failure)
}
