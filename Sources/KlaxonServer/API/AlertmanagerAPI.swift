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
public struct AlertmanagerAPI<Backend: APIBackend, Context: CallerRequestContext>: RouterMiddleware {
    /// The default request body limit (32 MiB); larger bodies get 413.
    public static var defaultMaxBodyBytes: Int { 32 << 20 }

    let backend: Backend
    private let prefix: String
    private let maxBodyBytes: Int
    let now: @Sendable () -> Date
    private let metrics: APIMetrics
    /// `--tenant.label`: what names a silence's tenants in the audit trail when no access file says otherwise.
    private let tenantLabel: String
    /// The access file's per-tenant limits (none without one).
    private let limits: @Sendable (_ tenant: String) -> TenantLimits
    private let routes = Self.routeTable

    /// Creates the API.
    /// - Parameters:
    ///   - backend: the engine adapter.
    ///   - routePrefix: `--web.route-prefix` (e.g. `/` or `/am`); a trailing slash is ignored.
    ///   - maxBodyBytes: request body limit for POST bodies.
    ///   - metricsFactory: where `alertmanager_alerts_received_total` and `..._invalid_total` go.
    ///   - tenantLabel: `--tenant.label`, naming silences' tenants in the audit trail without an access file.
    ///   - limits: the per-tenant limits of the access file in force.
    ///   - now: the clock used for defaults, validation and state computation.
    public init(
        backend: Backend,
        routePrefix: String = "/",
        maxBodyBytes: Int = Self.defaultMaxBodyBytes,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        tenantLabel: String = "tenant_id",
        limits: @escaping @Sendable (_ tenant: String) -> TenantLimits = { _ in TenantLimits() },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.backend = backend
        self.tenantLabel = tenantLabel
        self.limits = limits
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
        let origin = RequestOrigin(caller: context.caller, remoteAddress: context.remoteAddress)
        guard let response = try await route(path: path, request: request, origin: origin) else {
            return try await next(request, context)
        }
        return response
    }

    /// A handler: the API, the request, the route's `{name}` segment (`""` when it has none) and who sent it.
    typealias Handler = @Sendable (Self, Request, String, RequestOrigin) async throws -> Response

    /// `handler`, served only to callers whose role allows `action` (others get 403).
    private static func needs(_ action: Action, _ handler: @escaping Handler) -> Handler {
        { api, request, parameter, origin in
            guard origin.caller.may(action) else {
                return APIResponse.bareString(
                    "\(origin.caller.name) may not \(action.rawValue) (see the access file)", status: .forbidden)
            }
            return try await handler(api, request, parameter, origin)
        }
    }

