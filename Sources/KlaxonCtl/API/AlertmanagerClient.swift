import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP

/// The silence endpoints of API v2; commands take this so that tests can pass a fake.
public protocol SilenceAPI: Sendable {
    /// `GET /api/v2/silences?filter=...`: every silence matching all filter matchers.
    func silences(filter: [String]) async throws -> [GettableSilence]
    /// `POST /api/v2/silences`: creates (or with an ID, replaces) a silence; returns the silence ID.
    func postSilence(_ silence: PostableSilence) async throws -> String
    /// `DELETE /api/v2/silence/{id}`: expires a silence.
    func expireSilence(id: String) async throws
    /// `GET /api/v2/silence/{id}`: one silence.
    func silence(id: String) async throws -> GettableSilence
}

extension SilenceAPI {
    /// Finds the silence in the full listing; fakes get this for free.
    public func silence(id: String) async throws -> GettableSilence {
        guard let found = try await silences(filter: []).first(where: { $0.id == id }) else {
            throw APIClientError.status(404, endpoint: .getSilence, body: [])
        }
        return found
    }
}

/// The alert endpoints of API v2.
public protocol AlertAPI: Sendable {
    /// `GET /api/v2/alerts` with the query's filters.
    func alerts(_ query: AlertQuery) async throws -> [GettableAlert]
    /// `POST /api/v2/alerts`.
    func postAlerts(_ alerts: [PostableAlert]) async throws
}

/// `GET /api/v2/status`.
public protocol StatusAPI: Sendable {
    /// The server's status (running config, version, cluster).
    func status() async throws -> AlertmanagerStatus
}

/// An HTTP API v2 client over libcurl that works against Klaxon and Alertmanager alike.
public struct AlertmanagerClient: SilenceAPI, AlertAPI, StatusAPI {
    /// The base URL given by the user, e.g. `http://localhost:9093/` (userinfo removed).
    public var baseURL: String
    /// TLS, authentication, proxy and redirect settings.
    public var options: HTTPClientOptions
    /// The limit for each request (`--timeout`).
    public var timeout: Duration
    private let http: HTTPClient

    /// One libcurl client for the process.
    private static let sharedHTTP = HTTPClient(maxConnections: 8)

    /// Creates a client. Basic-auth userinfo in `baseURL` (`http://user:pass@host/`) becomes `options.basicAuth`.
    public init(
        baseURL: String, options: HTTPClientOptions = HTTPClientOptions(), timeout: Duration = .seconds(30)
    ) throws {
        var options = options
        // Go's url.Parse decides what is a URL; URLComponents then takes it apart.
        guard case .success(let parsed) = GoURL.parse(baseURL), parsed.scheme == "http" || parsed.scheme == "https",
            var components = URLComponents(string: baseURL), let host = components.host, !host.isEmpty
        else {
            throw APIClientError.message(
                "invalid Alertmanager URL \"\(GoURL.withoutUserinfo(baseURL))\": want http(s)://host[:port][/path]")
        }
        if components.user != nil || components.password != nil {
            options.basicAuth = HTTPClientOptions.BasicAuth(
                username: components.user ?? "", password: components.password ?? "")
            components.user = nil
            components.password = nil
        }
        if options.userAgent == HTTPClientOptions.defaultUserAgent { options.userAgent = "klaxonctl" }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        components.path = path
        components.query = nil
        components.fragment = nil
        self.baseURL = components.string ?? baseURL
        self.options = options
        self.timeout = timeout
        self.http = Self.sharedHTTP
    }

