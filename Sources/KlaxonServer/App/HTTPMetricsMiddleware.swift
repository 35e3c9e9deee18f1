import Hummingbird
import KlaxonEngine

/// Alertmanager's HTTP instrumentation for every request: `alertmanager_http_requests_in_flight{method}`,
/// `alertmanager_http_request_duration_seconds` and `alertmanager_http_response_size_bytes` by handler and method.
/// The handler label is the route's pattern (`/api/v2/silence/{silenceID}`), `/metrics`, `/` and the UI page (`/ui/alerts`), or `other` for any other
/// path, so a client cannot grow the series by requesting paths.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    /// The route prefix, normalised (`""` or `/am`).
    let prefix: String
    /// The full path of `/metrics`.
    let metricsPath: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let method = request.method.rawValue.lowercased()
        let inFlight = metrics.inFlight(method: method)
        inFlight.increment()
        defer { inFlight.decrement() }
        let started = ContinuousClock.now
        let handler = handlerLabel(request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.httpRequest(
                handler: handler, method: method, seconds: (ContinuousClock.now - started).timeInterval,
                responseBytes: response.body.contentLength ?? 0)
            return response
        } catch {
            metrics.httpRequest(
                handler: handler, method: method, seconds: (ContinuousClock.now - started).timeInterval,
                responseBytes: 0)
            throw error
        }
    }

    private func handlerLabel(_ path: String) -> String {
        if path == metricsPath { return "/metrics" }
        guard path.hasPrefix(prefix) else { return "other" }
        let below = String(path.dropFirst(prefix.count))
        if below.isEmpty || below == "/" { return "/" }
        if below.hasPrefix("/ui/") {
            // The UI's page: its first two segments when they name one (`/ui/silences`), a fixed set.
            let page = "/" + below.split(separator: "/").prefix(2).joined(separator: "/")
            return RoutePatterns.uiPages.contains(page) ? page : "other"
        }
        return RoutePatterns.routes.first { $0.match(below) != nil }?.pattern ?? "other"
    }
}

/// The API route table's patterns, matched as the API matches them, and the web UI's pages, as `handler` values.
private enum RoutePatterns {
    static let uiPages: Set<String> = ["/ui/overview", "/ui/alerts", "/ui/silences", "/ui/status", "/ui/assets"]

    static let routes: [APIRoute<Bool>] = AlertmanagerAPI<EngineAPIBackend, KlaxonRequestContext>.routeTable.map {
        // Only the dialect's path matching matters here: openAPI ignores one trailing slash.
        APIRoute<Bool>($0.pattern, $0.dialect == .openAPI ? .openAPI : .httprouter, any: true)
    }
}
