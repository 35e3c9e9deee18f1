import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonCore
import Metrics
import Testing

@testable import KlaxonServer

@Suite struct APIRoutingTests {
    /// Recorded from Alertmanager 0.25.
    static let methodErrors: [(HTTPRequest.Method, String, String, String)] = [
        (
            .put, "/api/v2/alerts", "POST,GET",
            #"{"code":405,"message":"method PUT is not allowed, but [POST,GET] are"}"#
        ),
        (
            .delete, "/api/v2/silences", "GET,POST",
            #"{"code":405,"message":"method DELETE is not allowed, but [GET,POST] are"}"#
        ),
        (.post, "/api/v2/status", "GET", #"{"code":405,"message":"method POST is not allowed, but [GET] are"}"#),
        (.post, "/api/v2/receivers", "GET", #"{"code":405,"message":"method POST is not allowed, but [GET] are"}"#),
        (.post, "/api/v2/alerts/groups", "GET", #"{"code":405,"message":"method POST is not allowed, but [GET] are"}"#),
        (.options, "/api/v2/status", "GET", #"{"code":405,"message":"method OPTIONS is not allowed, but [GET] are"}"#),
        (
            .put, "/api/v2/silence/30e0c063-1969-48ce-8685-d36f4fac72f2", "GET,DELETE",
            #"{"code":405,"message":"method PUT is not allowed, but [GET,DELETE] are"}"#
        ),
    ]

    @Test(arguments: methodErrors)
    func wrongMethodsGet405WithAllow(method: HTTPRequest.Method, path: String, allow: String, body: String)
        async throws
    {
        try await withAPI { client in
            let response = try await client.execute(uri: path, method: method)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == allow)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == body)
        }
    }

    @Test(arguments: ["/api/v2/nonexistent", "/api/v2/silence/", "/api/v2/", "/api/v2/alerts/x/y"])
    func unknownAPIPathsGetJSON404(path: String) async throws {
        try await withAPI { client in
            let response = try await client.get(path)
            #expect(response.status == .notFound)
            #expect(response.text == #"{"code":404,"message":"path \#(path) was not found"}"#)
        }
    }

    @Test func trailingSlashIsAccepted() async throws {
        try await withAPI { client in
            let response52 = try await client.get("/api/v2/silences/")
            #expect(response52.text == "[]")
        }
    }

    @Test func pathsOutsideTheAPIFallThrough() async throws {
        try await withAPI { client in
            let response58 = try await client.get("/metrics")
            #expect(response58.status == .notFound)
            let response59 = try await client.get("/api/v1/alerts")
            #expect(response59.status == .notFound)
        }
    }

    @Test func healthAndReadinessSayOK() async throws {
        try await withAPI { client in
            for path in ["/-/healthy", "/-/ready"] {
                let response = try await client.get(path)
                #expect(response.status == .ok)
                #expect(response.text == "OK")
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
                let post = try await client.execute(uri: path, method: .post)
                #expect(post.status == .methodNotAllowed)
                #expect(post.text == "Method Not Allowed\n")
                #expect(post.headers[.allow] == "GET, HEAD, OPTIONS")
            }
        }
    }

    @Test func reloadSucceedsFailsAndRejectsGet() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let ok = try await client.execute(uri: "/-/reload", method: .post)
            #expect(ok.status == .ok)
            #expect(ok.body.readableBytes == 0)
            await backend.setReloadError("yaml: line 1: did not find expected node content")
            let failed = try await client.execute(uri: "/-/reload", method: .post)
            #expect(failed.status == .internalServerError)
            #expect(failed.text == "failed to reload config: yaml: line 1: did not find expected node content\n")
            #expect(failed.headers[.contentType] == "text/plain; charset=utf-8")
            let get = try await client.get("/-/reload")
            #expect(get.status == .methodNotAllowed)
            #expect(get.text == "Method Not Allowed\n")
            #expect(get.headers[.allow] == "OPTIONS, POST")
        }
        #expect(await backend.reloads == 2)
    }

    @Test func routePrefixIsHonoured() async throws {
        try await withAPI(prefix: "/am/") { client in
            #expect(try await client.get("/am/api/v2/receivers").text == #"[{"name":"web"},{"name":"other"}]"#)
            #expect(try await client.get("/am/-/healthy").text == "OK")
            #expect(try await client.get("/api/v2/receivers").status == .notFound)
            let missing = try await client.get("/am/api/v2/nope")
            #expect(missing.text == #"{"code":404,"message":"path /api/v2/nope was not found"}"#)
            let redirect = try await client.get("/am/api/v2")
            #expect(redirect.status == .movedPermanently)
            #expect(redirect.headers[.location] == "/am/api/v2/")
        }
    }

    @Test func statusIsRenderedAsAlertmanager() async throws {
        try await withAPI { client in
            let response = try await client.get("/api/v2/status")
            #expect(response.status == .ok)
            #expect(
                response.text
                    == #"{"cluster":{"peers":[],"status":"disabled"},"config":{"original":"route:\n  receiver: web\n"},"#
                    + #""uptime":"2026-11-18T11:06:40.500Z","versionInfo":{"branch":"main","buildDate":"20261122","#
                    + #""buildUser":"klaxon","goVersion":"swift6","revision":"abc","version":"0.25.0"}}"#)
        }
    }

    @Test func clusterPeersAreSortedByName() {
        var status = AlertmanagerStatus(
            configYAML: "", uptime: fixedNow,
            versionInfo: .init(branch: "", buildDate: "", buildUser: "", goVersion: "", revision: "", version: ""),
            clusterName: "me", clusterStatus: "ready",
            peers: [.init(name: "b", address: "h2:9094"), .init(name: "a", address: "h1:9094")])
        let text = String(decoding: APIRender.status(status).bytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"cluster":{"name":"me","peers":[{"address":"h1:9094","name":"a"},{"address":"h2:9094","name":"b"}],"status":"ready"}"#
            ))
        status.peers = []
        #expect(String(decoding: APIRender.status(status).bytes, as: UTF8.self).contains(#""peers":[]"#))
    }

    @Test func ingestCountersCountFiringResolvedAndInvalid() async throws {
        let metrics = RecordingMetrics()
        try await withAPI(metrics: metrics) { client in
            let body =
                #"[{"labels":{"a":"1"}},{"labels":{"a":"2"},"startsAt":"2020-01-01T00:00:00Z","endsAt":"2020-01-01T00:01:00Z"},{"labels":{}}]"#
            _ = try await client.post("/api/v2/alerts", body)
        }
        #expect(metrics.value("alertmanager_alerts_received_total", [("status", "firing"), ("version", "v2")]) == 2)
        #expect(metrics.value("alertmanager_alerts_received_total", [("status", "resolved"), ("version", "v2")]) == 1)
        #expect(metrics.value("alertmanager_alerts_invalid_total", [("version", "v2")]) == 1)
    }
}

/// A metrics factory that records counter totals by label and dimensions.
final class RecordingMetrics: MetricsFactory, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var counters: [String: RecordingCounter] = [:]

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
    }

    func value(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        lock.withLock { counters[Self.key(label, dimensions)]?.total } ?? -1
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        lock.withLock {
            let counter = counters[Self.key(label, dimensions)] ?? RecordingCounter()
            counters[Self.key(label, dimensions)] = counter
            return counter
        }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NOOPMetricsHandler.instance
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { NOOPMetricsHandler.instance }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

final class RecordingCounter: CounterHandler, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value: Int64 = 0

    var total: Int64 { lock.withLock { value } }
    func increment(by amount: Int64) { lock.withLock { value += amount } }
    func reset() { lock.withLock { value = 0 } }
}
