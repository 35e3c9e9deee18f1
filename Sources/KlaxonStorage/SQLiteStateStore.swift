import Foundation
import GRDB
import KlaxonCore

/// Silences, the notification log and the audit trail in one SQLite database (`<storage.path>/klaxon.db`), in WAL
/// mode; the timeline in another (`history.db`, `SQLiteHistoryDatabase`).
///
/// Every change is committed when it happens; with `synchronous=NORMAL` a committed transaction survives
/// the process being killed (it is in the WAL), which is the failure Klaxon guards against. Writes are
/// serialized by GRDB's queue.
public final class SQLiteStateStore: StateStore {
    let queue: DatabaseQueue
    /// The timeline, in `history.db` with its own write queue.
    let historyDatabase: SQLiteHistoryDatabase

    /// Opens (creating when needed) the database in `directory`.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let path = (directory as NSString).appendingPathComponent("klaxon.db")
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        try Self.migrator.migrate(queue)
        historyDatabase = try SQLiteHistoryDatabase(directory: directory)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE silence (
                        id TEXT PRIMARY KEY NOT NULL,
                        matchers TEXT NOT NULL,
                        starts_at DOUBLE NOT NULL,
                        ends_at DOUBLE NOT NULL,
                        updated_at DOUBLE NOT NULL,
                        created_by TEXT NOT NULL,
                        comment TEXT NOT NULL
                    );
                    CREATE TABLE nflog (
                        group_key TEXT NOT NULL,
                        receiver TEXT NOT NULL,
                        integration TEXT NOT NULL,
                        idx INTEGER NOT NULL,
                        timestamp DOUBLE NOT NULL,
                        firing BLOB NOT NULL,
                        resolved BLOB NOT NULL,
                        expires_at DOUBLE NOT NULL,
                        PRIMARY KEY (group_key, receiver, integration, idx)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        time DOUBLE NOT NULL,
                        kind TEXT NOT NULL,
                        principal TEXT NOT NULL,
                        remote_address TEXT NOT NULL,
                        object TEXT NOT NULL,
                        before TEXT,
                        after TEXT,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX audit_time ON audit (time);
                    CREATE TABLE audit_tenant (
                        sequence INTEGER NOT NULL REFERENCES audit (sequence) ON DELETE CASCADE,
                        tenant TEXT NOT NULL,
                        PRIMARY KEY (tenant, sequence)
                    ) WITHOUT ROWID;
                    CREATE INDEX audit_tenant_sequence ON audit_tenant (sequence);
                    """)
        }
        // The timeline lived here until it moved to its own file (`history.db`); its tables go.
        migrator.registerMigration("v3-history") { _ in }
        migrator.registerMigration("v4-history-moved") { db in
            try db.execute(sql: "DROP TABLE IF EXISTS history_alert; DROP TABLE IF EXISTS history")
        }
        return migrator
    }

    /// Every stored silence.
    public func loadSilences() throws -> [Silence] {
        // Columns by position, not by name: GRDB's name lookup lowercases the name for every row and column,
        // which was the largest single cost of a restart with 10k silences and 100k log entries.
        try queue.read { db in
            var silences: [Silence] = []
            silences.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM silence") ?? 0)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, matchers, starts_at, ends_at, updated_at, created_by, comment FROM silence")
            while let row = try rows.next() {
                silences.append(
                    Silence(
                        id: row[0],
                        matchers: try MatcherCoding.decode(row[1]),
                        startsAt: Date(timeIntervalSince1970: row[2]),
                        endsAt: Date(timeIntervalSince1970: row[3]),
                        updatedAt: Date(timeIntervalSince1970: row[4]),
                        createdBy: row[5],
                        comment: row[6]))
            }
            return silences
        }
    }

    /// Every stored notification-log entry.
    public func loadNotificationLog() throws -> [NotificationLogEntry] {
        try queue.read { db in
            var entries: [NotificationLogEntry] = []
            entries.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM nflog") ?? 0)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT group_key, receiver, integration, idx, timestamp, firing, resolved, expires_at FROM nflog
                    """)
            while let row = try rows.next() {
                entries.append(
                    NotificationLogEntry(
                        groupKey: row[0],
                        receiver: ReceiverKey(groupName: row[1], integration: row[2], index: row[3]),
                        timestamp: Date(timeIntervalSince1970: row[4]),
                        firingAlerts: try row.withUnsafeData(atIndex: 5) { HashSetCoding.decode($0 ?? Data()) },
                        resolvedAlerts: try row.withUnsafeData(atIndex: 6) { HashSetCoding.decode($0 ?? Data()) },
                        expiresAt: Date(timeIntervalSince1970: row[7])))
            }
            return entries
        }
    }

    /// Writes silences and deletes the given ids in one transaction.
    public func saveSilences(_ silences: [Silence], removing ids: [String]) throws {
        try queue.write { db in
            for silence in silences {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO silence (id, matchers, starts_at, ends_at, updated_at, created_by, comment)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        silence.id, MatcherCoding.encode(silence.matchers), silence.startsAt.timeIntervalSince1970,
                        silence.endsAt.timeIntervalSince1970, silence.updatedAt.timeIntervalSince1970,
                        silence.createdBy, silence.comment,
                    ])
            }
            for id in ids {
                try db.execute(sql: "DELETE FROM silence WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Writes notification-log entries and deletes the given keys in one transaction.
    public func saveNotificationLog(_ entries: [NotificationLogEntry], removing keys: [NotificationLogKey]) throws {
        try queue.write { db in
            for entry in entries {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO nflog
                        (group_key, receiver, integration, idx, timestamp, firing, resolved, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        entry.groupKey, entry.receiver.groupName, entry.receiver.integration, entry.receiver.index,
                        entry.timestamp.timeIntervalSince1970, HashSetCoding.encode(entry.firingAlerts),
                        HashSetCoding.encode(entry.resolvedAlerts), entry.expiresAt.timeIntervalSince1970,
                    ])
            }
            for key in keys {
                try db.execute(
                    sql: "DELETE FROM nflog WHERE group_key = ? AND receiver = ? AND integration = ? AND idx = ?",
                    arguments: [key.groupKey, key.receiver.groupName, key.receiver.integration, key.receiver.index])
            }
        }
    }
}

/// Matchers as JSON: `[{"name":..,"value":..,"type":"=~"}]`.
enum MatcherCoding {
    private struct Stored: Codable {
        var name: String
        var value: String
        var type: String
    }

    static func encode(_ matchers: [Matcher]) -> String {
        let stored = matchers.map { Stored(name: $0.name, value: $0.value, type: $0.type.rawValue) }
        guard let data = try? JSONEncoder().encode(stored) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [Matcher] {
        let stored = try JSONDecoder().decode([Stored].self, from: Data(text.utf8))
        return try stored.map { item in
            guard let type = Matcher.MatchType(rawValue: item.type) else {
                throw StorageError("unknown matcher type \(item.type) in stored silence")
            }
            return try Matcher(type: type, name: item.name, value: item.value)
        }
    }
}

/// A set of 64-bit hashes as little-endian bytes.
enum HashSetCoding {
    static func encode(_ set: Set<UInt64>) -> Data {
        var data = Data(capacity: set.count * 8)
        for value in set.sorted() {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func decode(_ data: Data) -> Set<UInt64> {
        var result = Set<UInt64>(minimumCapacity: data.count / 8)
        data.withUnsafeBytes { bytes in
            var index = 0
            while index + 8 <= bytes.count {
                result.insert(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += 8
            }
        }
        return result
    }
}

/// A storage failure with a human reason.
public struct StorageError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
