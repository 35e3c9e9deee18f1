/// Why ``HTTPClient/execute(_:options:)`` failed without an HTTP response.
///
/// The description never contains the request URL, credentials or bodies: webhook and Slack URLs are
/// secrets. It may contain the host name and port, as libcurl's messages do.
public struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case transport(code: Int, message: String)
        case timeout(message: String)
        case cancelled
        case invalidRequest(reason: String)
        case shutdown
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// libcurl reported a failure (connection refused, DNS, TLS, protocol error, ...).
    static func transport(code: Int, message: String) -> HTTPClientError {
        HTTPClientError(.transport(code: code, message: message))
    }

    /// The request's timeout or the connect timeout expired.
    static func timeout(message: String) -> HTTPClientError {
        HTTPClientError(.timeout(message: message))
    }

    /// The request was rejected before it was sent (for example a header with a line break).
    static func invalidRequest(_ reason: String) -> HTTPClientError {
        HTTPClientError(.invalidRequest(reason: reason))
    }

    /// The awaiting task was cancelled and the transfer aborted.
    public static let cancelled = HTTPClientError(.cancelled)

    /// The client was shut down before the transfer finished.
    public static let shutdown = HTTPClientError(.shutdown)

    /// Whether a timeout (whole request or connect) expired.
    public var isTimeout: Bool {
        if case .timeout = base { return true }
        return false
    }

    /// Whether the awaiting task was cancelled.
    public var isCancelled: Bool {
        base == .cancelled
    }

    /// Whether the client was shut down before the transfer finished.
    public var isShutdown: Bool {
        base == .shutdown
    }

    /// Whether the request was rejected before anything was sent.
    public var isInvalidRequest: Bool {
        if case .invalidRequest = base { return true }
        return false
    }

    /// libcurl's `CURLcode` for transport failures and timeouts.
    public var curlCode: Int? {
        switch base {
        case .transport(let code, _): return code
        case .timeout: return 28  // CURLE_OPERATION_TIMEDOUT
        case .cancelled, .invalidRequest, .shutdown: return nil
        }
    }

    /// A one-line reason, safe to log.
    public var description: String {
        switch base {
        case .transport(let code, let message): return "transport error (curl code \(code)): \(message)"
        case .timeout(let message): return "request timed out: \(message)"
        case .cancelled: return "request cancelled"
        case .invalidRequest(let reason): return "invalid request: \(reason)"
        case .shutdown: return "HTTP client is shut down"
        }
    }
}
