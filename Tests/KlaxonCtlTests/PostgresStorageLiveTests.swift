import Foundation
import KlaxonTestSupport
import Synchronization
import Testing

/// `klaxon --storage.url postgres://...` against a real PostgreSQL 15 (`PostgresServer`): state written by one klaxon
/// process is there for the next, the schema comes up once however many start at once, and the password shows
/// nowhere. Serialized: each test blocks its thread while servers start, and one at a time leaves the cooperative
/// pool to the timing tests that run beside it.
@Suite(.serialized, .enabled(if: PostgresServer.isInstalled, "\(PostgresServer.unavailableReason ?? "")"))
struct PostgresStorageLive {
    /// A klaxon on the database; `extra` flags after the URL.
    private static func klaxon(
        _ database: PostgresServer, config: String = LiveServer.minimalConfig, extra: [String] = []
    ) throws -> LiveServer {
        try LiveServer.klaxon(config: config, arguments: ["--storage.url=\(database.url())"] + extra) { port in
            (try? httpGet(port: port, path: "/-/ready")) == 200
        }
    }

    private static func createSilence(on server: LiveServer, comment: String) throws -> String {
        let now = Date()
        let body = """
            {"matchers":[{"name":"alertname","value":"DiskFull","isRegex":false,"isEqual":true}],
             "startsAt":"\(now.ISO8601Format())","endsAt":"\(now.addingTimeInterval(3600).ISO8601Format())",
             "createdBy":"tester","comment":"\(comment)"}
            """
        let response = try httpRequest(port: server.port, method: "POST", path: "/api/v2/silences", body: body)
        #expect(response.status == 200, "\(response.body)")
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return try #require(object?["silenceID"] as? String, "\(response.body)")
    }

    private static func silences(on server: LiveServer) throws -> String {
        try httpRequest(port: server.port, method: "GET", path: "/api/v2/silences").body
    }

    @Test func silencesAndTheNotificationLogSurviveARestartOfKlaxon() async throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let sink = try TestHTTPServer()
        defer { sink.stop() }
        let config = """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1m
              repeat_interval: 1h
            receivers:
              - name: hook
                webhook_configs:
                  - url: \(sink.baseURL)/hook
            """
        let alert = #"[{"labels":{"alertname":"HighLatency","severity":"page"}}]"#
        let first = try Self.klaxon(database, config: config)
        let id = try Self.createSilence(on: first, comment: "kept across restarts")
        #expect(try httpRequest(port: first.port, method: "POST", path: "/api/v2/alerts", body: alert).status == 200)
        #expect(await sink.waitUntil { $0.requests.count == 1 }, "the first klaxon never notified")
        // The notification-log entry is committed before the branch reports the send done; SIGTERM then drains.
        first.stop()

        let second = try Self.klaxon(database, config: config)
        defer { second.stop() }
        let listed = try Self.silences(on: second)
        #expect(listed.contains(id) && listed.contains("kept across restarts"), "\(listed)")
        // The same alert again: the log entry from before the restart says it was notified within repeat_interval,
        // so group_wait (1 s) passes without a second notification.
        #expect(try httpRequest(port: second.port, method: "POST", path: "/api/v2/alerts", body: alert).status == 200)
        try await Task.sleep(for: .seconds(4))
        #expect(sink.requests.count == 1, "notified again after the restart: the notification log was lost")
    }

    @Test func aSilenceCreatedOnOneKlaxonIsSeenByASecondStartedLaterOnTheSameDatabase() throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let first = try Self.klaxon(database)
        defer { first.stop() }
        let id = try Self.createSilence(on: first, comment: "made on the first")
        let second = try Self.klaxon(database)
        defer { second.stop() }
        let listed = try Self.silences(on: second)
        #expect(listed.contains(id) && listed.contains("made on the first"), "\(listed)")
    }

    @Test func twoKlaxonsStartingAtOnceOnAnEmptyDatabaseBothComeUp() throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let started = Mutex<[Result<LiveServer, any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = Result { try Self.klaxon(database) }
            started.withLock { $0.append(result) }
        }
        let servers = try started.withLock { results in try results.map { try $0.get() } }
        defer { for server in servers { server.stop() } }
        #expect(servers.count == 2)
        for server in servers {
            #expect(try httpRequest(port: server.port, method: "GET", path: "/api/v2/silences").status == 200)
        }
    }

    @Test func anUnusableStorageURLIsRefusedAtStartWithAClearMessageWithoutThePassword() throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let refusing = try RefusingPort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-pg-bad-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configFile = folder.appendingPathComponent("alertmanager.yml")
        try LiveServer.minimalConfig.write(to: configFile, atomically: true, encoding: .utf8)
        let password = "s3cret-\(UUID().uuidString.prefix(8))"
        let cases: [(String, String, String)] = [
            ("an unknown sslmode", "postgres://klaxon:\(password)@127.0.0.1:5432/db?sslmode=maybe", "sslmode"),
            ("not a postgres URL", "mysql://klaxon:\(password)@127.0.0.1/db", "postgres://"),
            ("no user", "postgres://127.0.0.1:5432/db?password=\(password)", "user"),
            (
                "nothing listening", "postgres://klaxon:\(password)@127.0.0.1:\(refusing.port)/db?sslmode=disable",
                "127.0.0.1:\(refusing.port)"
            ),
            (
                "a wrong password",
                "postgres://klaxon:\(password)@127.0.0.1:\(database.port)/postgres?sslmode=disable",
                "password authentication failed"
            ),
        ]
        for (name, url, expected) in cases {
            let port = try freePort()
            let result = try runProcess(
                Binaries.klaxon,
                [
                    "--config.file=\(configFile.path)", "--storage.path=\(folder.appendingPathComponent("data").path)",
                    "--web.listen-address=127.0.0.1:\(port)", "--storage.url=\(url)",
                ], timeout: .seconds(30))
            let output = result.stdout + result.stderr
            #expect(result.exitCode != 0, "\(name): \(result)")
            #expect(output.contains(expected), "\(name): \(result)")
            #expect(!output.contains(password), "\(name): the password was printed: \(result)")
        }
    }

    @Test func thePasswordNeverAppearsInLogsOrTheStatus() throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let urlFile = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-pg-url-\(UUID())")
        try database.url().write(to: urlFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: urlFile) }
        let server = try LiveServer.klaxon(arguments: ["--storage.url-file=\(urlFile.path)", "--log.level=debug"]) {
            port in (try? httpGet(port: port, path: "/-/ready")) == 200
        }
        _ = try Self.createSilence(on: server, comment: "logged")
        let status = try httpRequest(port: server.port, method: "GET", path: "/api/v2/status").body
        #expect(!status.contains(database.password), "\(status)")
        let logs = server.logs()
        #expect(!logs.contains(database.password), "the password is in the logs:\n\(logs)")
        // The log names the database with the password masked.
        #expect(logs.contains("postgres://klaxon:<secret>@127.0.0.1:\(database.port)/postgres"), "\(logs)")
    }
}
