import Foundation
import Hummingbird
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat
import Metrics
import NIOCore

/// Alertmanager 0.25's HTTP API v2 (plus `POST /api/v1/alerts`, `/-/healthy`, `/-/ready`, `/-/reload`) as one
/// Hummingbird middleware: requests under the route prefix that it knows are answered, everything else goes
/// to `next` (so `/metrics` and the UI can be routes of the same router).
public struct AlertmanagerAPI<Backend: APIBackend, Context: RequestContext>: RouterMiddleware {
    /// The default request body limit (32 MiB); larger bodies get 413.
    public static var defaultMaxBodyBytes: Int { 32 << 20 }

    private let backend: Backend
    private let prefix: String
    private let maxBodyBytes: Int
    private let now: @Sendable () -> Date
    private let metrics: APIMetrics
    private let routes = Self.routeTable

    /// Creates the API.
    /// - Parameters:
    ///   - backend: the engine adapter.
    ///   - routePrefix: `--web.route-prefix` (e.g. `/` or `/am`); a trailing slash is ignored.
    ///   - maxBodyBytes: request body limit for POST bodies.
    ///   - metricsFactory: where `alertmanager_alerts_received_total` and `..._invalid_total` go.
    ///   - now: the clock used for defaults, validation and state computation.
    public init(
        backend: Backend,
        routePrefix: String = "/",
        maxBodyBytes: Int = Self.defaultMaxBodyBytes,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.backend = backend
        self.prefix = Self.normalizedPrefix(routePrefix)
        self.maxBodyBytes = maxBodyBytes
        self.now = now
        self.metrics = APIMetrics(factory: metricsFactory)
    }

    /// `"/"` → `""`, `"am/"` → `"/am"`.
    static func normalizedPrefix(_ prefix: String) -> String {
        var p = prefix
        while p.hasSuffix("/") { p.removeLast() }
        if !p.isEmpty, !p.hasPrefix("/") { p = "/" + p }
        return p
    }

