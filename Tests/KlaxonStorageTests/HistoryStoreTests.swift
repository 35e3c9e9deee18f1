import Foundation
import GRDB
import KlaxonCore
import Testing

@testable import KlaxonStorage

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-history-\(UUID().uuidString)").path
}

private func firing(_ name: String, at time: Date, tenant: String = "finance") -> HistoryEvent {
    let labels: LabelSet = ["alertname": name, "tenant_id": tenant]
    return HistoryEvent(time: time, kind: .firing, labels: labels, fingerprints: [labels.fingerprint])
}

/// Both stores, the SQLite one in a fresh folder (removed by the caller's `cleanup`).
private func stores() throws -> (stores: [any HistoryStore], cleanup: () -> Void) {
    let directory = temporaryDirectory()
    return (
        [InMemoryStateStore(), try SQLiteStateStore(directory: directory)],
        {
            try? FileManager.default.removeItem(atPath: directory)
        }
    )
}

@Suite struct HistoryStoreTests {
    @Test func everyFieldOfANotificationEventRoundTripsThroughSQLite() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let event = HistoryEvent(
            time: t0, kind: .notification, labels: ["alertname": "A", "quote": #"a "b" \ c"#],
            fingerprints: [Fingerprint(1), Fingerprint(UInt64.max)], receiver: "finance-slack", integration: "slack[0]",
            groupKey: #"{}/{tenant_id="finance"}:{alertname="A"}"#, outcome: .gaveUp, status: "serverError",
            attempt: 3, latency: 0.084, detail: "unexpected status code 503")
        try SQLiteStateStore(directory: directory).appendHistory([event])
        var expected = event
        expected.sequence = 1
        #expect(try SQLiteStateStore(directory: directory).history(HistoryQuery()) == [expected])
    }

    @Test func filtersSelectByTimeKindReceiverAndFingerprintInBothStores() throws {
        let (all, cleanup) = try stores()
        defer { cleanup() }
        let a = firing("A", at: t0)
        let b = firing("B", at: t0 + 10)
        let sent = HistoryEvent(
            time: t0 + 20, kind: .notification, labels: ["alertname": "A"],
            fingerprints: [a.fingerprints[0], b.fingerprints[0]],
            receiver: "pager", outcome: .sent)
        for store in all {
            try store.appendHistory([a, b, sent])
            func names(_ query: HistoryQuery) throws -> [Int64] { try store.history(query).map(\.sequence) }
            #expect(try names(HistoryQuery()) == [1, 2, 3])
            #expect(try names(HistoryQuery(since: t0 + 5)) == [2, 3])
            #expect(try names(HistoryQuery(until: t0 + 10)) == [1])
            #expect(try names(HistoryQuery(kinds: [.notification])) == [3])
            #expect(try names(HistoryQuery(receiver: "pager")) == [3])
            #expect(try names(HistoryQuery(fingerprint: b.fingerprints[0])) == [2, 3])
            #expect(try names(HistoryQuery(after: 1, limit: 1)) == [2])
        }
    }