    /// Every endpoint and the action each method needs; adding one is a line here and its handler.
    static var routeTable: [APIRoute<Handler>] {
        [
            APIRoute(
                "/-/healthy", .httprouter,
                [.get: { api, r, _, _ in api.healthy(r) }, .head: { api, r, _, _ in api.healthy(r) }]),
            APIRoute(
                "/-/ready", .httprouter,
                [.get: { api, r, _, _ in api.healthy(r) }, .head: { api, r, _, _ in api.healthy(r) }]),
            APIRoute(
                "/-/reload", .httprouter, [.post: needs(.reload) { api, _, _, origin in await api.reload(origin) }]),
            APIRoute(
                "/api/v1/alerts", .passOn,
                [.post: needs(.postAlerts) { api, r, _, origin in try await api.postAlertsV1(r, origin) }]),
            APIRoute("/api/v2", .httprouter, any: { api, _, _, _ in api.redirectToV2() }),
            APIRoute(
                "/api/v2/alerts", .openAPI,
                [
                    .post: needs(.postAlerts) { api, r, _, origin in try await api.postAlerts(r, origin) },
                    .get: needs(.readAlerts) { api, r, _, origin in await api.getAlerts(r, origin.caller) },
                ]),
            APIRoute(
                "/api/v2/alerts/groups", .openAPI,
                [.get: needs(.readAlerts) { api, r, _, origin in await api.getAlertGroups(r, origin.caller) }]),
            APIRoute(
                "/api/v2/silences", .openAPI,
                [
                    .get: needs(.readSilences) { api, r, _, origin in await api.getSilences(r, origin.caller) },
                    .post: needs(.writeSilences) { api, r, _, origin in try await api.postSilence(r, origin) },
                ]
            ),
            APIRoute(
                "/api/v2/silence/{silenceID}", .openAPI,
                [
                    .get: needs(.readSilences) { api, _, id, origin in await api.getSilence(id: id, origin.caller) },
                    .delete: needs(.writeSilences) { api, _, id, origin in await api.deleteSilence(id: id, origin) },
                ]
            ),
            APIRoute(
                "/api/v2/status", .openAPI,
                [.get: needs(.readStatus) { api, _, _, origin in await api.getStatus(origin.caller) }]),
            APIRoute(
                "/api/v2/receivers", .openAPI,
                [.get: needs(.readStatus) { api, _, _, origin in await api.getReceivers(origin.caller) }]),
            APIRoute(
                "/api/klaxon/v1/audit", .openAPI,
                [.get: needs(.readAudit) { api, r, _, origin in await api.getAudit(r, origin.caller) }]),
            APIRoute(
                "/api/klaxon/v1/explain", .openAPI,
                [.post: needs(.readAlerts) { api, r, _, origin in try await api.explain(r, origin.caller) }]),
            APIRoute(
                "/api/klaxon/v1/history", .openAPI,
                [.get: needs(.readAlerts) { api, r, _, origin in await api.getHistory(r, origin.caller) }]),
        ]
    }

