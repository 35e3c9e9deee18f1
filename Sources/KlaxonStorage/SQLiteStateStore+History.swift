import Foundation
import GRDB
import GRDBSQLite
import KlaxonCore
import Synchronization

/// The timeline in its own database file, `history.db` beside `klaxon.db`, with its own write queue: a history
/// batch (up to a second of events) never makes a notification-log or silence commit wait.
///
/// Events are stored packed, up to `eventsPerRow` in one `batch` row (`HistoryCodec`'s binary form), so a
/// second of ingest at 100,000 new alerts costs a few hundred row inserts, not 100,000 rows and 200,000 index
/// entries. Each event has a sequence number (the API's cursor): the row's `first` plus the event's offset.
/// Sequences are handed out in commit order and never reused (`meta.next_sequence`), so a reader paging while
/// events are written neither skips nor repeats.
///
/// The fingerprint index (which rows hold events of an alert) is written in segments: once `segmentEvents` events
/// (or `segmentEntries` distinct alert-row pairs, reached first by notifications of large groups) are past
/// `meta.indexed_through`, their rows' fingerprints are sorted and written as `alert_index` rows, one per
/// segment and bucket (the fingerprint's top byte), each a blob of (fingerprint, row) pairs. A segment costs a few
/// hundred row inserts however many alerts it covers (one SQL insert per alert cost more than the events
/// themselves). A query by fingerprint reads one blob per segment and scans the rows past the index.
final class SQLiteHistoryDatabase: Sendable {
    let queue: DatabaseQueue
    /// The rows past `meta.indexed_through`, as the next index segment's entries.
    private let pending = Mutex(PendingIndex())
    /// Events packed into one row at most.
    static let eventsPerRow = 256
    /// Events per index segment: what a query by fingerprint scans at most past the index.
    static let segmentEvents = 16_384
    /// (Alert, row) pairs per index segment at most: 4 MiB held in memory until the segment is written. A notification
    /// names every alert it carried, so 16,384 notifications of 100-alert groups would hold 1.6 million pairs (a
    /// one-hour soak at 2-second group intervals showed RSS stepping up by 50 MiB as they were built and sorted).
    static let segmentEntries = 1 << 18

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
        // One row per event became packed rows: the events of v1 are carried over with their sequences.
        migrator.registerMigration("v2-packed") { db in
            try db.execute(
                sql: """
                    CREATE TABLE batch (
                        first INTEGER PRIMARY KEY,
                        last INTEGER NOT NULL,
                        time_min DOUBLE NOT NULL,
                        time_max DOUBLE NOT NULL,
                        kinds INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        events BLOB NOT NULL
                    );
                    CREATE INDEX batch_time ON batch (time_max);
                    CREATE TABLE segment (segment INTEGER PRIMARY KEY, through INTEGER NOT NULL);
                    CREATE TABLE alert_index (
                        segment INTEGER NOT NULL,
                        bucket INTEGER NOT NULL,
                        entries BLOB NOT NULL,
                        PRIMARY KEY (segment, bucket)
                    ) WITHOUT ROWID;
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                    """)
            try Self.carryOverV1(db)
            try db.execute(sql: "DROP TABLE event_alert; DROP TABLE event")
        }
        try migrator.migrate(queue)
        let unindexed = try queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COALESCE(SUM(count), 0) FROM batch WHERE first > ?",
                arguments: [try Self.meta(db, .indexedThrough) ?? 0]) ?? 0
        }
        // Rows a previous run wrote but did not index are read back at the next segment.
        pending.withLock { $0 = PendingIndex(events: unindexed, complete: unindexed == 0) }
    }

    // MARK: Writing

    /// Stores the batch's events in one transaction with the next sequence numbers, then writes an index segment
    /// when enough events are past the index.
    func append(_ batch: HistoryBatch) throws {
        guard !batch.isEmpty else { return }
        try queue.write { db in
            var next = try Self.meta(db, .nextSequence) ?? 1
            var row = PackedRow(first: next)
            var written = PendingIndex()
            func insert(_ row: PackedRow) throws {
                try row.insert(db)
                written.add(row)
            }
            try batch.forEach { entry in
                switch entry {
                case .change(let change): row.add(change, sequence: next)
                case .event(let event): row.add(event, sequence: next)
                }
                next += 1
                if row.count == Self.eventsPerRow {
                    try insert(row)
                    row = PackedRow(first: next)
                }
            }
            if row.count > 0 { try insert(row) }
            try Self.setMeta(db, .nextSequence, next)
            try Self.setMeta(db, .events, (try Self.meta(db, .events) ?? 0) + Int64(batch.count))
            // Under the write lock, so an index segment sees every committed row. (Entries of a transaction that
            // then fails to commit name rows that do not exist, which queries skip.)
            pending.withLock { $0.add(written) }
        }
        try catchUpIndex()
    }

    /// Writes an index segment for the rows past the index once they hold `segmentEvents` events.
    func catchUpIndex() throws {
        let due = pending.withLock { $0.events >= Self.segmentEvents || $0.entries.count >= Self.segmentEntries }
        guard due else { return }
        try indexPending()
    }

    /// Writes an index segment for every row past the index, however few.
    func indexPending() throws {
        try queue.write { db in try self.index(db) }
    }

    /// Events past the index (a query by fingerprint scans their rows).
    var unindexedEvents: Int { pending.withLock { $0.events } }

    /// (Alert, row) pairs waiting for the next index segment.
    var unindexedEntries: Int { pending.withLock { $0.entries.count } }

    /// Appends one segment to the fingerprint index: the rows past `meta.indexed_through`, sorted by fingerprint.
    private func index(_ db: Database) throws {
        let through = try Self.meta(db, .indexedThrough) ?? 0
        var segment = pending.withLock { pending in
            defer { pending = PendingIndex() }
            return pending
        }
        if !segment.complete {
            // Rows of an earlier run: read back.
            segment = PendingIndex()
            let rows = try Row.fetchCursor(
                db, sql: "SELECT first, events FROM batch WHERE first > ? ORDER BY first", arguments: [through])
            while let row = try rows.next() {
                let first: Int64 = row[0]
                let fingerprints = try row.withUnsafeData(atIndex: 1) { data in
                    (data ?? Data()).withUnsafeBytes { HistoryCodec.fingerprints(in: $0) }
                }
                segment.add(fingerprints, row: first)
            }
        }
        guard segment.lastRow > through else { return }
        // Fingerprint, then row: the order of the buckets and of the entries in each.
        segment.entries.sort()
        let number = through + 1
        let insert = try db.cachedStatement(
            sql: "INSERT INTO alert_index (segment, bucket, entries) VALUES (?, ?, ?)")
        var bucket: [UInt8] = []
        var bucketNumber: Int64 = -1
        var previous: UInt128?
        func writeBucket() throws {
            guard !bucket.isEmpty else { return }
            try insert.execute(arguments: [number, bucketNumber, Data(bucket)])
            bucket.removeAll(keepingCapacity: true)
        }
        for entry in segment.entries where Int64(truncatingIfNeeded: entry) > through && entry != previous {
            previous = entry
            let fingerprint = UInt64(truncatingIfNeeded: entry >> 64)
            if Self.bucket(of: fingerprint) != bucketNumber {
                try writeBucket()
                bucketNumber = Self.bucket(of: fingerprint)
            }
            withUnsafeBytes(of: fingerprint.littleEndian) { bucket.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt64(truncatingIfNeeded: entry).littleEndian) { bucket.append(contentsOf: $0) }
        }
        try writeBucket()
        try db.execute(
            sql: "INSERT INTO segment (segment, through) VALUES (?, ?)", arguments: [number, segment.lastRow])
        try Self.setMeta(db, .indexedThrough, segment.lastRow)
    }

    /// The index bucket of a fingerprint: its top byte.
    private static func bucket(of fingerprint: UInt64) -> Int64 { Int64(fingerprint >> 56) }

    /// The rows, up to `meta.indexed_through`, that hold events of `fingerprint`, ascending.
    private static func indexedRows(_ db: Database, of fingerprint: Fingerprint) throws -> [Int64] {
        var rows: [Int64] = []
        let blobs = try Row.fetchCursor(
            db,
            sql: """
                SELECT entries FROM alert_index WHERE segment IN (SELECT segment FROM segment) AND bucket = ?
                ORDER BY segment
                """,
            arguments: [bucket(of: fingerprint.rawValue)])
        while let blob = try blobs.next() {
            try blob.withUnsafeData(atIndex: 0) { data in
                (data ?? Data()).withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    let count = bytes.count / 16
                    func fingerprintAt(_ index: Int) -> UInt64 {
                        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self))
                    }
                    // The first entry of the fingerprint, then its run.
                    var low = 0
                    var high = count
                    while low < high {
                        let middle = (low + high) / 2
                        if fingerprintAt(middle) < fingerprint.rawValue { low = middle + 1 } else { high = middle }
                    }
                    while low < count, fingerprintAt(low) == fingerprint.rawValue {
                        rows.append(
                            Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: low * 16 + 8, as: Int64.self)))
                        low += 1
                    }
                }
            }
        }
        return rows
    }

    /// The next index segment: the fingerprints of rows written since the last one.
    private struct PendingIndex {
        /// Fingerprint (high half) and row `first` (low half), so sorting orders by both.
        var entries: [UInt128] = []
        /// The last row's `first`.
        var lastRow: Int64 = 0
        /// Events in those rows.
        var events = 0
        /// False when rows written before this process started are past the index (not in `entries`).
        var complete = true

        mutating func add(_ row: PackedRow) {
            add(row.fingerprints, row: row.first)
            events += row.count
        }

        /// One entry per distinct fingerprint of the row: the index says which rows to read, so an alert named by
        /// many events of one row (a group notified again and again) needs one.
        mutating func add(_ fingerprints: some Sequence<UInt64>, row first: Int64) {
            var previous: UInt64?
            for fingerprint in fingerprints.sorted() where fingerprint != previous {
                entries.append(Self.entry(fingerprint, row: first))
                previous = fingerprint
            }
            lastRow = max(lastRow, first)
        }

        static func entry(_ fingerprint: UInt64, row first: Int64) -> UInt128 {
            UInt128(fingerprint) << 64 | UInt128(UInt64(bitPattern: first))
        }

        mutating func add(_ other: PendingIndex) {
            entries += other.entries
            lastRow = max(lastRow, other.lastRow)
            events += other.events
        }
    }

    // MARK: Reading

    /// The events the query selects, in sequence order.
    func events(_ query: HistoryQuery) throws -> [HistoryEvent] {
        let limit = max(0, query.limit)
        guard limit > 0 else { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let after = query.after {
            // The row holding `after` and those after it: a range of the primary key, not a scan.
            conditions.append("first >= (SELECT COALESCE(MAX(first), 0) FROM batch WHERE first <= ?) AND last > ?")
            arguments += [after, after]
        }
        if let since = query.since {
            conditions.append("time_max >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        if let until = query.until {
            conditions.append("time_min < ?")
            arguments += [until.timeIntervalSince1970]
        }
        if !query.kinds.isEmpty {
            conditions.append("kinds & ? != 0")
            arguments += [query.kinds.reduce(Int64(0)) { $0 | HistoryCodec.kindBit($1) }]
        }
        return try queue.read { db in
            if let fingerprint = query.fingerprint {
                // Indexed rows through the index, the rows the index has not reached yet by a scan.
                let indexed = try Self.indexedRows(db, of: fingerprint)
                conditions.append(
                    "first IN (SELECT value FROM json_each(?) UNION ALL SELECT first FROM batch WHERE first > ?)")
                arguments += [
                    "[" + indexed.map(String.init).joined(separator: ",") + "]",
                    try Self.meta(db, .indexedThrough) ?? 0,
                ]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchCursor(
                db, sql: "SELECT first, events FROM batch \(filter) ORDER BY first", arguments: arguments)
            var result: [HistoryEvent] = []
            while result.count < limit, let row = try rows.next() {
                let first: Int64 = row[0]
                let events = try row.withUnsafeData(atIndex: 1) { data in
                    (data ?? Data()).withUnsafeBytes { blob in
                        HistoryCodec.events(first: first, in: blob, where: query.matches)
                    }
                }
                result += events.prefix(limit - result.count)
            }
            return result
        }
    }

    // MARK: Pruning

    /// Deletes events older than `cutoff`, then the oldest beyond `maxEvents`.
    func prune(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try queue.write { db in
            let cutoffSeconds = cutoff.timeIntervalSince1970
            var removed =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(count), 0) FROM batch WHERE time_max < ?", arguments: [cutoffSeconds])
                ?? 0
            try db.execute(sql: "DELETE FROM batch WHERE time_max < ?", arguments: [cutoffSeconds])
            // Rows with events on both sides of the cutoff keep the newer ones. Times grow with sequences, so these
            // are the oldest rows left.
            while let oldest = try Row.fetchOne(db, sql: "SELECT first, time_min FROM batch ORDER BY first LIMIT 1"),
                (oldest[1] as Double) < cutoffSeconds
            {
                removed += try Self.rewrite(db, first: oldest[0]) { $0.time >= cutoff }
            }
            var total = (try Self.meta(db, .events) ?? 0) - Int64(removed)
            var excess = total - Int64(max(0, maxEvents))
            while excess > 0, let oldest = try Self.oldestRow(db) {
                let (first, count) = oldest
                if count <= excess {
                    try db.execute(sql: "DELETE FROM batch WHERE first = ?", arguments: [first])
                    excess -= count
                    total -= count
                    removed += Int(count)
                } else {
                    let dropping = excess
                    var seen: Int64 = 0
                    let dropped = try Self.rewrite(db, first: first) { _ in
                        seen += 1
                        return seen > dropping
                    }
                    total -= Int64(dropped)
                    removed += dropped
                    excess = 0
                }
            }
            try Self.setMeta(db, .events, max(0, total))
            // Index segments whose rows are all gone.
            let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(first) FROM batch") ?? .max
            try db.execute(
                sql: "DELETE FROM alert_index WHERE segment IN (SELECT segment FROM segment WHERE through < ?)",
                arguments: [oldest])
            try db.execute(sql: "DELETE FROM segment WHERE through < ?", arguments: [oldest])
            return removed
        }
    }

    // MARK: Rows

    /// Events being packed into one row.
    private struct PackedRow {
        let first: Int64
        var last: Int64
        var timeMin = Double.infinity
        var timeMax = -Double.infinity
        var kinds: Int64 = 0
        var count = 0
        var bytes: [UInt8] = []
        /// The events' fingerprints (repeats possible).
        var fingerprints: [UInt64] = []

        init(first: Int64) {
            self.first = first
            self.last = first
            // A full row of ingest events (about 150 bytes each) without regrowing.
            bytes.reserveCapacity(SQLiteHistoryDatabase.eventsPerRow * 160)
        }

        mutating func add(_ event: HistoryEvent, sequence: Int64) {
            note(time: event.time, kind: event.kind, sequence: sequence)
            fingerprints += event.fingerprints.map(\.rawValue)
            HistoryCodec.append(event, offset: sequence - first, to: &bytes)
        }

        mutating func add(_ change: HistoryBatch.AlertChange, sequence: Int64) {
            note(time: change.time, kind: change.kind, sequence: sequence)
            fingerprints.append(change.fingerprint.rawValue)
            HistoryCodec.append(change, offset: sequence - first, to: &bytes)
        }

        /// Keeps the row's columns up to date with one more event.
        private mutating func note(time: Date, kind: HistoryEvent.Kind, sequence: Int64) {
            let seconds = time.timeIntervalSince1970
            timeMin = min(timeMin, seconds)
            timeMax = max(timeMax, seconds)
            kinds |= HistoryCodec.kindBit(kind)
            count += 1
            last = sequence
        }

        func insert(_ db: Database) throws {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO batch (first, last, time_min, time_max, kinds, count, events)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            let row = RowBinder(statement.sqliteStatement)
            sqlite3_reset(row.statement)
            sqlite3_bind_int64(row.statement, 1, first)
            sqlite3_bind_int64(row.statement, 2, last)
            row.bind(3, timeMin)
            row.bind(4, timeMax)
            sqlite3_bind_int64(row.statement, 5, kinds)
            sqlite3_bind_int64(row.statement, 6, Int64(count))
            bytes.withUnsafeBytes { blob in
                _ = sqlite3_bind_blob(row.statement, 7, blob.baseAddress, Int32(blob.count), SQLITE_TRANSIENT)
            }
            try row.step(db)
            sqlite3_clear_bindings(row.statement)
        }
    }

    /// Keeps the events of row `first` that `keep` selects (in order), deleting the row when none is left;
    /// answers how many went.
    private static func rewrite(_ db: Database, first: Int64, keep: (HistoryEvent) -> Bool) throws -> Int {
        guard let blob = try Data.fetchOne(db, sql: "SELECT events FROM batch WHERE first = ?", arguments: [first])
        else { return 0 }
        let events = blob.withUnsafeBytes { HistoryCodec.events(first: first, in: $0) { _, _, _, _, _ in true } }
        let kept = events.filter(keep)
        // Written back even when all are kept: the columns are recomputed from what decodes.
        guard !kept.isEmpty else {
            try db.execute(sql: "DELETE FROM batch WHERE first = ?", arguments: [first])
            return events.count
        }
        var row = PackedRow(first: first)
        for event in kept { row.add(event, sequence: event.sequence) }
        try row.insert(db)
        return events.count - kept.count
    }

    private static func oldestRow(_ db: Database) throws -> (first: Int64, count: Int64)? {
        try Row.fetchOne(db, sql: "SELECT first, count FROM batch ORDER BY first LIMIT 1").map { ($0[0], $0[1]) }
    }

    // MARK: Meta

    private enum MetaKey: String {
        /// The sequence the next event gets.
        case nextSequence = "next_sequence"
        /// The `first` of the last row in the fingerprint index.
        case indexedThrough = "indexed_through"
        /// How many events are stored.
        case events
    }

    private static func meta(_ db: Database, _ key: MetaKey) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key.rawValue])
    }

    private static func setMeta(_ db: Database, _ key: MetaKey, _ value: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
            .execute(arguments: [key.rawValue, value])
    }

    // MARK: Carrying over v1

    /// Packs the one-row-per-event table of v1 into rows (a gap in its sequences starts a new row), indexes
    /// them, and carries over the next sequence.
    private static func carryOverV1(_ db: Database) throws {
        let highest =
            try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") ?? 0
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT sequence, time, kind, fingerprint, labels, fingerprints, receiver, integration, group_key,
                    outcome, status, attempt, latency, detail
                FROM event ORDER BY sequence
                """)
        var packed: PackedRow?
        var total: Int64 = 0
        while let row = try rows.next() {
            guard let kind = HistoryEvent.Kind(rawValue: row[2]) else { continue }
            let single: Int64? = row[3]
            let listed: String = row[5]
            let outcome: String? = row[9]
            let event = HistoryEvent(
                sequence: row[0], time: Date(timeIntervalSince1970: row[1]), kind: kind,
                labels: decodeLabels(row[4]),
                fingerprints: single.map { [Fingerprint(UInt64(bitPattern: $0))] }
                    ?? listed.split(separator: ",").compactMap { Fingerprint(hex: String($0)) },
                receiver: row[6], integration: row[7], groupKey: row[8],
                outcome: outcome.flatMap(HistoryEvent.Outcome.init(rawValue:)), status: row[10], attempt: row[11],
                latency: row[12], detail: row[13])
            if let current = packed, current.count == eventsPerRow || event.sequence != current.last + 1 {
                try current.insert(db)
                packed = nil
            }
            packed = packed ?? PackedRow(first: event.sequence)
            packed?.add(event, sequence: event.sequence)
            total += 1
        }
        if let packed { try packed.insert(db) }
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(last) FROM batch") ?? 0
        try setMeta(db, .nextSequence, max(highest, last) + 1)
        try setMeta(db, .events, total)
        // (The whole carried-over table is indexed when the store opens: its rows are past the index.)
    }

    /// The labels of a v1 row (a JSON object).
    private static func decodeLabels(_ text: String) -> LabelSet {
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

/// `history.db` on its own, for stores that keep the timeline locally (PostgreSQL: each replica's own record).
extension SQLiteHistoryDatabase: HistoryStore {
    func appendHistory(_ batch: HistoryBatch) throws { try append(batch) }
    func history(_ query: HistoryQuery) throws -> [HistoryEvent] { try events(query) }
    @discardableResult
    func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try prune(olderThan: cutoff, maxEvents: maxEvents)
    }
    func catchUpHistory() throws { try catchUpIndex() }
}

extension SQLiteStateStore: HistoryStore {
    /// Stores the batch's events in one transaction of the history database.
    public func appendHistory(_ batch: HistoryBatch) throws { try historyDatabase.append(batch) }

    /// The events the query selects, in sequence order.
    public func history(_ query: HistoryQuery) throws -> [HistoryEvent] { try historyDatabase.events(query) }

    /// Deletes events older than `cutoff`, then the oldest beyond `maxEvents`.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        try historyDatabase.prune(olderThan: cutoff, maxEvents: maxEvents)
    }

    /// Writes a fingerprint index segment if enough events are past the index.
    public func catchUpHistory() throws { try historyDatabase.catchUpIndex() }
}
