import Foundation
import KlaxonCore
import Testing

@testable import KlaxonStorage

/// Both stores answer every audit query as `AuditQuery.matches` defines it.
@Suite struct AuditStoreTests {
    enum StoreKind: String, CaseIterable { case sqlite, memory }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A store holding one of each interesting entry, oldest first, and the entries as stored.
    private static func filled(_ kind: StoreKind, directory: String) throws -> (any AuditStore, [AuditEntry]) {
        let store: any AuditStore =
            switch kind {
            case .sqlite: try SQLiteStateStore(directory: directory)
            case .memory: InMemoryStateStore()
            }
        return (store, try fill(store))
    }

    /// Appends one of each interesting entry to `store`, oldest first; answers the entries as stored.
    static func fill(_ store: any AuditStore) throws -> [AuditEntry] {
        let entries = [
            AuditEntry(
                time: t0, kind: .silenceCreated, principal: "finance-admin", tenants: ["finance"],
                remoteAddress: "10.0.0.1", object: "s1", after: #"{"id":"s1"}"#),
            AuditEntry(
                time: t0 + 60, kind: .silenceCreated, principal: "hr-admin", tenants: ["hr"], remoteAddress: "10.0.0.2",
                object: "s2"),
            AuditEntry(
                time: t0 + 120, kind: .configReloaded, principal: "platform", tenants: [], remoteAddress: "10.0.0.3",
                object: "alertmanager.yml"),
            AuditEntry(
                time: t0 + 180, kind: .silenceExpired, principal: "ops", tenants: ["hr", "finance"],
                remoteAddress: "10.0.0.4", object: "s3", before: #"{"id":"s3"}"#),
            AuditEntry(
                time: t0 + 240, kind: .limitHit, principal: "prometheus-finance", tenants: ["finance"],
                remoteAddress: "10.0.0.5", object: "finance", message: "max_active_alerts 500"),
        ]
        return try entries.map { try store.appendAudit($0) }
    }

    static let queries: [(String, AuditQuery)] = [
        ("everything", AuditQuery()),
        ("finance principal", AuditQuery(scope: .tenants(["finance"]))),
        ("finance and hr principal", AuditQuery(scope: .tenants(["finance", "hr"]))),
        ("principal of no tenant", AuditQuery(scope: .tenants([]))),
        ("tenant filter", AuditQuery(tenant: "hr")),
        ("by principal", AuditQuery(principal: "platform")),
        ("by kinds", AuditQuery(kinds: [.silenceCreated, .silenceExpired])),
        ("time window", AuditQuery(since: t0 + 60, until: t0 + 180)),
        ("next page", AuditQuery(before: 4, limit: 2)),
        ("limit", AuditQuery(limit: 1)),
        ("scope and filter", AuditQuery(scope: .tenants(["finance"]), tenant: "finance", kinds: [.limitHit])),
    ]

    @Test(arguments: StoreKind.allCases, queries)
    func queriesReturnExactlyTheMatchingEntriesNewestFirst(kind: StoreKind, query: (String, AuditQuery)) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (store, stored) = try Self.filled(kind, directory: directory)
        let expected = Array(stored.reversed().filter(query.1.matches).prefix(query.1.limit))
        let answer = try store.audit(query.1)
        #expect(answer == expected, "\(query.0)")
    }

    @Test func aTenantPrincipalNeverSeesPlatformOrOtherTenantsEntries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (store, _) = try Self.filled(.sqlite, directory: directory)
        let seen = try store.audit(AuditQuery(scope: .tenants(["finance"])))
        #expect(seen.map(\.object) == ["finance", "s1"])
    }

    @Test(arguments: StoreKind.allCases)
    func pruningDropsOnlyEntriesOlderThanTheCutoff(kind: StoreKind) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (store, stored) = try Self.filled(kind, directory: directory)
        #expect(try store.pruneAudit(olderThan: Self.t0 + 120) == 2)
        #expect(try store.audit(AuditQuery()) == Array(stored.suffix(3).reversed()))
        #expect(try store.audit(AuditQuery(tenant: "finance")).map(\.object) == ["finance", "s3"])
    }

    @Test func theTrailSurvivesReopeningTheDatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (_, stored) = try Self.filled(.sqlite, directory: directory)
        let reopened = try SQLiteStateStore(directory: directory)
        #expect(try reopened.audit(AuditQuery()) == stored.reversed())
        let next = try reopened.appendAudit(
            AuditEntry(
                time: Self.t0 + 300, kind: .silenceUpdated, principal: "p", tenants: ["finance"], remoteAddress: "",
                object: "s1"))
        #expect(next.sequence == (stored.last?.sequence ?? 0) + 1)
    }
}