    /// The route table's answer for `path` (below the prefix), nil for requests that are not the API's.
    private func route(path: String, request: Request, origin: RequestOrigin) async throws -> Response? {
        let method = request.method
        for route in routes {
            guard let parameter = route.match(path) else { continue }
            var response: Response
            if let handler = route.handler(for: method) {
                response = try await handler(self, request, parameter, origin)
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

    /// `GET /api/v2/status`; a tenant principal gets the version and cluster as usual, and the configuration without
    /// the routes, receivers, time intervals and inhibition rules that serve only other tenants.
    private func getStatus(_ caller: Caller) async -> Response {
        APIResponse.json(APIRender.status(await status(for: caller)))
    }

    /// The status as `caller` may see it (the UI shows the same): the configuration without what serves only other
    /// tenants.
    func status(for caller: Caller) async -> AlertmanagerStatus {
        await backend.status(visibleTo: caller.scope, tenantLabel: caller.tenantLabel ?? tenantLabel)
    }

    /// `GET /api/klaxon/v1/audit?tenant=&principal=&kind=&since=&until=&before=&limit=`: newest first, at most
    /// `limit` (100 by default, 1000 at most) per page; a tenant principal sees only its tenants' entries.
    private func getAudit(_ request: Request, _ caller: Caller) async -> Response {
        let params = QueryParameters(request.uri.query)
        var query = AuditQuery(limit: 100)
        if case .principal(let principal, _) = caller { query.scope = principal.scope }
        query.tenant = params.values("tenant").last.flatMap { $0.isEmpty ? nil : $0 }
        query.principal = params.values("principal").last.flatMap { $0.isEmpty ? nil : $0 }
        for kind in params.values("kind") where !kind.isEmpty {
            guard let known = AuditEntry.Kind(rawValue: kind) else {
                let kinds = AuditEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                return APIResponse.bareString(
                    "unknown kind \(GoQuote.quote(kind)) (one of \(kinds))", status: .badRequest)
            }
            query.kinds.insert(known)
        }
        for (name, keyPath) in [("since", \AuditQuery.since), ("until", \AuditQuery.until)] {
            guard let text = params.values(name).last, !text.isEmpty else { continue }
            guard let date = try? GoTime.parseRFC3339(text).date else {
                return APIResponse.bareString(
                    "\(name) must be an RFC3339 time: \(GoQuote.quote(text))", status: .badRequest)
            }
            query[keyPath: keyPath] = date
        }
        for (name, range) in [("before", Int64(1)...Int64.max), ("limit", Int64(1)...Int64(1000))] {
            guard let text = params.values(name).last, !text.isEmpty else { continue }
            guard let value = Int64(text), range.contains(value) else {
                return APIResponse.bareString(
                    "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound): \(GoQuote.quote(text))",
                    status: .badRequest)
            }
            if name == "before" { query.before = value } else { query.limit = Int(value) }
        }
        let limit = query.limit
        query.limit += 1
        do {
            var entries = try await backend.audit(query)
            let more = entries.count > limit
            entries = Array(entries.prefix(limit))
            return APIResponse.json(
                bytes: AuditPage(entries: entries, next: more ? entries.last?.sequence : nil).jsonBytes)
        } catch {
            return APIResponse.bareString("reading the audit trail failed: \(error)", status: .internalServerError)
        }
    }

    /// `POST /api/klaxon/v1/explain` with `{"labels":{...},"at":"RFC 3339"}`: the whole decision for the labels at
    /// that instant (now by default). A tenant principal may explain only its tenants' labels, and the silences and
    /// inhibiting alerts of other tenants are shown as hidden (they still count in the verdicts).
    private func explain(_ request: Request, _ caller: Caller) async throws -> Response {
        let body: [UInt8]
        switch try await jsonBody(request, checkContentType: true) {
        case .failure(let response): return response
        case .success(let bytes): body = bytes
        }
        let explainRequest: ExplainRequest
        do {
            explainRequest = try ExplainRequest.decode(json: body)
        } catch {
            return APIResponse.bareString(error.description, status: .badRequest)
        }
        let labels = explainRequest.labels
        guard caller.sees(labels) else {
            let tenant = caller.tenantLabel.flatMap { labels[$0] } ?? ""
            return APIResponse.bareString(
                "\(caller.name) may not explain alerts of tenant \(GoQuote.quote(tenant)) (see the access file)",
                status: .forbidden)
        }
        let response = await explanation(of: labels, at: explainRequest.at, for: caller)
        return APIResponse.json(bytes: response.jsonBytes)
    }

    /// The whole decision for `labels` at `at` (now when nil) as `caller` may see it: other tenants' silences and
    /// inhibiting alerts count but are hidden. The caller must see the labels (checked by the API and the UI).
    func explanation(of labels: LabelSet, at: Date?, for caller: Caller) async -> ExplainResponse {
        let now = now()
        let explanation = await backend.explain(labels, at: at ?? now, now: now)
        var tenant: ExplainResponse.TenantEntry?
        if let label = caller.tenantLabel, let name = labels[label], !name.isEmpty {
            tenant = ExplainResponse.TenantEntry(name: name, limits: limits(name))
        }
        return ExplainResponse(
            explanation, visibleSilence: { caller.sees(silence: $0.matchers.map(SilenceMatcherSpec.init)) },
            visibleAlert: { caller.sees($0) }, tenant: tenant)
    }

    /// `GET /api/klaxon/v1/history?filter=&since=&until=&kind=&receiver=&fingerprint=&limit=&cursor=`: timeline
    /// events oldest first, at most `limit` (100 by default, 1000 at most), and the cursor of the next page. `filter`
    /// takes API v2 matchers on the events' labels. A tenant principal sees only events of its tenants' alerts (no
    /// silence or reload events: the audit trail has its tenants' silence changes).
    private func getHistory(_ request: Request, _ caller: Caller) async -> Response {
        let params = QueryParameters(request.uri.query)
        func bad(_ message: String) -> Response { APIResponse.bareString(message, status: .badRequest) }
        var matchers: [Matcher] = []
        for text in params.values("filter") where !text.isEmpty {
            do {
                matchers.append(try Matcher.parse(text))
            } catch {
                return bad(error.message)
            }
        }
        var query = HistoryQuery()
        for kind in params.values("kind") where !kind.isEmpty {
            guard let known = HistoryEvent.Kind(rawValue: kind) else {
                let kinds = HistoryEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                return bad("unknown kind \(GoQuote.quote(kind)) (one of \(kinds))")
            }
            query.kinds.insert(known)
        }
        for (name, keyPath) in [("since", \HistoryQuery.since), ("until", \HistoryQuery.until)] {
            guard let text = params.values(name).last, !text.isEmpty else { continue }
            guard let date = try? GoTime.parseRFC3339(text).date else {
                return bad("\(name) must be an RFC3339 time: \(GoQuote.quote(text))")
            }
            query[keyPath: keyPath] = date
        }
        query.receiver = params.values("receiver").last.flatMap { $0.isEmpty ? nil : $0 }
        if let text = params.values("fingerprint").last, !text.isEmpty {
            guard let fingerprint = Fingerprint(hex: text) else {
                return bad("fingerprint must be 16 hex digits: \(GoQuote.quote(text))")
            }
            query.fingerprint = fingerprint
        }
        var limit = 100
        for (name, range) in [("limit", Int64(1)...Int64(1000)), ("cursor", Int64(0)...Int64.max)] {
            guard let text = params.values(name).last, !text.isEmpty else { continue }
            guard let value = Int64(text), range.contains(value) else {
                return bad(
                    "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound): \(GoQuote.quote(text))"
                )
            }
            if name == "limit" { limit = Int(value) } else { query.after = value }
        }
        do {
            let (kept, next) = try await history(query, matchers: matchers, limit: limit, for: caller)
            return APIResponse.json(bytes: HistoryPage(events: kept, next: next.map(String.init)).jsonBytes)
        } catch {
            return APIResponse.bareString("reading the history failed: \(error)", status: .internalServerError)
        }
    }

    /// One page of the timeline as `caller` may see it (the history API and the UI's detail pages both read here): the
    /// events `query` selects (its `limit` is replaced) whose labels every matcher matches, at most `limit`, oldest
    /// first, and the cursor of the next page (nil after the last). A tenant principal sees only events of its
    /// tenants' alerts.
    func history(_ query: HistoryQuery, matchers: [Matcher], limit: Int, for caller: Caller) async throws -> (
        events: [HistoryEvent], next: Int64?
    ) {
        // Label filters and the tenant scope are applied here: scan forward in store pages until `limit` events are
        // kept, the store has no more, or a bounded number were scanned (then `next` resumes the scan).
        let visible = { (event: HistoryEvent) -> Bool in
            if caller.seesEverything { return true }
            return event.isAlertEvent && caller.sees(event.labels)
        }
        var query = query
        var kept: [HistoryEvent] = []
        var scanned = 0
        var next: Int64?
        query.limit = matchers.isEmpty && caller.seesEverything ? limit + 1 : max(limit * 2, 500)
        scan: while true {
            let page = try await backend.history(query)
            for event in page {
                scanned += 1
                guard visible(event), matchers.allSatisfy({ $0.matches(event.labels) }) else {
                    query.after = event.sequence
                    continue
                }
                if kept.count == limit {
                    next = kept.last?.sequence
                    break scan
                }
                kept.append(event)
                query.after = event.sequence
            }
            if page.count < query.limit { break }
            if scanned >= 20_000 {
                next = query.after
                break
            }
        }
        return (kept, next)
    }

    /// `GET /api/v2/receivers`; a tenant principal gets the receivers its tenants' alerts can reach.
    private func getReceivers(_ caller: Caller) async -> Response {
        APIResponse.json(APIRender.receivers(await receivers(for: caller)))
    }

    /// The receivers `caller` may see: all of them, or those its tenants' alerts can reach.
    func receivers(for caller: Caller) async -> [String] {
        var receivers = await backend.receivers()
        if case .principal(let principal, let tenantLabel) = caller, !caller.seesEverything {
            let reachable = await backend.routeTree().receivers(reachableBy: principal.scope, tenantLabel: tenantLabel)
            receivers = receivers.filter(reachable.contains)
        }
        return receivers
    }

    /// `/-/healthy` and `/-/ready`: `OK` (no body for HEAD).
    private func healthy(_ request: Request) -> Response {
        var response = APIResponse.plainText("OK", status: .ok)
        response.headers[.xContentTypeOptions] = nil
        if request.method == .head { response.body = ResponseBody() }
        return response
    }

    private func reload(_ origin: RequestOrigin) async -> Response {
        do {
            try await backend.reload(by: origin.caller.name, from: origin.remoteAddress)
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

    private func getAlerts(_ request: Request, _ caller: Caller) async -> Response {
        switch alertFilter(request) {
        case .failure(let response): return response
        case .success(let filter):
            return APIResponse.json(APIRender.alerts(await alerts(filter, for: caller)))
        }
    }

    /// The alerts `filter` selects that `caller` may see.
    func alerts(_ filter: AlertFilter, for caller: Caller) async -> [GettableAlert] {
        await backend.alerts(filter, now: now()).filter { caller.sees($0.labels) }
    }

    /// One held alert (a resolved one not yet dropped included), nil when there is none or `caller` may not see it
    /// (another tenant's alert reads as unknown).
    func alert(_ fingerprint: Fingerprint, for caller: Caller) async -> GettableAlert? {
        guard let alert = await backend.alert(fingerprint, now: now()), caller.sees(alert.labels) else { return nil }
        return alert
    }

    private func getAlertGroups(_ request: Request, _ caller: Caller) async -> Response {
        switch alertFilter(request) {
        case .failure(let response): return response
        case .success(let filter):
            return APIResponse.json(APIRender.groups(await alertGroups(filter, for: caller)))
        }
    }

    /// The groups `filter` selects with only the caller's alerts in them; a group left empty is not shown.
    func alertGroups(_ filter: AlertFilter, for caller: Caller) async -> [AlertGroup] {
        let groups = await backend.alertGroups(filter, now: now())
        guard !caller.seesEverything else { return groups }
        return groups.compactMap { group in
            var group = group
            group.alerts = group.alerts.filter { caller.sees($0.labels) }
            return group.alerts.isEmpty ? nil : group
        }
    }

    /// Reads a JSON POST body: the size limit (413), then, for a non-empty body, the Content-Type (415 / 400).
    private func jsonBody(_ request: Request, checkContentType: Bool) async throws -> APIOutcome<[UInt8], Response> {
        // Past the limit the rest is read and dropped (up to 4x the limit) before the 413 goes out: a client that
        // writes its whole body before reading (Python's urllib, many scripts) would otherwise block on its write
        // and never see the answer. Memory stays bounded by the limit.
        var collected = ByteBuffer()
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            if received <= maxBodyBytes {
                var chunk = chunk
                collected.writeBuffer(&chunk)
            } else if received > maxBodyBytes &* 4 {
                break
            }
        }
        guard received <= maxBodyBytes else {
            return .failure(
                APIResponse.error(
                    code: 413, status: .contentTooLarge, message: "request body is larger than \(maxBodyBytes) bytes"))
        }
        let body = Array(collected.readableBytesView)
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

    private func postAlerts(_ request: Request, _ origin: RequestOrigin) async throws -> Response {
        let caller = origin.caller
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
        var ingest = AlertIngest(postable, now: now(), resolveTimeout: await backend.resolveTimeout())
        metrics.record(ingest, version: .v2)
        let refused = ingest.refuseOtherTenants(for: caller)
        if !refused.alerts.isEmpty { await backend.alertsRefused(refused.alerts) }
        let overLimit = await refuseOverLimit(&ingest, origin: origin)
        if !ingest.valid.isEmpty { await backend.postAlerts(ingest.valid) }
        if !ingest.errors.isEmpty { return APIResponse.bareString(ingest.joinedErrors, status: .badRequest) }
        if !refused.messages.isEmpty {
            return APIResponse.bareString(refused.messages.joined(separator: "; "), status: .forbidden)
        }
        if !overLimit.isEmpty {
            return APIResponse.bareString(overLimit.joined(separator: "; "), status: .tooManyRequests)
        }
        return APIResponse.emptyOK()
    }

    /// `POST /api/v1/alerts`: the same body and processing with the v1 envelope.
    private func postAlertsV1(_ request: Request, _ origin: RequestOrigin) async throws -> Response {
        let caller = origin.caller
        func v1Error(_ message: String, status: HTTPResponse.Status = .badRequest) -> Response {
            var w = GoJSONWriter()
            w.raw("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":")
            w.string(message)
            w.raw(UInt8(ascii: "}"))
            return APIResponse.json(w, status: status)
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
        var ingest = AlertIngest(postable, now: now(), resolveTimeout: await backend.resolveTimeout())
        metrics.record(ingest, version: .v1)
        let refused = ingest.refuseOtherTenants(for: caller)
        if !refused.alerts.isEmpty { await backend.alertsRefused(refused.alerts) }
        let overLimit = await refuseOverLimit(&ingest, origin: origin)
        if !ingest.valid.isEmpty { await backend.postAlerts(ingest.valid) }
        if !ingest.errors.isEmpty { return v1Error(ingest.joinedErrors) }
        if !refused.messages.isEmpty { return v1Error(refused.messages.joined(separator: "; "), status: .forbidden) }
        if !overLimit.isEmpty { return v1Error(overLimit.joined(separator: "; "), status: .tooManyRequests) }
        var w = GoJSONWriter()
        w.raw("{\"status\":\"success\"}")
        return APIResponse.json(w)
    }

    // MARK: Silences

    private func getSilences(_ request: Request, _ caller: Caller) async -> Response {
        var filter: [SilenceMatcherSpec] = []
        for text in QueryParameters(request.uri.query).values("filter") {
            do {
                filter.append(SilenceMatcherSpec(try Matcher.parse(text)))
            } catch {
                return APIResponse.bareString(error.message, status: .badRequest)
            }
        }
        let selected = await silences(for: caller).filter { silence in
            filter.allSatisfy { silence.matchers.contains($0) }
        }
        return APIResponse.json(APIRender.silences(selected.sorted(by: APIRender.silenceOrder)))
    }

    /// The silences `caller` may see.
    func silences(for caller: Caller) async -> [GettableSilence] {
        await backend.silences(now: now()).filter { caller.sees(silence: $0.matchers) }
    }

    private func postSilence(_ request: Request, _ origin: RequestOrigin) async throws -> Response {
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
        switch await setSilence(decoded, origin: origin) {
        case .success(let id): return APIResponse.json(bytes: PostSilencesOKBody(silenceID: id).jsonBytes)
        case .failure(let refusal): return APIResponse.bareString(refusal.message, status: refusal.status)
        }
    }

    /// Why a silence was not set or expired: the status and message the API answers with.
    struct SilenceRefusal: Sendable {
        var status: HTTPResponse.Status
        var message: String
    }

    /// Creates or updates a silence for `origin`, with every rule of `POST /api/v2/silences` (validation,
    /// confinement to the caller's tenants, `max_silences`, the audit trail): the API and the UI's form both
    /// come here. Returns the silence ID.
    func setSilence(_ decoded: PostableSilence, origin: RequestOrigin) async -> APIOutcome<String, SilenceRefusal> {
        let caller = origin.caller
        let now = now()
        let postable: SilenceRequest
        switch SilenceValidation.validate(decoded, now: now) {
        case .failure(let message): return .failure(SilenceRefusal(status: .badRequest, message: message))
        case .success(let silence): postable = silence
        }
        let matchers = postable.matchers.map(SilenceMatcherSpec.init)
        if let refusal = caller.refusal(silence: matchers) {
            return .failure(SilenceRefusal(status: .forbidden, message: refusal.message))
        }
        if let refusal = await silenceLimitRefusal(matchers, updating: postable.id, origin: origin, now: now) {
            return .failure(SilenceRefusal(status: refusal.status, message: refusal.message))
        }
        var before: GettableSilence?
        if let id = postable.id {
            before = await backend.silence(id: id, now: now)
            // Updating another tenant's silence is answered as for an unknown one: its existence is not revealed.
            if let existing = before, !caller.sees(silence: existing.matchers) {
                return .failure(SilenceRefusal(status: .notFound, message: SilenceAPIError.notFound.description))
            }
        }
        do {
            let id = try await backend.setSilence(postable, now: now)
            let after = await backend.silence(id: id, now: now)
            // An expired silence is not changed in place: its update is a new silence, as in Alertmanager.
            let updated = before != nil && before?.id == id
            await audit(
                updated ? .silenceUpdated : .silenceCreated, object: id, matchers: matchers, origin: origin,
                before: updated ? before : nil, after: after, now: now)
            return .success(id)
        } catch {
            return .failure(
                SilenceRefusal(status: error.isNotFound ? .notFound : .badRequest, message: error.description))
        }
    }

    /// `max_active_alerts`: takes new firing alerts of tenants at their limit out of `ingest.valid` (updates and
    /// resolves of held alerts always pass), counts and audits the refusal, and returns one 429 message per tenant.
    /// Without a limit on any tenant of the batch the backend is not asked.
    private func refuseOverLimit(_ ingest: inout AlertIngest, origin: RequestOrigin) async -> [String] {
        // Limits come from the access file; without one (every caller unrestricted) ingest pays nothing here.
        guard let label = origin.caller.tenantLabel else { return [] }
        let limits = self.limits
        let tenants = Set(ingest.valid.compactMap { $0.labels[label] })
        guard tenants.contains(where: { limits($0).maxActiveAlerts != nil }) else { return [] }
        let now = now()
        let result = await backend.admit(
            ingest.valid, tenantLabel: label, limit: { limits($0).maxActiveAlerts }, now: now)
        guard !result.refused.isEmpty else { return [] }
        ingest.valid = result.admitted
        await backend.alertsRefused(result.refused.map(\.alert))
        var messages: [String] = []
        for (tenant, refusals) in Dictionary(grouping: result.refused, by: \.tenant).sorted(by: { $0.key < $1.key }) {
            let message =
                "tenant \(GoQuote.quote(tenant)) has reached max_active_alerts (\(refusals[0].limit)): "
                + "\(refusals.count) new alert(s) refused"
            messages.append(message)
            await backend.recordAudit(
                AuditEntry(
                    time: now, kind: .limitHit, principal: origin.caller.name, tenants: [tenant],
                    remoteAddress: origin.remoteAddress, object: tenant, message: message))
        }
        return messages
    }

    /// `max_silences`: a silence that would be one more active or pending silence of a tenant at its limit is
    /// refused with 429 (and the refusal audited); an update of a silence already counted is not one more.
    private func silenceLimitRefusal(
        _ matchers: [SilenceMatcherSpec], updating id: String?, origin: RequestOrigin, now: Date
    ) async -> SilenceRefusal? {
        guard let label = origin.caller.tenantLabel,
            let tenants = SilenceConfinement.tenants(of: matchers, tenantLabel: label), !tenants.isEmpty
        else {
            return nil
        }
        let limited = tenants.sorted().compactMap { tenant in limits(tenant).maxSilences.map { (tenant, $0) } }
        guard !limited.isEmpty else { return nil }
        let live = await backend.silences(now: now).filter { $0.state != .expired && $0.id != id }
        for (tenant, limit) in limited {
            let count = live.filter {
                SilenceConfinement.tenants(of: $0.matchers, tenantLabel: label)?.contains(tenant) == true
            }.count
            guard count >= limit else { continue }
            let message =
                "tenant \(GoQuote.quote(tenant)) has reached max_silences (\(limit) active or pending silences)"
            await backend.silenceRefused(tenant: tenant)
            await backend.recordAudit(
                AuditEntry(
                    time: now, kind: .limitHit, principal: origin.caller.name, tenants: [tenant],
                    remoteAddress: origin.remoteAddress, object: tenant, message: message))
            return SilenceRefusal(status: .tooManyRequests, message: message)
        }
        return nil
    }

    /// Records a silence change in the audit trail: who (the authenticated principal, not `createdBy`), from where,
    /// the tenants the silence is confined to, and the silence before and after; a maintenance window's silence as
    /// the window opened, extended or closed.
    private func audit(
        _ kind: AuditEntry.Kind, object: String, matchers: [SilenceMatcherSpec], origin: RequestOrigin,
        before: GettableSilence?, after: GettableSilence?, now: Date
    ) async {
        let label = origin.caller.tenantLabel ?? tenantLabel
        let tenants = SilenceConfinement.tenants(of: matchers, tenantLabel: label) ?? []
        // A klaxonctl maintenance window's silences are recorded as the window's changes.
        var kind = kind
        if let window = after ?? before, MaintenanceMarker.windowKey(of: window) != nil {
            kind =
                switch kind {
                case .silenceCreated: .maintenanceOpened
                case .silenceUpdated: .maintenanceExtended
                case .silenceExpired: .maintenanceClosed
                default: kind
                }
        }
        await backend.recordAudit(
            AuditEntry(
                time: now, kind: kind, principal: origin.caller.name, tenants: Array(tenants),
                remoteAddress: origin.remoteAddress, object: object,
                before: before.map { String(decoding: $0.jsonBytes, as: UTF8.self) },
                after: after.map { String(decoding: $0.jsonBytes, as: UTF8.self) }))
    }

    private func invalidSilenceID(_ id: String) -> Response? {
        guard !GoUUID.isValid(id) else { return nil }
        return APIResponse.error(
            code: 601, status: .unprocessableContent,
            message: "silenceID in path must be of type uuid: \(GoQuote.quote(id))")
    }

    private func getSilence(id: String, _ caller: Caller) async -> Response {
        if let response = invalidSilenceID(id) { return response }
        guard let silence = await backend.silence(id: id, now: now()), caller.sees(silence: silence.matchers) else {
            return Response(status: .notFound, body: ResponseBody(byteBuffer: ByteBuffer()))
        }
        return APIResponse.json(bytes: silence.jsonBytes)
    }

    private func deleteSilence(id: String, _ origin: RequestOrigin) async -> Response {
        if let response = invalidSilenceID(id) { return response }
        if let refusal = await expireSilence(id: id, origin: origin) {
            return APIResponse.bareString(refusal.message, status: refusal.status)
        }
        return APIResponse.emptyOK()
    }

    /// Expires a silence for `origin` (another tenant's silence is answered as unknown) and records it in the audit
    /// trail; nil when done. The API and the UI's expire button both come here.
    func expireSilence(id: String, origin: RequestOrigin) async -> SilenceRefusal? {
        let caller = origin.caller
        let now = now()
        let before = await backend.silence(id: id, now: now)
        if !caller.seesEverything, before.map({ caller.sees(silence: $0.matchers) }) != true {
            return SilenceRefusal(status: .notFound, message: SilenceAPIError.notFound.description)
        }
        do {
            try await backend.expireSilence(id: id, now: now)
            if let before {
                await audit(
                    .silenceExpired, object: id, matchers: before.matchers, origin: origin, before: before,
                    after: await backend.silence(id: id, now: now), now: now)
            }
            return nil
        } catch {
            // Alertmanager 0.25 answers 500 for an unknown ID too.
            return SilenceRefusal(status: .internalServerError, message: error.description)
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
) -> Router<KlaxonRequestContext> {
    let router = Router(context: KlaxonRequestContext.self)
    router.add(
        middleware: AlertmanagerAPI<Backend, KlaxonRequestContext>(
            backend: backend, routePrefix: routePrefix, maxBodyBytes: maxBodyBytes, metricsFactory: metricsFactory,
            now: now))
    return router
}
