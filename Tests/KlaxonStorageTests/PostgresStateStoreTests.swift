import Foundation
import KlaxonCore
import KlaxonTestSupport
import Logging
import Synchronization
import Testing

@testable import KlaxonStorage

/// The PostgreSQL store keeps the `StateStore` and `AuditStore` promises the SQLite store keeps, against a real
/// PostgreSQL 15 server. Serialized, so that its blocking calls hold one cooperative thread at a time.
@Suite(.serialized, .enabled(if: PostgresServer.isInstalled, "\(PostgresServer.unavailableReason ?? "")"))
struct PostgresStateStoreTests {
    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    private static func settings(_ server: PostgresServer, password: String? = nil) -> PostgresSettings {
        PostgresSettings(
            host: "127.0.0.1", port: server.port, user: server.user, password: password ?? server.password,
            database: "postgres", tls: .disable)
    }

    private static func open(_ server: PostgresServer) throws -> PostgresStateStore {
        try PostgresStateStore(settings: settings(server), historyDirectory: nil, logger: Logger(label: "test"))
    }

    private static func silence(_ id: String, comment: String) throws -> Silence {
        Silence(
            id: id, matchers: [try Matcher.parse(#"tenant_id=~"fin.*""#), try Matcher.parse("severity!=info")],
            startsAt: t0, endsAt: t0 + 3600, updatedAt: t0 + 0.25, createdBy: "ci", comment: comment)
    }

    private static func entry(_ group: String, index: Int = 0, firing: Set<UInt64>, at offset: Double = 0)
        -> NotificationLogEntry
    {
        NotificationLogEntry(
            groupKey: #"{}:{alertname="\#(group)"}"#,
            receiver: ReceiverKey(groupName: "hook", integration: "webhook", index: index), timestamp: t0 + offset,
            firingAlerts: firing, resolvedAlerts: [7, UInt64.max], expiresAt: t0 + 7200)
    }

    @Test func silencesAreInsertedReplacedAndDeletedAndSurviveReconnecting() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let store = try Self.open(server)
        let (a, b, c) = (
            try Self.silence("a", comment: "one"), try Self.silence("b", comment: "two"),
            try Self.silence("c", comment: "three")
        )
        try store.saveSilences([a, b, c], removing: [])
        var changedA = a
        changedA.comment = "one, changed"
        changedA.endsAt = Self.t0 + 60
        // Replace a (the last value given wins), delete b; c written and removed in one call ends up removed.
        try store.saveSilences([a, changedA, c], removing: ["b", "c"])
        let reopened = try Self.open(server)
        #expect(try reopened.loadSilences() == [changedA])
        try reopened.saveSilences([], removing: ["a"])
        #expect(try store.loadSilences().isEmpty)
    }

    @Test func notificationLogEntriesAreInsertedReplacedAndDeletedAndSurviveReconnecting() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let store = try Self.open(server)
        let many = (0..<2000).map { i in
            Self.entry("G\(i)", index: i % 2, firing: i % 5 == 0 ? [] : Set((0..<UInt64(i % 40)).map { $0 &* 31 }))
        }
        try store.saveNotificationLog(many, removing: [])
        let reopened = try Self.open(server)
        #expect(
            Dictionary(uniqueKeysWithValues: try reopened.loadNotificationLog().map { ($0.key, $0) })
                == Dictionary(uniqueKeysWithValues: many.map { ($0.key, $0) }))
        let replaced = Self.entry("G1", index: 1, firing: [1, 2, 3], at: 60)
        try store.saveNotificationLog([Self.entry("G1", index: 1, firing: [9], at: 30), replaced], removing: [])
        try store.saveNotificationLog([], removing: many.dropFirst(2).map(\.key))
        #expect(Set(try reopened.loadNotificationLog()) == [many[0], replaced])
    }

    @Test func auditQueriesReturnExactlyTheMatchingEntriesNewestFirst() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let store = try Self.open(server)
        let stored = try AuditStoreTests.fill(store)
        #expect(stored.map(\.sequence) == [1, 2, 3, 4, 5])
        for (name, query) in AuditStoreTests.queries {
            let expected = Array(stored.reversed().filter(query.matches).prefix(query.limit))
            #expect(try store.audit(query) == expected, "\(name)")
        }
        #expect(try store.pruneAudit(olderThan: AuditStoreTests.t0 + 120) == 2)
        #expect(try Self.open(server).audit(AuditQuery()) == Array(stored.suffix(3).reversed()))
    }

    @Test func storesOpeningAtOnceOnAnEmptyDatabaseMigrateItOnce() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let opened = Mutex<[Result<PostgresStateStore, any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let result = Result { try Self.open(server) }
            opened.withLock { $0.append(result) }
        }
        let stores = try opened.withLock { results in try results.map { try $0.get() } }
        #expect(stores.count == 4)
        let versions = try stores[0].link.query("SELECT version FROM klaxon_schema_migrations ORDER BY version")
            .map { try $0.decode(Int.self) }
        #expect(versions == PostgresMigrations.all.map(\.version))
    }

    @Test func aSchemaNewerThanThisKlaxonIsRefused() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let store = try Self.open(server)
        _ = try store.link.query("INSERT INTO klaxon_schema_migrations (version, name) VALUES (999, 'future')")
        #expect {
            try Self.open(server)
        } throws: { error in
            "\(error)".contains("schema is at version 999, newer than this klaxon knows")
        }
    }

    @Test func aWrongPasswordOrNoServerFailsWithPostgreSQLsReasonAndNoPassword() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let wrong = "not-\(server.password)"
        #expect {
            try PostgresStateStore(
                settings: Self.settings(server, password: wrong), historyDirectory: nil, logger: Logger(label: "test"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("password authentication failed") && !text.contains(wrong)
                && text.contains("postgres://klaxon:<secret>@127.0.0.1:\(server.port)/postgres")
        }
        let refusing = try RefusingPort()
        var nowhere = Self.settings(server)
        nowhere.port = refusing.port
        #expect {
            try PostgresStateStore(settings: nowhere, historyDirectory: nil, logger: Logger(label: "test"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:\(refusing.port)") && !text.contains(server.password)
        }
    }
}
