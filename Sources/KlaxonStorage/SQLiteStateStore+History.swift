import Foundation
import GRDB
import GRDBSQLite
import KlaxonCore

/// The timeline in its own database file, `history.db` beside `klaxon.db`, with its own write queue: a history
/// batch (up to a second of events) never makes a notification-log or silence commit wait.
///
/// One row per event. An event about one alert (firing, resolved, silenced, ...: nearly all of them) keeps its
/// fingerprint in the row, under a partial index; only events about several alerts (notifications, a muted group)
/// add one `event_alert` row per alert. So the common row costs the table append, the time index (times grow with
/// the sequence, so that is an append too) and one fingerprint index entry. The sequence (the rowid,
/// AUTOINCREMENT so it is never reused) is the API's cursor: events committed while a reader pages get higher
/// sequences, so pages neither skip nor repeat.
final class SQLiteHistoryDatabase: Sendable {
    let queue: DatabaseQueue

    init(directory: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(
            path: (directory as NSString).appendingPathComponent("history.db"), configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        time DOUBLE NOT NULL,
                        kind TEXT NOT NULL,
                        fingerprint INTEGER,
                        labels TEXT NOT NULL,
                        fingerprints TEXT NOT NULL,
                        receiver TEXT NOT NULL,
                        integration TEXT NOT NULL,
                        group_key TEXT NOT NULL,
                        outcome TEXT,
                        status TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        latency DOUBLE,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX event_time ON event (time);
                    CREATE INDEX event_fingerprint ON event (fingerprint) WHERE fingerprint IS NOT NULL;
                    CREATE TABLE event_alert (
                        fingerprint INTEGER NOT NULL,
                        sequence INTEGER NOT NULL,
                        PRIMARY KEY (fingerprint, sequence)
                    ) WITHOUT ROWID;
                    CREATE INDEX event_alert_sequence ON event_alert (sequence);
                    """)
        }
        try migrator.migrate(queue)
    }

    /// Stores the events in one transaction, binding each column straight to the prepared statement (GRDB's
    /// argument arrays box every value, which cost more than SQLite's own work at ingest rates).
    func append(_ events: [HistoryEvent]) throws {
        guard !events.isEmpty else { return }
        try queue.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO event (time, kind, fingerprint, labels, fingerprints, receiver, integration,
                        group_key, outcome, status, attempt, latency, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let link = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO event_alert (fingerprint, sequence) VALUES (?, ?)")
            let row = RowBinder(insert.sqliteStatement)
            var writer = GoJSONWriter()
            for event in events {
                sqlite3_reset(row.statement)
                row.bind(1, event.time.timeIntervalSince1970)
                row.bind(2, event.kind.rawValue)
                let single = event.fingerprints.count == 1
                if single {
                    sqlite3_bind_int64(row.statement, 3, Int64(bitPattern: event.fingerprints[0].rawValue))
                } else {
                    sqlite3_bind_null(row.statement, 3)
                }
                writer.removeAll()
                writer.object(event.labels)
                writer.bytes.withUnsafeBufferPointer { bytes in
                    _ = sqlite3_bind_text(
                        row.statement, 4,
                        bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                        Int32(bytes.count), SQLITE_TRANSIENT)
                }
                row.bind(5, single ? "" : event.fingerprints.map(\.description).joined(separator: ","))
                row.bind(6, event.receiver)
                row.bind(7, event.integration)
                row.bind(8, event.groupKey)
                if let outcome = event.outcome {
                    row.bind(9, outcome.rawValue)
                } else {
                    sqlite3_bind_null(row.statement, 9)
                }
                row.bind(10, event.status)
                sqlite3_bind_int64(row.statement, 11, Int64(event.attempt))
                if let latency = event.latency { row.bind(12, latency) } else { sqlite3_bind_null(row.statement, 12) }
                row.bind(13, event.detail)
                try row.step(db)
                guard !single else { continue }
                let sequence = db.lastInsertedRowID
                for fingerprint in event.fingerprints {
                    try link.execute(arguments: [Int64(bitPattern: fingerprint.rawValue), sequence])
                }
            }
            sqlite3_clear_bindings(row.statement)
        }
    }

    /// The events the query selects, in sequence order.
    func events(_ query: HistoryQuery) throws -> [HistoryEvent] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let after = query.after {
            conditions.append("sequence > ?")
            arguments += [after]
        }
        if let since = query.since {
            conditions.append("time >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        if let until = query.until {
            conditions.append("time < ?")
            arguments += [until.timeIntervalSince1970]
        }
        if !query.kinds.isEmpty {
            let kinds = query.kinds.map(\.rawValue).sorted()
            conditions.append("kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))")
            for kind in kinds { arguments += [kind] }
        }
        if let receiver = query.receiver {
            conditions.append("receiver = ?")
            arguments += [receiver]
        }
        if let fingerprint = query.fingerprint {
            let key = Int64(bitPattern: fingerprint.rawValue)
            conditions.append(
                """
                sequence IN (SELECT sequence FROM event WHERE fingerprint = ?
                    UNION ALL SELECT sequence FROM event_alert WHERE fingerprint = ?)
                """)
            arguments += [key, key]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, time, kind, fingerprint, labels, fingerprints, receiver, integration, group_key,
                        outcome, status, attempt, latency, detail
                    FROM event \(filter) ORDER BY sequence LIMIT ?
                    """,
                arguments: arguments
            ).compactMap { row -> HistoryEvent? in
                guard let kind = HistoryEvent.Kind(rawValue: row[2]) else { return nil }
                let single: Int64? = row[3]
                let listed: String = row[5]
                let outcome: String? = row[9]
                return HistoryEvent(
                    sequence: row[0], time: Date(timeIntervalSince1970: row[1]), kind: kind,
                    labels: Self.decodeLabels(row[4]),
                    fingerprints: single.map { [Fingerprint(UInt64(bitPattern: $0))] }
                        ?? listed.split(separator: ",").compactMap { Fingerprint(hex: String($0)) },
                    receiver: row[6], integration: row[7], groupKey: row[8],
                    outcome: outcome.flatMap(HistoryEvent.Outcome.init(rawValue:)), status: row[10], attempt: row[11],
                    latency: row[12], detail: row[13])
            }
        }
    }

    /// Deletes events older than `cutoff`, then the oldest beyond `maxEvents`.
    func prune(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try queue.write { db in
            try db.execute(
                sql: """
                    DELETE FROM event_alert WHERE sequence IN (SELECT sequence FROM event WHERE time < ?)
                    """,
                arguments: [cutoff.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM event WHERE time < ?", arguments: [cutoff.timeIntervalSince1970])
            var removed = db.changesCount
            // Sequences are consecutive from the oldest kept event, so the newest `maxEvents` are those above
            // max - maxEvents.
            let bound = "(SELECT MAX(sequence) - ? FROM event)"
            try db.execute(
                sql: "DELETE FROM event_alert WHERE sequence <= \(bound)", arguments: [max(0, maxEvents)])
            try db.execute(sql: "DELETE FROM event WHERE sequence <= \(bound)", arguments: [max(0, maxEvents)])
            removed += db.changesCount
            return removed
        }
    }

    static func decodeLabels(_ text: String) -> LabelSet {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else {
            return .empty
        }
        return LabelSet(object)
    }
}

/// Binds values to one prepared statement by position.
private struct RowBinder {
    let statement: SQLiteStatement

    init(_ statement: SQLiteStatement) { self.statement = statement }

    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(statement, index, value) }

    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(
                statement, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                Int32(bytes.count), SQLITE_TRANSIENT)
        }
    }

    func step(_ db: Database) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound bytes (a C macro Swift does not import).
private let SQLITE_TRANSIENT = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)

extension SQLiteStateStore: HistoryStore {
    /// Stores the events in one transaction of the history database.
    public func appendHistory(_ events: [HistoryEvent]) throws { try historyDatabase.append(events) }

    /// The events the query selects, in sequence order.
    public func history(_ query: HistoryQuery) throws -> [HistoryEvent] { try historyDatabase.events(query) }

    /// Deletes events older than `cutoff`, then the oldest beyond `maxEvents`.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try historyDatabase.prune(olderThan: cutoff, maxEvents: maxEvents)
    }
}
