import Foundation
import KlaxonCore
import Logging
import NIOCore
import PostgresNIO

/// Silences, the notification log and the audit trail in PostgreSQL (`--storage.url`), with the same semantics as
/// `SQLiteStateStore`: every change is committed before the call returns. The timeline (`HistoryStore`) stays local:
/// `history.db` under `--storage.path` (in memory with `:memory:`), as each replica's own record.
///
/// The schema is created and migrated when the store opens (`PostgresMigrations`). Calls block their caller for one
/// round trip on a connection of the store's own; `PostgresLink` says why that is safe.
public final class PostgresStateStore: StateStore {
    let link: PostgresLink
    /// The timeline: `history.db` beside SQLite's usual place, or in memory.
    let historyStore: any HistoryStore

    /// Connects, migrates the schema, and opens the local timeline (`historyDirectory`: nil keeps it in memory).
    /// Fails with a ``StorageError`` that names the database (password masked) and PostgreSQL's reason.
    public init(settings: PostgresSettings, historyDirectory: String?, logger: Logger) throws {
        link = PostgresLink(settings: settings, logger: logger)
        do {
            try PostgresMigrations.migrate(link)
            if let historyDirectory {
                try FileManager.default.createDirectory(atPath: historyDirectory, withIntermediateDirectories: true)
                historyStore = try SQLiteHistoryDatabase(directory: historyDirectory)
            } else {
                historyStore = InMemoryStateStore()
            }
        } catch {
            link.close()
            throw error
        }
    }

    deinit { link.close() }

    /// Every stored silence.
    public func loadSilences() throws -> [Silence] {
        try link.query("SELECT id, matchers, starts_at, ends_at, updated_at, created_by, comment FROM silence").map {
            row in
            let (id, matchers, startsAt, endsAt, updatedAt, createdBy, comment) = try row.decode(
                (String, String, Double, Double, Double, String, String).self)
            return Silence(
                id: id, matchers: try MatcherCoding.decode(matchers),
                startsAt: Date(timeIntervalSince1970: startsAt), endsAt: Date(timeIntervalSince1970: endsAt),
                updatedAt: Date(timeIntervalSince1970: updatedAt), createdBy: createdBy, comment: comment)
        }
    }

    /// Every stored notification-log entry.
    public func loadNotificationLog() throws -> [NotificationLogEntry] {
        try link.query(
            #"SELECT group_key, receiver, integration, idx, "timestamp", firing, resolved, expires_at FROM nflog"#
        ).map { row in
            let (groupKey, receiver, integration, index, timestamp, firing, resolved, expiresAt) = try row.decode(
                (String, String, String, Int, Double, ByteBuffer, ByteBuffer, Double).self)
            return NotificationLogEntry(
                groupKey: groupKey, receiver: ReceiverKey(groupName: receiver, integration: integration, index: index),
                timestamp: Date(timeIntervalSince1970: timestamp),
                firingAlerts: HashSetCoding.decode(Data(firing.readableBytesView)),
                resolvedAlerts: HashSetCoding.decode(Data(resolved.readableBytesView)),
                expiresAt: Date(timeIntervalSince1970: expiresAt))
        }
    }

    /// Writes silences and deletes the given ids in one statement (atomic, one round trip). As in SQLite, where
    /// writes come before deletes, an id both written and removed ends up removed.
    public func saveSilences(_ silences: [Silence], removing ids: [String]) throws {
        guard !silences.isEmpty || !ids.isEmpty else { return }
        let silences = lastOfEach(silences, removing: Set(ids), key: \.id)
        let query: PostgresQuery = """
            WITH removed AS (DELETE FROM silence WHERE id = ANY(\(ids)))
            INSERT INTO silence (id, matchers, starts_at, ends_at, updated_at, created_by, comment)
            SELECT * FROM unnest(
                \(silences.map(\.id))::text[], \(silences.map { MatcherCoding.encode($0.matchers) })::text[],
                \(silences.map(\.startsAt.timeIntervalSince1970))::float8[],
                \(silences.map(\.endsAt.timeIntervalSince1970))::float8[],
                \(silences.map(\.updatedAt.timeIntervalSince1970))::float8[],
                \(silences.map(\.createdBy))::text[], \(silences.map(\.comment))::text[])
                AS s (id, matchers, starts_at, ends_at, updated_at, created_by, comment)
            ON CONFLICT (id) DO UPDATE SET
                matchers = excluded.matchers, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                updated_at = excluded.updated_at, created_by = excluded.created_by, comment = excluded.comment
            """
        _ = try link.query(query)
    }

    /// Writes notification-log entries and deletes the given keys in one statement (atomic, one round trip).
    public func saveNotificationLog(_ entries: [NotificationLogEntry], removing keys: [NotificationLogKey]) throws {
        guard !entries.isEmpty || !keys.isEmpty else { return }
        let written = lastOfEach(entries, removing: Set(keys), key: \.key)
        let query: PostgresQuery = """
            WITH removed AS (
                DELETE FROM nflog WHERE (group_key, receiver, integration, idx) IN (
                    SELECT * FROM unnest(
                        \(keys.map(\.groupKey))::text[], \(keys.map(\.receiver.groupName))::text[],
                        \(keys.map(\.receiver.integration))::text[], \(keys.map(\.receiver.index))::int[])))
            INSERT INTO nflog (group_key, receiver, integration, idx, "timestamp", firing, resolved, expires_at)
            SELECT * FROM unnest(
                \(written.map(\.groupKey))::text[], \(written.map(\.receiver.groupName))::text[],
                \(written.map(\.receiver.integration))::text[], \(written.map(\.receiver.index))::int[],
                \(written.map(\.timestamp.timeIntervalSince1970))::float8[],
                \(written.map { ByteBuffer(bytes: HashSetCoding.encode($0.firingAlerts)) })::bytea[],
                \(written.map { ByteBuffer(bytes: HashSetCoding.encode($0.resolvedAlerts)) })::bytea[],
                \(written.map(\.expiresAt.timeIntervalSince1970))::float8[])
            ON CONFLICT (group_key, receiver, integration, idx) DO UPDATE SET
                "timestamp" = excluded."timestamp", firing = excluded.firing, resolved = excluded.resolved,
                expires_at = excluded.expires_at
            """
        _ = try link.query(query)
    }
}

/// The rows one upsert writes: the last value given for each key (as SQLite's `INSERT OR REPLACE` in order leaves
/// it), none for a key also removed (SQLite deletes after writing). PostgreSQL refuses an upsert that touches a row
/// twice, and the delete and insert of one statement must not meet on a row.
func lastOfEach<Value, Key: Hashable>(_ values: [Value], removing removed: Set<Key>, key: (Value) -> Key) -> [Value] {
    var latest: [Key: Int] = [:]
    for (position, value) in values.enumerated() { latest[key(value)] = position }
    return values.enumerated().compactMap { position, value in
        let key = key(value)
        return latest[key] == position && !removed.contains(key) ? value : nil
    }
}

extension PostgresStateStore: HistoryStore {
    /// Stores the batch in the local timeline.
    public func appendHistory(_ batch: HistoryBatch) throws { try historyStore.appendHistory(batch) }

    /// The events the query selects from the local timeline.
    public func history(_ query: HistoryQuery) throws -> [HistoryEvent] { try historyStore.history(query) }

    /// Prunes the local timeline.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try historyStore.pruneHistory(olderThan: cutoff, maxEvents: maxEvents)
    }

    /// Deferred work of the local timeline.
    public func catchUpHistory() throws { try historyStore.catchUpHistory() }
}
