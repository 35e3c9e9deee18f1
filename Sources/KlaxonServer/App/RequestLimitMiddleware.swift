import Hummingbird
import KlaxonGoCompat
import Prometheus
import Synchronization

/// Alertmanager's `--web.get-concurrency` and `--web.timeout`, for every request as Alertmanager's API mux applies
/// them: at most `getLimit` GET requests are processed at once (one more is refused at once with 503 `Limit of
/// concurrent GET requests reached (N), try again later.` and counted in
/// `alertmanager_http_concurrency_limit_exceeded_total`); other methods are not limited. With a timeout, a request
/// whose handler has not answered after it gets 503 `Exceeded configured timeout of <timeout>.` (Go's
/// `http.TimeoutHandler`); the handler's task is cancelled and its answer, if any, dropped.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// How many GET requests may be processed at once.
    let getLimit: Int
    /// The per-request timeout; nil: none.
    let timeout: GoDuration?
    /// Counts GETs refused for the limit.
    let exceeded: Counter
    private let inFlightGets = GetCounter()

    /// The limit Alertmanager uses for `--web.get-concurrency` `value`: itself when positive, else the number of
    /// processors or 8, whichever is larger.
    static func getLimit(forFlag value: Int, processors: Int) -> Int {
        value > 0 ? value : max(processors, 8)
    }

    init(getLimit: Int, timeout: GoDuration?, exceeded: Counter) {
        self.getLimit = getLimit
        self.timeout = timeout.flatMap { $0.nanoseconds > 0 ? $0 : nil }
        self.exceeded = exceeded
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get else { return try await limited(request, context: context, next: next) }
        guard inFlightGets.enter(limit: getLimit) else {
            exceeded.increment()
            return APIResponse.plainText(
                "Limit of concurrent GET requests reached (\(getLimit)), try again later.\n",
                status: .serviceUnavailable)
        }
        defer { inFlightGets.leave() }
        return try await limited(request, context: context, next: next)
    }

    /// `next`, raced against the timeout when there is one.
    private func limited(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let timeout else { return try await next(request, context) }
        // The router's continuation is neither escaping nor declared Sendable. The task group awaits both children
        // before it returns (the loser is cancelled, then awaited), so the continuation does not outlive this call,
        // and it only reads the request and context it is given and the routes' shared state, which is Sendable.
        return try await withoutActuallyEscaping(next) { next in
            let handler = UncheckedSendable(next)
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await handler.value(request, context) }
                group.addTask {
                    try await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    return Response(
                        status: .serviceUnavailable,
                        headers: [.contentType: "text/plain; charset=utf-8"],
                        body: ResponseBody(
                            byteBuffer: ByteBuffer(string: "Exceeded configured timeout of \(timeout).\n")))
                }
                return response
            }
        }
    }
}

/// GET requests in progress, taken only below the limit.
private final class GetCounter: Sendable {
    private let count = Atomic<Int>(0)

    func enter(limit: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func leave() { count.subtract(1, ordering: .releasing) }
}

/// A value that crosses into a child task although its type does not say it may (see the call site for why that
/// is safe there).
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
