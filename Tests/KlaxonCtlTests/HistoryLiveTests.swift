import Foundation
import KlaxonTestSupport
import Testing

/// The timeline and explain through the real binaries: klaxon records, klaxonctl reads; and the timeline survives
/// `kill -9` up to the last committed batch.
@Suite struct HistoryLiveTests {
    /// Polls `GET /api/klaxon/v1/history` until its body contains `text` (the recorder commits once a second).
    private func waitForHistory(port: Int, containing text: String, query: String = "") throws -> String {
        let deadline = ContinuousClock.now + .seconds(20)
        var body = ""
        while ContinuousClock.now < deadline {
            body = try httpRequest(port: port, method: "GET", path: "/api/klaxon/v1/history" + query).body
            if body.contains(text) { return body }
            usleep(100_000)
        }
        throw LiveServerError("history never contained \(text): \(body)")
    }

    @Test func klaxonctlHistoryAndExplainReadWhatTheServerRecordedAndHolds() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let post = try httpRequest(
            port: server.port, method: "POST", path: "/api/v2/alerts",
            body: #"[{"labels":{"alertname":"HighLatency","tenant_id":"finance"}}]"#)
        #expect(post.status == 200)
        let silence = try runProcess(
            Binaries.klaxonctl,
            ["--alertmanager.url=\(server.url)", "silence", "add", "alertname=HighLatency", "-c", "deploy", "-a", "me"])
        #expect(silence.exitCode == 0, "\(silence)")
        let id = silence.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try waitForHistory(port: server.port, containing: id)
        let history = try runProcess(
            Binaries.klaxonctl, ["--alertmanager.url=\(server.url)", "history", "--since", "1h", "tenant_id=finance"])
        #expect(history.exitCode == 0, "\(history)")
        #expect(history.stdout.contains(#"firing  HighLatency{tenant_id="finance"}"#), "\(history.stdout)")
        // The silence change is not an event of the finance alert, so the matcher leaves it out.
        #expect(!history.stdout.contains(id), "\(history.stdout)")
        let all = try runProcess(
            Binaries.klaxonctl, ["--alertmanager.url=\(server.url)", "history", "--kind", "silence"])
        #expect(all.stdout.contains("created \(id)"), "\(all)")

        let explain = try runProcess(
            Binaries.klaxonctl,
            ["--alertmanager.url=\(server.url)", "-o", "json", "explain", "alertname=HighLatency", "tenant_id=finance"])
        #expect(explain.exitCode == 0, "\(explain)")
        let object = try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as? [String: Any]
        let verdicts = object?["verdicts"] as? [[String: Any]]
        #expect(verdicts?.first?["receiver"] as? String == "default")
        #expect(verdicts?.first?["notify"] as? Bool == false)
        #expect((verdicts?.first?["reason"] as? String)?.contains(id) == true)
    }

    @Test func aDeliveredNotificationShowsTheStatusTheReceiverAnswered() throws {
        let sink = try TestHTTPServer { _ in TestHTTPServer.Reply(status: 202) }
        defer { sink.stop() }
        let server = try LiveServer.klaxon(
            config: """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 0s
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: \(sink.baseURL)/hook
                """)
        defer { server.stop() }
        let post = try httpRequest(
            port: server.port, method: "POST", path: "/api/v2/alerts",
            body: #"[{"labels":{"alertname":"DiskFull","tenant_id":"finance"}}]"#)
        #expect(post.status == 200)
        let body = try waitForHistory(port: server.port, containing: #""outcome":"sent""#, query: "?kind=notification")
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let event = try #require((object?["events"] as? [[String: Any]])?.first)
        #expect(event["receiver"] as? String == "hook")
        #expect(event["integration"] as? String == "webhook[0]")
        #expect(event["status"] as? String == "202")
        #expect(sink.requests.count == 1)
    }

    @Test func diffRoutesNamesTheServersAlertsThatWouldChangeReceiversUnderANewConfig() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let post = try httpRequest(
            port: server.port, method: "POST", path: "/api/v2/alerts",
            body: #"[{"labels":{"alertname":"Disk","severity":"critical"}},{"labels":{"alertname":"Load"}}]"#)
        #expect(post.status == 200)
        let newConfig = server.workdir.appendingPathComponent("new.yml")
        try """
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - receiver: pager
              matchers: [severity="critical"]
        receivers:
          - name: default
          - name: pager
        """.write(to: newConfig, atomically: true, encoding: .utf8)
        let result = try runProcess(
            Binaries.klaxonctl,
            ["--alertmanager.url=\(server.url)", "config", "diff-routes", "--config.file", newConfig.path])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains(#"{alertname="Disk", severity="critical"}  -default +pager"#), "\(result)")
        #expect(!result.stdout.contains("Load"), "\(result)")
        #expect(result.stdout.contains("2 alerts: 1 would change receivers (1 gain, 1 lose one)"), "\(result)")
    }

    @Test func afterKill9TheTimelineReadsBackUpToTheLastCommittedBatch() throws {
        let workdir = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-kill9-\(UUID())")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workdir) }
        let config = workdir.appendingPathComponent("alertmanager.yml")
        try LiveServer.minimalConfig.write(to: config, atomically: true, encoding: .utf8)

        func start() throws -> (Process, Int) {
            let port = try freePort()
            let process = Process()
            process.executableURL = Binaries.klaxon
            process.arguments = [
                "--config.file=\(config.path)", "--storage.path=\(workdir.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = ContinuousClock.now + .seconds(30)
            while (try? httpGet(port: port, path: "/-/ready")) != 200 {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    process.terminate()
                    throw LiveServerError("klaxon did not start")
                }
                usleep(50_000)
            }
            return (process, port)
        }

        let (first, port) = try start()
        var alerts: [String] = []
        for i in 0..<50 { alerts.append(#"{"labels":{"alertname":"Killed\#(i)"}}"#) }
        #expect(
            try httpRequest(
                port: port, method: "POST", path: "/api/v2/alerts", body: "[" + alerts.joined(separator: ",") + "]"
            )
            .status == 200)
        let committed = try waitForHistory(port: port, containing: "Killed49", query: "?limit=1000")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)

        let (second, port2) = try start()
        defer {
            second.terminate()
            second.waitUntilExit()
        }
        let reread = try httpRequest(port: port2, method: "GET", path: "/api/klaxon/v1/history?limit=1000").body
        #expect(reread == committed)
        // New events continue the sequence.
        #expect(
            try httpRequest(
                port: port2, method: "POST", path: "/api/v2/alerts", body: #"[{"labels":{"alertname":"After"}}]"#
            )
            .status == 200)
        let after = try waitForHistory(port: port2, containing: "After", query: "?kind=firing&limit=1000")
        func sequences(_ body: String) -> [Int] {
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return (object?["events"] as? [[String: Any]] ?? []).compactMap { $0["sequence"] as? Int }
        }
        let before = sequences(committed)
        #expect(before.count == 50)
        #expect(sequences(after) == before + [(before.max() ?? 0) + 1])
    }
}
