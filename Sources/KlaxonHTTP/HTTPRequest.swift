/// One header line of an HTTP request or response, kept in order and with its original case.
public struct HTTPHeader: Sendable, Hashable {
    /// The header name, for example `Content-Type`.
    public var name: String
    /// The header value, without surrounding whitespace.
    public var value: String

    /// Creates a header line.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An outbound HTTP request.
///
/// The URL is treated as a secret (webhook and Slack URLs carry tokens): it is never logged and never
/// appears in an ``HTTPClientError``.
public struct HTTPRequest: Sendable {
    /// The default cap on the number of response body bytes kept: 1 MiB.
    public static let defaultMaxResponseBodyBytes = 1 << 20

    /// The request method, for example `GET` or `POST`.
    public var method: String
    /// The absolute `http` or `https` URL.
    public var url: String
    /// Header lines sent in this order, after the ones the client options add (`Authorization`).
    public var headers: [HTTPHeader]
    /// The request body; sent when it is not empty or the method is `POST`, `PUT` or `PATCH`.
    public var body: [UInt8]
    /// The limit for the whole transfer (connect, send, receive); `nil` means no limit.
    public var timeout: Duration?
    /// How many bytes of the response body are kept; the rest is read and dropped.
    public var maxResponseBodyBytes: Int

    /// Creates a request.
    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        timeout: Duration? = nil,
        maxResponseBodyBytes: Int = HTTPRequest.defaultMaxResponseBodyBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBodyBytes = maxResponseBodyBytes
    }
}

/// The response to an ``HTTPRequest``: the final response when redirects were followed.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code, for example 200.
    public var status: Int
    /// The response header lines in the order received.
    public var headers: [HTTPHeader]
    /// The first ``HTTPRequest/maxResponseBodyBytes`` bytes of the body (decoded if it was compressed).
    public var body: [UInt8]
    /// Whether the body was longer than the cap and was cut.
    public var bodyTruncated: Bool

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [], bodyTruncated: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
    }

    /// The value of the first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body decoded as UTF-8, with invalid bytes replaced.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}
