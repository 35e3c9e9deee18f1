import Foundation
import GRDB
import KlaxonCore

/// The timeline in the state database: one row per event, and one `history_alert` row per alert it concerns so that
/// an alert's events are an index lookup. The sequence (SQLite's rowid, never reused thanks to AUTOINCREMENT) is the
/// API's cursor: events committed while a reader pages get higher sequences, so pages neither skip nor repeat.
extension SQLiteStateStore: HistoryStore {
    static func registerHistoryMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE history (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        time DOUBLE NOT NULL,
                        kind TEXT NOT NULL,
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
                    CREATE INDEX history_time ON history (time);
                    CREATE TABLE history_alert (
                        fingerprint INTEGER NOT NULL,
                        sequence INTEGER NOT NULL,
                        PRIMARY KEY (fingerprint, sequence)
                    ) WITHOUT ROWID;
                    CREATE INDEX history_alert_sequence ON history_alert (sequence);
                    """)
        }
    }

    /// Stores the events in one transaction.
    public func appendHistory(_ events: [HistoryEvent]) throws {
        guard !events.isEmpty else { return }
        try queue.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO history (time, kind, labels, fingerprints, receiver, integration, group_key, outcome,
                        status, attempt, latency, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let link = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO history_alert (fingerprint, sequence) VALUES (?, ?)")
            for event in events {
                try insert.execute(arguments: [
                    event.time.timeIntervalSince1970, event.kind.rawValue, Self.encode(event.labels),
                    event.fingerprints.map(\.description).joined(separator: ","), event.receiver, event.integration,
                    event.groupKey, event.outcome?.rawValue, event.status, event.attempt, event.latency, event.detail,
                ])
                let sequence = db.lastInsertedRowID
                for fingerprint in event.fingerprints {
                    try link.execute(arguments: [Int64(bitPattern: fingerprint.rawValue), sequence])
                }
            }
        }
    }

    /// The events the query selects, in sequence order.
    public func history(_ query: HistoryQuery) throws -> [HistoryEvent] {
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
            conditions.append("sequence IN (SELECT sequence FROM history_alert WHERE fingerprint = ?)")
            arguments += [Int64(bitPattern: fingerprint.rawValue)]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, time, kind, labels, fingerprints, receiver, integration, group_key, outcome,
                        status, attempt, latency, detail
                    FROM history \(filter) ORDER BY sequence LIMIT ?
                    """,
                arguments: arguments
            ).compactMap { row in
                guard let kind = HistoryEvent.Kind(rawValue: row[2]) else { return nil }
                let fingerprints: String = row[4]
                let outcome: String? = row[8]
                return HistoryEvent(
                    sequence: row[0], time: Date(timeIntervalSince1970: row[1]), kind: kind,
                    labels: Self.decodeLabels(row[3]),
                    fingerprints: fingerprints.split(separator: ",").compactMap { Fingerprint(hex: String($0)) },
                    receiver: row[5], integration: row[6], groupKey: row[7],
                    outcome: outcome.flatMap(HistoryEvent.Outcome.init(rawValue:)), status: row[9], attempt: row[10],
                    latency: row[11], detail: row[12])
            }
        }
    }

    /// Deletes events older than `cutoff`, then the oldest beyond `maxEvents`.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try queue.write { db in
            let byAge = "SELECT sequence FROM history WHERE time < ?"
            try db.execute(
                sql: "DELETE FROM history_alert WHERE sequence IN (\(byAge))",
                arguments: [cutoff.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM history WHERE time < ?", arguments: [cutoff.timeIntervalSince1970])
            var removed = db.changesCount
            // Sequences are consecutive from the oldest kept event, so the newest `maxEvents` are those above
            // max - maxEvents.
            let bound = "(SELECT MAX(sequence) - ? FROM history)"
            try db.execute(
                sql: "DELETE FROM history_alert WHERE sequence <= \(bound)", arguments: [max(0, maxEvents)])
            try db.execute(sql: "DELETE FROM history WHERE sequence <= \(bound)", arguments: [max(0, maxEvents)])
            removed += db.changesCount
            return removed
        }
    }

    /// Labels as a JSON object, written as the API writes label sets (cheaper than JSONSerialization).
    static func encode(_ labels: LabelSet) -> String {
        var writer = GoJSONWriter()
        writer.object(labels)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func decodeLabels(_ text: String) -> LabelSet {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else {
            return .empty
        }
        return LabelSet(object)
    }
}