    /// Answers API requests; passes others on.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let fullPath = request.uri.path
        guard fullPath.hasPrefix(prefix) else { return try await next(request, context) }
        let path = String(fullPath.dropFirst(prefix.count))
        guard let response = try await route(path: path, request: request) else {
            return try await next(request, context)
        }
        return response
    }

    /// A handler: the API, the request and the route's `{name}` segment (`""` when it has none).
    typealias Handler = @Sendable (Self, Request, String) async throws -> Response

    /// Every endpoint; adding one is a line here and its handler.
    static var routeTable: [APIRoute<Handler>] {
        [
            APIRoute(
                "/-/healthy", .httprouter,
                [.get: { api, r, _ in api.healthy(r) }, .head: { api, r, _ in api.healthy(r) }]),
            APIRoute(
                "/-/ready", .httprouter,
                [.get: { api, r, _ in api.healthy(r) }, .head: { api, r, _ in api.healthy(r) }]),
            APIRoute("/-/reload", .httprouter, [.post: { api, _, _ in await api.reload() }]),
            APIRoute("/api/v1/alerts", .passOn, [.post: { api, r, _ in try await api.postAlertsV1(r) }]),
            APIRoute("/api/v2", .httprouter, any: { api, _, _ in api.redirectToV2() }),
            APIRoute(
                "/api/v2/alerts", .openAPI,
                [.post: { api, r, _ in try await api.postAlerts(r) }, .get: { api, r, _ in await api.getAlerts(r) }]),
            APIRoute("/api/v2/alerts/groups", .openAPI, [.get: { api, r, _ in await api.getAlertGroups(r) }]),
            APIRoute(
                "/api/v2/silences", .openAPI,
                [.get: { api, r, _ in await api.getSilences(r) }, .post: { api, r, _ in try await api.postSilence(r) }]
            ),
            APIRoute(
                "/api/v2/silence/{silenceID}", .openAPI,
                [
                    .get: { api, _, id in await api.getSilence(id: id) },
                    .delete: { api, _, id in await api.deleteSilence(id: id) },
                ]
            ),
            APIRoute(
                "/api/v2/status", .openAPI,
                [.get: { api, _, _ in APIResponse.json(APIRender.status(await api.backend.status())) }]),
            APIRoute(
                "/api/v2/receivers", .openAPI,
                [.get: { api, _, _ in APIResponse.json(APIRender.receivers(await api.backend.receivers())) }]),
        ]
    }

    /// The route table's answer for `path` (below the prefix), nil for requests that are not the API's.
    private func route(path: String, request: Request) async throws -> Response? {
        let method = request.method
        for route in routes {
            guard let parameter = route.match(path) else { continue }
            var response: Response
            if let handler = route.handler(for: method) {
                response = try await handler(self, request, parameter)
            } else {
                switch route.dialect {
                case .httprouter:
                    response = APIResponse.plainText(
                        "Method Not Allowed\n", status: .methodNotAllowed, allow: route.allow)
                case .openAPI:
                    response = APIResponse.methodNotAllowed(method: method, allowed: route.allow)
                case .passOn:
                    return nil
                }
            }
            if route.dialect == .openAPI, method == .head { response.body = ResponseBody() }
            return response
        }
        return path.hasPrefix("/api/v2/") ? APIResponse.notFound(path: path) : nil
    }

    // MARK: Operations

    /// `/-/healthy` and `/-/ready`: `OK` (no body for HEAD).
    private func healthy(_ request: Request) -> Response {
        var response = APIResponse.plainText("OK", status: .ok)
        response.headers[.xContentTypeOptions] = nil
        if request.method == .head { response.body = ResponseBody() }
        return response
    }

    private func reload() async -> Response {
        do {
            try await backend.reload()
            return APIResponse.emptyOK()
        } catch {
            return APIResponse.plainText("failed to reload config: \(error)\n", status: .internalServerError)
        }
    }

    /// `/api/v2` → `<prefix>/api/v2/`, as Go's `http.Redirect` writes it.
    private func redirectToV2() -> Response {
        var headers = HTTPFields()
        headers[.location] = prefix + "/api/v2/"
        headers[.contentType] = "text/html; charset=utf-8"
        let body = "<a href=\"\(prefix)/api/v2/\">Moved Permanently</a>.\n\n"
        return Response(
            status: .movedPermanently, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: Alerts

    /// The `AlertQuery` of the request's parameters, as go-openapi binds them.
    private func alertQuery(_ request: Request) -> AlertQuery {
        let params = QueryParameters(request.uri.query)
        return AlertQuery(
            active: params.bool("active", default: true), silenced: params.bool("silenced", default: true),
            inhibited: params.bool("inhibited", default: true), unprocessed: params.bool("unprocessed", default: true),
            filter: params.values("filter"), receiver: params.values("receiver").last ?? "",
            muted: params.bool("muted", default: true))
    }

    /// The request's `AlertQuery` with its matchers parsed, or the 400 of the first that does not parse.
    private func alertFilter(_ request: Request) -> APIOutcome<AlertFilter, Response> {
        let query = alertQuery(request)
        var filter = AlertFilter(
            active: query.active, silenced: query.silenced, inhibited: query.inhibited, unprocessed: query.unprocessed,
            muted: query.muted)
        for text in query.filter {
            do {
                filter.filter.append(try Matcher.parse(text))
            } catch {
                return .failure(APIResponse.bareString(error.message, status: .badRequest))
            }
        }
        if !query.receiver.isEmpty {
            do {
                filter.receiver = try Matcher(type: .regexMatch, name: "receiver", value: query.receiver)
            } catch {
                return .failure(
                    APIResponse.bareString("failed to parse receiver param: \(error.message)", status: .badRequest))
            }
        }
        return .success(filter)
    }

    private func getAlerts(_ request: Request) async -> Response {
        switch alertFilter(request) {
        case .failure(let response): return response
        case .success(let filter): return APIResponse.json(APIRender.alerts(await backend.alerts(filter, now: now())))
        }
    }

    private func getAlertGroups(_ request: Request) async -> Response {
        switch alertFilter(request) {
        case .failure(let response): return response
        case .success(let filter):
            return APIResponse.json(APIRender.groups(await backend.alertGroups(filter, now: now())))
        }
    }

    /// Reads a JSON POST body: the size limit (413), then, for a non-empty body, the Content-Type (415 / 400).
    private func jsonBody(_ request: Request, checkContentType: Bool) async throws -> APIOutcome<[UInt8], Response> {
        let body: [UInt8]
        do {
            body = Array(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            return .failure(
                APIResponse.error(
                    code: 413, status: .contentTooLarge, message: "request body is larger than \(maxBodyBytes) bytes"))
        }
        guard checkContentType, !body.isEmpty else { return .success(body) }
        switch GoMediaType.parse(request.headers[.contentType]) {
        case .failure(let reason):
            let header = GoQuote.quote(request.headers[.contentType] ?? "")
            return .failure(
                APIResponse.error(
                    code: 400, status: .badRequest,
                    message: "parsing Content-Type header from \(header) failed, because \(reason)"))
        case .success(let mediaType) where mediaType != "application/json":
            let quoted = GoQuote.quote(mediaType)
            return .failure(
                APIResponse.error(
                    code: 415, status: .unsupportedMediaType,
                    message: "unsupported media type \(quoted), only [application/json] are allowed"))
        case .success:
            return .success(body)
        }
    }

    private func postAlerts(_ request: Request) async throws -> Response {
        let body: [UInt8]
        switch try await jsonBody(request, checkContentType: true) {
        case .failure(let response): return response
        case .success(let bytes): body = bytes
        }
        let postable: [PostableAlert]
        switch PostableAlertsDecoder.decode(body) {
        case .failure(let error): return APIResponse.body(error, what: "alerts")
        case .success(let alerts): postable = alerts
        }
        let ingest = AlertIngest(postable, now: now(), resolveTimeout: await backend.resolveTimeout())
        metrics.record(ingest, version: .v2)
        if !ingest.valid.isEmpty { await backend.postAlerts(ingest.valid) }
        if !ingest.errors.isEmpty { return APIResponse.bareString(ingest.joinedErrors, status: .badRequest) }
        return APIResponse.emptyOK()
    }

    /// `POST /api/v1/alerts`: the same body and processing with the v1 envelope.
    private func postAlertsV1(_ request: Request) async throws -> Response {
        func v1Error(_ message: String) -> Response {
            var w = GoJSONWriter()
            w.raw("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":")
            w.string(message)
            w.raw(UInt8(ascii: "}"))
            return APIResponse.json(w, status: .badRequest)
        }
        let body: [UInt8]
        switch try await jsonBody(request, checkContentType: false) {
        case .failure(let response): return response
        case .success(let bytes): body = bytes
        }
        let postable: [PostableAlert]
        switch PostableAlertsDecoder.decode(body) {
        case .failure(.parse(let reason)): return v1Error(reason)
        case .failure(.schema(_, let message)): return v1Error(message)
        case .success(let alerts): postable = alerts
        }
        let ingest = AlertIngest(postable, now: now(), resolveTimeout: await backend.resolveTimeout())
        metrics.record(ingest, version: .v1)
        if !ingest.valid.isEmpty { await backend.postAlerts(ingest.valid) }
        if !ingest.errors.isEmpty { return v1Error(ingest.joinedErrors) }
        var w = GoJSONWriter()
        w.raw("{\"status\":\"success\"}")
        return APIResponse.json(w)
    }

    // MARK: Silences

    private func getSilences(_ request: Request) async -> Response {
        var filter: [SilenceMatcherSpec] = []
        for text in QueryParameters(request.uri.query).values("filter") {
            do {
                filter.append(SilenceMatcherSpec(try Matcher.parse(text)))
            } catch {
                return APIResponse.bareString(error.message, status: .badRequest)
            }
        }
        let all = await backend.silences(now: now())
        let selected = all.filter { silence in filter.allSatisfy { silence.matchers.contains($0) } }
        return APIResponse.json(APIRender.silences(selected.sorted(by: APIRender.silenceOrder)))
    }

    private func postSilence(_ request: Request) async throws -> Response {
        let body: [UInt8]
        switch try await jsonBody(request, checkContentType: true) {
        case .failure(let response): return response
        case .success(let bytes): body = bytes
        }
        let decoded: PostableSilence
        switch PostableSilenceDecoder.decode(body) {
        case .failure(let error): return APIResponse.body(error, what: "silence")
        case .success(let silence): decoded = silence
        }
        let now = now()
        let postable: SilenceRequest
        switch SilenceValidation.validate(decoded, now: now) {
        case .failure(let message): return APIResponse.bareString(message, status: .badRequest)
        case .success(let silence): postable = silence
        }
        do {
            let id = try await backend.setSilence(postable, now: now)
            return APIResponse.json(bytes: PostSilencesOKBody(silenceID: id).jsonBytes)
        } catch {
            return APIResponse.bareString(error.description, status: error.isNotFound ? .notFound : .badRequest)
        }
    }

    private func invalidSilenceID(_ id: String) -> Response? {
        guard !GoUUID.isValid(id) else { return nil }
        return APIResponse.error(
            code: 601, status: .unprocessableContent,
            message: "silenceID in path must be of type uuid: \(GoQuote.quote(id))")
    }

    private func getSilence(id: String) async -> Response {
        if let response = invalidSilenceID(id) { return response }
        guard let silence = await backend.silence(id: id, now: now()) else {
            return Response(status: .notFound, body: ResponseBody(byteBuffer: ByteBuffer()))
        }
        return APIResponse.json(bytes: silence.jsonBytes)
    }

    private func deleteSilence(id: String) async -> Response {
        if let response = invalidSilenceID(id) { return response }
        do {
            try await backend.expireSilence(id: id, now: now())
            return APIResponse.emptyOK()
        } catch {
            // Alertmanager 0.25 answers 500 for an unknown ID too.
            return APIResponse.bareString(error.description, status: .internalServerError)
        }
    }
}

/// The ingest counters of `/metrics`.
struct APIMetrics: Sendable {
    enum Version: String {
        case v1
        case v2
    }

    private let firing: [Counter]
    private let resolved: [Counter]
    private let invalid: [Counter]

    init(factory: any MetricsFactory) {
        func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
        let versions: [Version] = [.v1, .v2]
        firing = versions.map {
            counter("alertmanager_alerts_received_total", [("status", "firing"), ("version", $0.rawValue)])
        }
        resolved = versions.map {
            counter("alertmanager_alerts_received_total", [("status", "resolved"), ("version", $0.rawValue)])
        }
        invalid = versions.map { counter("alertmanager_alerts_invalid_total", [("version", $0.rawValue)]) }
    }

    func record(_ ingest: AlertIngest, version: Version) {
        let index = version == .v1 ? 0 : 1
        if ingest.firing > 0 { firing[index].increment(by: ingest.firing) }
        if ingest.resolved > 0 { resolved[index].increment(by: ingest.resolved) }
        if !ingest.errors.isEmpty { invalid[index].increment(by: ingest.errors.count) }
    }
}

/// A router holding only the API (for tests and simple deployments); mount `AlertmanagerAPI` as a
/// middleware of your own router to add `/metrics` or a UI.
public func buildAPIRouter<Backend: APIBackend>(
    backend: Backend,
    routePrefix: String = "/",
    maxBodyBytes: Int = 32 << 20,
    metricsFactory: any MetricsFactory = MetricsSystem.factory,
    now: @escaping @Sendable () -> Date = { Date() }
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(
        middleware: AlertmanagerAPI<Backend, BasicRequestContext>(
            backend: backend, routePrefix: routePrefix, maxBodyBytes: maxBodyBytes, metricsFactory: metricsFactory,
            now: now))
    return router
}