    /// `<base>/api/v2<path>` (or Klaxon's own API, `<base>/api/klaxon/v1<path>`) with the query.
    func url(_ path: String, query: [(String, String)] = [], klaxonAPI: Bool = false) -> String {
        var url = baseURL + (klaxonAPI ? "/api/klaxon/v1" : "/api/v2") + path
        if !query.isEmpty {
            url +=
                "?"
                + query.map { "\(GoURL.queryEscape($0.0))=\(GoURL.queryEscape($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// Sends a request; returns the 2xx body or throws an ``APIClientError``.
    func send(_ endpoint: Endpoint, url: String, body: [UInt8]? = nil) async throws -> [UInt8] {
        var headers = [HTTPHeader("Accept", "application/json")]
        var bytes: [UInt8] = []
        if let body {
            headers.append(HTTPHeader("Content-Type", "application/json"))
            bytes = body
        }
        let request = HTTPRequest(
            method: endpoint.method, url: url, headers: headers, body: bytes, timeout: timeout,
            maxResponseBodyBytes: 256 << 20)
        let response: HTTPResponse
        do {
            response = try await http.execute(request, options: options)
        } catch let error as HTTPClientError {
            throw APIClientError.transport(
                method: endpoint.method, url: url, reason: Self.reason(error, url: url, proxy: fixedProxy))
        }
        guard (200..<300).contains(response.status) else {
            throw APIClientError.status(response.status, endpoint: endpoint, body: response.body)
        }
        return response.body
    }

    /// The `proxy_url` every request goes through (none when `no_proxy` or the environment may decide), for
    /// Go's `proxyconnect tcp:` wording.
    private var fixedProxy: String? {
        guard let proxy = options.proxyURL, !proxy.isEmpty, options.noProxy?.isEmpty ?? true else { return nil }
        return proxy
    }

    /// Go's wording for transport failures where amtool users know it; with a proxy, the failure to reach it is
    /// `proxyconnect tcp: ...` with the proxy's address (never its userinfo).
    static func reason(_ error: HTTPClientError, url: String, proxy: String? = nil) -> String {
        if error.isTimeout { return "context deadline exceeded" }
        let target = URLComponents(string: url)
        let proxyComponents = proxy.flatMap { URLComponents(string: $0) }
        let components = proxyComponents ?? target
        let host = components?.host ?? ""
        let port = components?.port ?? (components?.scheme == "https" ? 443 : 80)
        let address = "\(host == "localhost" ? "127.0.0.1" : host):\(port)"
        let prefix = proxyComponents == nil ? "" : "proxyconnect tcp: "
        switch error.curlCode {
        case 7: return prefix + "dial tcp \(address): connect: connection refused"
        case 6 where proxyComponents == nil, 5 where proxyComponents != nil:
            return prefix + "dial tcp: lookup \(host): no such host"
        default: return error.description
        }
    }

    /// Decodes a 2xx body; a body that is not the model is an ``APIClientError/invalidResponse(url:reason:)``.
    static func decode<T>(_ url: String, _ decode: () throws(APIDecodingError) -> T) throws -> T {
        do {
            return try decode()
        } catch {
            throw APIClientError.invalidResponse(url: url, reason: error.description)
        }
    }

    /// `GET /api/v2/silences`.
    public func silences(filter: [String]) async throws -> [GettableSilence] {
        let url = url("/silences", query: filter.map { ("filter", $0) })
        let body = try await send(.getSilences, url: url)
        return try Self.decode(url) { () throws(APIDecodingError) in try GettableSilence.decodeList(json: body) }
    }

    /// `GET /api/v2/silence/{id}`.
    public func silence(id: String) async throws -> GettableSilence {
        let url = url("/silence/" + GoURL.pathEscape(id))
        let body = try await send(.getSilence, url: url)
        return try Self.decode(url) { () throws(APIDecodingError) in try GettableSilence.decode(json: body) }
    }

    /// `POST /api/v2/silences`; returns the `silenceID` of the answer.
    public func postSilence(_ silence: PostableSilence) async throws -> String {
        let url = url("/silences")
        let body = try await send(.postSilences, url: url, body: silence.jsonBytes)
        return try Self.decode(url) { () throws(APIDecodingError) in
            try PostSilencesOKBody.decode(json: body).silenceID
        }
    }

    /// `DELETE /api/v2/silence/{id}`.
    public func expireSilence(id: String) async throws {
        _ = try await send(.deleteSilence, url: url("/silence/" + GoURL.pathEscape(id)))
    }

    /// `GET /api/v2/alerts`; the parameters are sent as amtool 0.25 sends them (sorted, receiver only when set).
    public func alerts(_ query: AlertQuery) async throws -> [GettableAlert] {
        var params: [(String, String)] = [("active", "\(query.active)")]
        params += query.filter.map { ("filter", $0) }
        params.append(("inhibited", "\(query.inhibited)"))
        if !query.receiver.isEmpty { params.append(("receiver", query.receiver)) }
        params += [("silenced", "\(query.silenced)"), ("unprocessed", "\(query.unprocessed)")]
        let url = url("/alerts", query: params)
        let body = try await send(.getAlerts, url: url)
        return try Self.decode(url) { () throws(APIDecodingError) in try GettableAlert.decodeList(json: body) }
    }

    /// `POST /api/v2/alerts`.
    public func postAlerts(_ alerts: [PostableAlert]) async throws {
        _ = try await send(.postAlerts, url: url("/alerts"), body: alerts.jsonBytes)
    }

    /// `GET /api/klaxon/v1/audit` (Klaxon only): one page of the audit trail, newest first.
    public func audit(_ parameters: [(String, String)]) async throws -> AuditPage {
        let url = self.url("/audit", query: parameters, klaxonAPI: true)
        let body = try await send(.getAudit, url: url)
        return try Self.decode(url) { () throws(APIDecodingError) in try AuditPage.decode(json: body) }
    }

    /// `GET /api/klaxon/v1/history` (Klaxon only): one page of the timeline, oldest first.
    public func history(_ parameters: [(String, String)]) async throws -> HistoryPage {
        let url = self.url("/history", query: parameters, klaxonAPI: true)
        let body = try await send(.getHistory, url: url)
        return try Self.decode(url) { () throws(APIDecodingError) in try HistoryPage.decode(json: body) }
    }

    /// `POST /api/klaxon/v1/explain` (Klaxon only): the whole decision for a label set.
    public func explain(_ request: ExplainRequest) async throws -> ExplainResponse {
        let url = self.url("/explain", klaxonAPI: true)
        let body = try await send(.postExplain, url: url, body: request.jsonBytes)
        return try Self.decode(url) { () throws(APIDecodingError) in try ExplainResponse.decode(json: body) }
    }

    /// `GET /api/v2/status`.
    public func status() async throws -> AlertmanagerStatus {
        let url = url("/status")
        let body = try await send(.getStatus, url: url)
        return try Self.decode(url) { () throws(APIDecodingError) in try AlertmanagerStatus.decode(json: body) }
    }
}
