import Foundation
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
}
