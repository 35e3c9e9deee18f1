import Tracing

/// The outbound HTTP client: libcurl's multi interface driven by one dedicated OS thread. It also submits email over
/// SMTP (``submit(_:)``), on the same thread.
///
/// Awaiting ``execute(_:options:)`` never blocks Swift's cooperative thread pool. Connections are kept in
/// one cache and reused across requests. Create one instance for the process and call ``shutdown()`` when
/// done (deinit does it too).
public final class HTTPClient: Sendable {
    private let driver: HTTPDriver
    /// Makes a client span for each request sent under a traced context and puts its W3C trace context in the
    /// request headers (`traceparent`); nil: no span, no header, no context lookup.
    private let tracer: (any Tracer)?

    /// Creates the client and starts its thread. At most `maxConnections` connections are open at once (and
    /// all of them are kept for reuse), at most `maxConnectionsPerHost` to one host; requests beyond that wait
    /// for a free connection.
    ///
    /// The defaults follow Alertmanager's HTTP transport (Prometheus common: up to 1,000 idle connections kept per
    /// host, no cap on open ones) closely enough that a storm to one slow receiver is not queued behind a lower
    /// cap than Alertmanager has: the dispatcher runs at most 1,024 flushes at once.
    ///
    /// With a `tracer`, a request made where a span is current (a notification attempt) gets a child span
    /// `HTTP <method>` and that span's `traceparent` header, as Alertmanager 0.30's instrumented transport sends it.
    public init(maxConnections: Int = 4096, maxConnectionsPerHost: Int = 1024, tracer: (any Tracer)? = nil) {
        self.tracer = tracer
        driver = HTTPDriver(maxConnections: maxConnections, maxConnectionsPerHost: maxConnectionsPerHost)
        driver.startThread()
    }

    deinit {
        driver.shutdown()
    }

    /// Sends `request` and returns the response of any status; throws ``HTTPClientError`` when no
    /// response arrived (transport failure, timeout, cancellation of the awaiting task, shutdown).
    public func execute(_ request: HTTPRequest, options: HTTPClientOptions = HTTPClientOptions()) async throws
        -> HTTPResponse
    {
        try HTTPClient.validate(request, options: options)
        if let tracer, let context = ServiceContext.current {
            return try await executeTraced(request, options: options, tracer: tracer, parent: context)
        }
        let transfer = HTTPTransfer(request: request, options: options)
        return try await driver.run(transfer, waiter: transfer.waiter)
    }

    /// ``execute(_:options:)`` inside a client span whose context goes out in the request's headers.
    private func executeTraced(
        _ request: HTTPRequest, options: HTTPClientOptions, tracer: any Tracer, parent: ServiceContext
    ) async throws -> HTTPResponse {
        let span = tracer.startSpan("HTTP \(request.method)", context: parent, ofKind: .client)
        defer { span.end() }
        span.attributes["http.request.method"] = request.method
        // The URL is a secret (tokens in paths); only its host and port are recorded.
        if let address = Self.serverAddress(of: request.url) { span.attributes["server.address"] = address }
        var request = request
        tracer.inject(span.context, into: &request.headers, using: HTTPHeaderInjector())
        do {
            let transfer = HTTPTransfer(request: request, options: options)
            let response = try await driver.run(transfer, waiter: transfer.waiter)
            span.attributes["http.response.status_code"] = response.status
            if response.status >= 400 { span.setStatus(SpanStatus(code: .error)) }
            return response
        } catch {
            span.attributes["error.type"] = "\(type(of: error))"
            span.setStatus(SpanStatus(code: .error, message: "\(error)"))
            throw error
        }
    }

    /// `host[:port]` of an absolute URL, without user information, path or query.
    static func serverAddress(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        return host.isEmpty ? nil : String(host)
    }

    /// Submits one message over SMTP on a connection of its own; throws ``SMTPError`` when the server did not take
    /// it (the failed step and the server's reply), the connection or TLS failed, the timeout expired or the
    /// awaiting task was cancelled.
    public func submit(_ mail: SMTPRequest) async throws {
        try Self.validate(mail)
        let transfer = SMTPTransfer(request: mail)
        try await driver.run(transfer, waiter: transfer.waiter)
    }

    /// Stops the thread, fails transfers in flight with ``HTTPClientError/isShutdown`` and frees the libcurl
    /// handles. Idempotent; blocks until the thread has finished (a few milliseconds).
    public func shutdown() {
        driver.shutdown()
    }

    /// Rejects what would corrupt the request line or headers (line breaks, NUL bytes).
    static func validate(_ request: HTTPRequest, options: HTTPClientOptions) throws(HTTPClientError) {
        func clean(_ text: String) -> Bool {
            !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
        }
        guard !request.method.isEmpty, request.method.allSatisfy({ $0.isLetter }) else {
            throw .invalidRequest("bad method")
        }
        guard clean(request.url), !request.url.isEmpty else {
            throw .invalidRequest("bad URL")
        }
        guard request.maxResponseBodyBytes >= 0 else {
            throw .invalidRequest("negative response body cap")
        }
        for header in request.headers + options.proxyConnectHeaders {
            guard !header.name.isEmpty, clean(header.name), clean(header.value), !header.name.contains(":") else {
                throw .invalidRequest("bad header")
            }
        }
        let secrets = [
            options.bearerToken, options.authorization?.type, options.authorization?.credentials,
            options.basicAuth?.username, options.basicAuth?.password, options.userAgent,
        ]
        guard secrets.allSatisfy({ clean($0 ?? "") }) else {
            throw .invalidRequest("credentials or user agent contain a line break")
        }
    }

    /// Rejects what would end an SMTP command line early and smuggle in another command: Go's net/smtp refuses the
    /// same (`smtp: A line must not contain CR or LF`).
    static func validate(_ mail: SMTPRequest) throws(SMTPError) {
        func clean(_ text: String) -> Bool {
            !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
        }
        let lines = [mail.from, mail.hello] + mail.recipients
        guard lines.allSatisfy(clean) else {
            let stage: SMTPError.Stage =
                !clean(mail.hello) ? .hello : !clean(mail.from) ? .mail : .recipient
            throw SMTPError(stage: stage, detail: "smtp: A line must not contain CR or LF")
        }
        guard !mail.host.isEmpty, clean(mail.host), (0...65535).contains(mail.port) else {
            throw SMTPError(stage: .connect, detail: "invalid server address")
        }
        if let credentials = mail.credentials {
            let secrets = [credentials.username, credentials.password, credentials.authorizationIdentity]
            guard secrets.allSatisfy({ !$0.utf8.contains(0) }) else {
                throw SMTPError(stage: .auth, detail: "credentials contain a NUL byte")
            }
        }
    }
}

/// Writes a propagated value into an outbound request's headers, replacing one of the same name.
struct HTTPHeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [HTTPHeader]) {
        let lowered = key.lowercased()
        carrier.removeAll { $0.name.lowercased() == lowered }
        carrier.append(HTTPHeader(key, value))
    }
}