    @Test func pagingByCursorWhileEventsAreWrittenNeitherSkipsNorRepeats() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(directory: directory)
        let batches = 200
        let perBatch = 10
        let total = batches * perBatch
        @Sendable func writeAll() async throws {
            for batch in 0..<batches {
                try store.appendHistory((0..<perBatch).map { firing("B\(batch)-\($0)", at: t0 + Double(batch)) })
                await Task.yield()
            }
        }
        async let writer: Void = writeAll()
        var seen: [Int64] = []
        var cursor: Int64?
        var reads = 0
        while seen.count < total, reads < 1_000_000 {
            reads += 1
            let page = try store.history(HistoryQuery(after: cursor, limit: 7))
            seen += page.map(\.sequence)
            cursor = page.last?.sequence ?? cursor
            await Task.yield()
        }
        try await writer
        #expect(seen == Array(1...Int64(batches * perBatch)))
    }

    @Test func pruningDropsOldEventsThenTheOldestBeyondTheCapInBothStores() throws {
        let (all, cleanup) = try stores()
        defer { cleanup() }
        for store in all {
            try store.appendHistory((0..<10).map { firing("E\($0)", at: t0 + Double($0)) })
            #expect(try store.pruneHistory(olderThan: t0 + 2, maxEvents: 5) == 5)
            let left = try store.history(HistoryQuery())
            #expect(left.map { $0.labels["alertname"] ?? "" } == ["E5", "E6", "E7", "E8", "E9"])
            // The fingerprint index lost the pruned events too.
            #expect(try store.history(HistoryQuery(fingerprint: firing("E0", at: t0).fingerprints[0])).isEmpty)
            // Sequences continue after pruning.
            try store.appendHistory([firing("E10", at: t0 + 10)])
            #expect(try store.history(HistoryQuery(after: 10)).map(\.sequence) == [11])
        }
    }

    @Test func anAlertsTimelineIsFoundBeforeAndAfterItsEventsAreIndexed() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(directory: directory)
        let history = store.historyDatabase
        func segments() throws -> Int {
            try history.queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment") ?? 0 }
        }
        func timeline(_ event: HistoryEvent) throws -> [Int64] {
            try store.history(HistoryQuery(fingerprint: event.fingerprints[0])).map(\.sequence)
        }
        // Fewer events than a segment: nothing indexed yet, found by scanning the rows.
        let first = (0..<2000).map { firing("S\($0)", at: t0 + Double($0) / 1000) }
        try store.appendHistory(first)
        #expect(try segments() == 0)
        #expect(history.unindexedEvents == 2000)
        #expect(try timeline(first[0]) == [1])
        #expect(try timeline(first[1999]) == [2000])
        // A storm past the segment size: the append writes a segment for everything past the index.
        let storm = (0..<SQLiteHistoryDatabase.segmentEvents).map { firing("T\($0)", at: t0 + 3) }
        try store.appendHistory(storm)
        #expect(try segments() == 1)
        #expect(history.unindexedEvents == 0)
        // Resolved later, past the index: the timeline joins the indexed firing event and the scanned resolution.
        var resolved = first[1999]
        resolved.kind = .resolved
        resolved.time = t0 + 5
        try store.appendHistory([resolved])
        let resolvedAt = Int64(2000 + storm.count + 1)
        #expect(try timeline(first[1999]) == [2000, resolvedAt])
        #expect(try timeline(storm[storm.count - 1]) == [Int64(2000 + storm.count)])
        // A second segment holds the rest; the answers stay the same.
        try history.indexPending()
        #expect(try segments() == 2)
        #expect(try timeline(first[0]) == [1])
        #expect(try timeline(first[1999]) == [2000, resolvedAt])
        #expect(try timeline(first[1234]) == [1235])
        // Pruning the first segment's rows drops its index entries too.
        #expect(try store.pruneHistory(olderThan: t0 + 4, maxEvents: 1_000_000) == 2000 + storm.count)
        #expect(try segments() == 1)
        #expect(try timeline(first[1999]) == [resolvedAt])
    }

    /// Notifications of big groups name many alerts each: the index pending in memory stays bounded (one pair per
    /// alert and row however often the row names it, and a segment once `segmentEntries` pairs wait), and every
    /// alert's notifications are still found.
    @Test func notificationsOfLargeGroupsKeepThePendingIndexSmallAndStayFindable() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStateStore(directory: directory)
        let history = store.historyDatabase
        func notification(_ group: Int, alerts: Int, at time: Date) -> HistoryEvent {
            HistoryEvent(
                time: time, kind: .notification, labels: ["alertname": "Big\(group)"],
                fingerprints: (0..<alerts).map { Fingerprint(UInt64(group * 1_000_000 + $0)) }, receiver: "team",
                integration: "webhook[0]", groupKey: "{}:{alertname=\"Big\(group)\"}", outcome: .sent)
        }
        // One group of 100 alerts notified 200 times: rows of up to 256 events, one pair per alert.
        try store.appendHistory((0..<200).map { notification(0, alerts: 100, at: t0 + Double($0)) })
        #expect(history.unindexedEvents == 200)
        #expect(history.unindexedEntries == 100)
        // 300 groups of 1,000 alerts: past the pair limit long before the event limit, so a segment is written.
        try store.appendHistory((1...300).map { notification($0, alerts: 1000, at: t0 + 300) })
        #expect(history.unindexedEvents == 0)
        #expect(history.unindexedEntries == 0)
        let segments = try history.queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment") }
        #expect(segments == 1)
        #expect(try store.history(HistoryQuery(fingerprint: Fingerprint(42), limit: 1000)).count == 200)
        #expect(try store.history(HistoryQuery(fingerprint: Fingerprint(300_000_999))).map(\.sequence) == [500])
    }

    @Test func aTimelineWrittenBeforeTheUpgradeReadsBackWithItsSequences() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // history.db as the previous release wrote it: one row per event, sequences 1-2 pruned, a multi-alert
        // notification linked through event_alert.
        let a: LabelSet = ["alertname": "A", "tenant_id": "finance"]
        let b: LabelSet = ["alertname": "B", "tenant_id": "finance"]
        let old = try DatabaseQueue(path: directory + "/history.db")
        try old.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    CREATE TABLE event (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT, time DOUBLE NOT NULL, kind TEXT NOT NULL,
                        fingerprint INTEGER, labels TEXT NOT NULL, fingerprints TEXT NOT NULL,
                        receiver TEXT NOT NULL, integration TEXT NOT NULL, group_key TEXT NOT NULL, outcome TEXT,
                        status TEXT NOT NULL, attempt INTEGER NOT NULL, latency DOUBLE, detail TEXT NOT NULL);
                    CREATE TABLE event_alert (fingerprint INTEGER NOT NULL, sequence INTEGER NOT NULL,
                        PRIMARY KEY (fingerprint, sequence)) WITHOUT ROWID;
                    """)
            for (sequence, labels) in [(1, a), (2, b), (3, a), (4, b)] {
                try db.execute(
                    sql: """
                        INSERT INTO event VALUES (?, ?, 'firing', ?, ?, '', '', '', '', NULL, '', 0, NULL, '')
                        """,
                    arguments: [
                        sequence, t0.timeIntervalSince1970 + Double(sequence),
                        Int64(bitPattern: labels.fingerprint.rawValue),
                        #"{"alertname":"\#(labels["alertname"]!)","tenant_id":"finance"}"#,
                    ])
            }
            try db.execute(
                sql: """
                    INSERT INTO event VALUES (7, ?, 'notification', NULL, '{"tenant_id":"finance"}', ?, 'pager',
                        'webhook[0]', '{}:{}', 'sent', '200', 1, 0.25, '')
                    """,
                arguments: [t0.timeIntervalSince1970 + 7, "\(a.fingerprint),\(b.fingerprint)"])
            for labels in [a, b] {
                try db.execute(
                    sql: "INSERT INTO event_alert VALUES (?, 7)",
                    arguments: [Int64(bitPattern: labels.fingerprint.rawValue)])
            }
            try db.execute(sql: "DELETE FROM event WHERE sequence <= 2")
        }
        try old.close()

        let store = try SQLiteStateStore(directory: directory)
        let events = try store.history(HistoryQuery())
        #expect(events.map(\.sequence) == [3, 4, 7])
        #expect(events.map(\.labels) == [a, b, ["tenant_id": "finance"]])
        #expect(events[2].fingerprints == [a.fingerprint, b.fingerprint])
        #expect(events[2].receiver == "pager" && events[2].outcome == .sent && events[2].latency == 0.25)
        #expect(try store.history(HistoryQuery(fingerprint: b.fingerprint)).map(\.sequence) == [4, 7])
        try store.appendHistory([firing("C", at: t0 + 8)])
        #expect(try store.history(HistoryQuery(after: 7)).map(\.sequence) == [8])
    }

    @Test func aDamagedEventDoesNotHideTheRestOfItsBatch() throws {
        var bytes: [UInt8] = []
        let events = (0..<3).map { firing("D\($0)", at: t0) }
        for (offset, event) in events.enumerated() { HistoryCodec.append(event, offset: Int64(offset), to: &bytes) }
        // Corrupt the second event's kind byte (after its 4-byte length and 1-byte offset).
        let second = 4 + Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8) + 4 + 1
        bytes[second] = 0xEE
        let decoded = bytes.withUnsafeBytes { HistoryCodec.events(first: 1, in: $0) { _, _, _, _, _ in true } }
        #expect(decoded.map(\.sequence) == [1, 3])
        #expect(decoded.map(\.labels) == [events[0].labels, events[2].labels])
    }
}
