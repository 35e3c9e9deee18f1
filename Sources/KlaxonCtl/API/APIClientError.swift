import Foundation

/// Why an API call failed, worded as amtool 0.25 words it (`Get "<url>": dial tcp ...: connection refused`,
/// `[DELETE /silence/{silenceID}][500] deleteSilenceInternalServerError  silence not found`).
public struct APIClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        /// No response: the request method, URL and transport reason.
        case transport(method: String, url: String, reason: String)
        /// A status the endpoint documents (go-swagger names it after the operation).
        case documentedStatus(method: String, path: String, status: Int, operation: String, message: String)
        /// A status the endpoint does not document.
        case undocumentedStatus(status: Int, message: String)
        /// A 2xx response whose body could not be read.
        case invalidResponse(url: String, reason: String)
        /// Not found by the client itself (for example no silence with this ID in a listing).
        case other(message: String)
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    static func transport(method: String, url: String, reason: String) -> APIClientError {
        APIClientError(.transport(method: method, url: url, reason: reason))
    }

    static func status(_ status: Int, endpoint: Endpoint, body: [UInt8]) -> APIClientError {
        let message = Self.message(fromBody: body)
        if let documented = endpoint.documentedStatuses[status] {
            // go-swagger prints `[METHOD path][code] operation  payload`; responses without a payload end in one space.
            return APIClientError(
                .documentedStatus(
                    method: endpoint.method, path: endpoint.pathTemplate, status: status,
                    operation: documented.operation, message: documented.hasPayload ? " " + message : ""))
        }
        return APIClientError(.undocumentedStatus(status: status, message: message))
    }

    static func invalidResponse(url: String, reason: String) -> APIClientError {
        APIClientError(.invalidResponse(url: url, reason: reason))
    }

    /// An error with this message.
    public static func message(_ message: String) -> APIClientError {
        APIClientError(.other(message: message))
    }

    /// The HTTP status the server answered with, when it answered.
    public var status: Int? {
        switch base {
        case .documentedStatus(_, _, let status, _, _), .undocumentedStatus(let status, _): status
        default: nil
        }
    }

    /// Whether the server could not be reached (no HTTP response).
    public var isTransportFailure: Bool {
        if case .transport = base { return true }
        return false
    }

    /// The message as amtool prints it after `amtool: error: `.
    public var description: String {
        switch base {
        case .transport(let method, let url, let reason):
            return "\(method.prefix(1))\(method.dropFirst().lowercased()) \"\(url)\": \(reason)"
        case .documentedStatus(let method, let path, let status, let operation, let message):
            return "[\(method) \(path)][\(status)] \(operation) \(message)"
        case .undocumentedStatus(let status, let message):
            return "response status code does not match any response statuses defined for this endpoint in the "
                + "swagger spec (status \(status)): \(message.isEmpty ? "{}" : message)"
        case .invalidResponse(let url, let reason):
            return "invalid response from \(url): \(reason)"
        case .other(let message):
            return message
        }
    }

    /// The server's message: a JSON string body (`"silence not found"`), the `message` of a JSON error object,
    /// or the body text.
    static func message(fromBody body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let parsed = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        if let text = parsed as? String { return text }
        if let object = parsed as? [String: Any], let message = object["message"] as? String { return message }
        var text = String(decoding: body, as: UTF8.self)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}

/// An API v2 endpoint: its method, go-swagger path template and the statuses 0.25's spec documents (with whether
/// the response has a payload; the others are "response status code does not match ..." in amtool).
struct Endpoint: Sendable {
    struct Documented: Sendable {
        var operation: String
        var hasPayload: Bool
    }

    var method: String
    var pathTemplate: String
    var documentedStatuses: [Int: Documented]

    static let getAlerts = Endpoint(
        method: "GET", pathTemplate: "/alerts",
        documentedStatuses: [
            400: Documented(operation: "getAlertsBadRequest", hasPayload: true),
            500: Documented(operation: "getAlertsInternalServerError", hasPayload: true),
        ])
    static let postAlerts = Endpoint(
        method: "POST", pathTemplate: "/alerts",
        documentedStatuses: [
            400: Documented(operation: "postAlertsBadRequest", hasPayload: true),
            500: Documented(operation: "postAlertsInternalServerError", hasPayload: true),
        ])
    static let getSilences = Endpoint(
        method: "GET", pathTemplate: "/silences",
        documentedStatuses: [500: Documented(operation: "getSilencesInternalServerError", hasPayload: true)])
    static let postSilences = Endpoint(
        method: "POST", pathTemplate: "/silences",
        documentedStatuses: [
            400: Documented(operation: "postSilencesBadRequest", hasPayload: true),
            404: Documented(operation: "postSilencesNotFound", hasPayload: true),
        ])
    static let getSilence = Endpoint(
        method: "GET", pathTemplate: "/silence/{silenceID}",
        documentedStatuses: [
            404: Documented(operation: "getSilenceNotFound", hasPayload: false),
            500: Documented(operation: "getSilenceInternalServerError", hasPayload: true),
        ])
    static let deleteSilence = Endpoint(
        method: "DELETE", pathTemplate: "/silence/{silenceID}",
        documentedStatuses: [500: Documented(operation: "deleteSilenceInternalServerError", hasPayload: true)])
    static let getStatus = Endpoint(method: "GET", pathTemplate: "/status", documentedStatuses: [:])
    /// Klaxon's own audit trail (not an Alertmanager endpoint).
    static let getAudit = Endpoint(method: "GET", pathTemplate: "/api/klaxon/v1/audit", documentedStatuses: [:])
    /// Klaxon's timeline (not an Alertmanager endpoint).
    static let getHistory = Endpoint(method: "GET", pathTemplate: "/api/klaxon/v1/history", documentedStatuses: [:])
    /// Klaxon's explain (not an Alertmanager endpoint).
    static let postExplain = Endpoint(method: "POST", pathTemplate: "/api/klaxon/v1/explain", documentedStatuses: [:])
}
