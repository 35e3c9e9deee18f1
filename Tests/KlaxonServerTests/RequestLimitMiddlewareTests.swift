import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonGoCompat
import Prometheus
import Synchronization
import Testing

@testable import KlaxonServer

/// `--web.get-concurrency` and `--web.timeout` through the router, as Alertmanager's API mux applies them.
@Suite struct RequestLimitMiddlewareTests {
    /// Holds requests to `/slow` until opened, and says how many are waiting.
    final class Gate: Sendable {
        private let state = Mutex((open: false, waiting: 0))
        var waiting: Int { state.withLock { $0.waiting } }
        func open() { state.withLock { $0.open = true } }

        func pass() async throws {
            state.withLock { $0.waiting += 1 }
            while !state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    private func withRouter(
        getLimit: Int, timeout: String = "0s", registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        gate: Gate = Gate(), _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = Router()
        router.add(
            middleware: RequestLimitMiddleware(
                getLimit: getLimit, timeout: try GoDuration(parsing: timeout),
                exceeded: registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        metricName: "alertmanager_http_concurrency_limit_exceeded_total", unitName: "", helpText: ""),
                    labels: [("method", "get")])))
        router.get("/slow") { _, _ in
            try await gate.pass()
            return "slow"
        }
        router.post("/slow") { _, _ in "posted" }
        router.get("/hang") { _, _ in
            try await Task.sleep(for: .seconds(600))
            return "late"
        }
        router.get("/fast") { _, _ in "fast" }
        try await Application(router: router).test(.router) { client in try await body(client) }
    }

    @Test func aGetBeyondTheLimitIsRefusedWith503AndCountedWhileOtherMethodsGoThrough() async throws {
        let registry = PrometheusCollectorRegistry()
        let gate = Gate()
        try await withRouter(getLimit: 1, registry: registry, gate: gate) { client in
            async let held = client.execute(uri: "/slow", method: .get)
            while gate.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let refused = try await client.execute(uri: "/fast", method: .get)
            #expect(refused.status == .serviceUnavailable)
            #expect(String(buffer: refused.body) == "Limit of concurrent GET requests reached (1), try again later.\n")
            #expect(refused.headers[.contentType] == "text/plain; charset=utf-8")
            let posted = try await client.execute(uri: "/slow", method: .post)
            #expect(posted.status == .ok)
            gate.open()
            #expect(try await held.status == .ok)
            // The slot is free again.
            #expect(try await client.execute(uri: "/fast", method: .get).status == .ok)
        }
        var output: [UInt8] = []
        registry.emit(into: &output)
        #expect(
            String(decoding: output, as: UTF8.self).contains(
                #"alertmanager_http_concurrency_limit_exceeded_total{method="get"} 1"#))
    }

    @Test func aRequestPastTheTimeoutIsAnswered503WithGosMessageAndAFastOneIsNot() async throws {
        try await withRouter(getLimit: 8, timeout: "150ms") { client in
            let started = ContinuousClock.now
            let late = try await client.execute(uri: "/hang", method: .get)
            #expect(late.status == .serviceUnavailable)
            #expect(String(buffer: late.body) == "Exceeded configured timeout of 150ms.\n")
            // Answered long before the handler would have (it sleeps 600 s); the bound is loose because a loaded machine
            // can hold the test's tasks for tens of seconds.
            #expect(ContinuousClock.now - started < .seconds(300))
            let fast = try await client.execute(uri: "/fast", method: .get)
            #expect(fast.status == .ok)
            #expect(String(buffer: fast.body) == "fast")
        }
    }

    @Test func theDefaultLimitIsTheProcessorCountOrEightWhicheverIsLarger() {
        #expect(RequestLimitMiddleware<BasicRequestContext>.getLimit(forFlag: 0, processors: 2) == 8)
        #expect(RequestLimitMiddleware<BasicRequestContext>.getLimit(forFlag: -1, processors: 16) == 16)
        #expect(RequestLimitMiddleware<BasicRequestContext>.getLimit(forFlag: 3, processors: 16) == 3)
    }
}
