import Hummingbird
import Tracing

/// A server span for each request (`POST /api/v2/alerts`), as Alertmanager 0.30's instrumented handler makes them: a
/// child of the caller's `traceparent` when it sends one. The ingest's dispatch spans run in its context. Added to
/// the router only when the configuration has a `tracing` section.
struct TracingMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: any Tracer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var parent = ServiceContext.topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let span = tracer.startSpan(
            "\(request.method.rawValue) \(request.uri.path)", context: parent, ofKind: .server)
        defer { span.end() }
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["url.path"] = request.uri.path
        do {
            let response = try await ServiceContext.withValue(span.context) { try await next(request, context) }
            span.attributes["http.response.status_code"] = Int(response.status.code)
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return response
        } catch {
            span.setStatus(SpanStatus(code: .error, message: "\(error)"))
            throw error
        }
    }
}

/// Reads propagated values (`traceparent`, `tracestate`) from request headers.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        let wanted = key.lowercased()
        return carrier.first { $0.name.canonicalName == wanted }?.value
    }
}
