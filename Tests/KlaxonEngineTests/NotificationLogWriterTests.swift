import Foundation
import KlaxonCore
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Synchronization
import Testing

@testable import KlaxonEngine

/// Counts transactions and checks that a write is durable when it returns.
private final class CountingStore: StateStore {
    let inner = InMemoryStateStore()
    let transactions = Mutex(0)
    func loadSilences() throws -> [Silence] { try inner.loadSilences() }
    func loadNotificationLog() throws -> [NotificationLogEntry] { try inner.loadNotificationLog() }
    func saveSilences(_ silences: [Silence], removing ids: [String]) throws {
        try inner.saveSilences(silences, removing: ids)
    }
    func saveNotificationLog(_ entries: [NotificationLogEntry], removing keys: [NotificationLogKey]) throws {
        usleep(2000)  // a slow disk: concurrent writers pile up behind the transaction in progress
        transactions.withLock { $0 += 1 }
        try inner.saveNotificationLog(entries, removing: keys)
    }
}

private func entry(_ i: Int) -> NotificationLogEntry {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    return NotificationLogEntry(
        groupKey: "{}:{instance=\"\(i)\"}", receiver: ReceiverKey(groupName: "r", integration: "webhook", index: 0),
        timestamp: t0, firingAlerts: [UInt64(i)], resolvedAlerts: [], expiresAt: t0 + 3600)
}

@Suite struct NotificationLogWriterBehaviour {
    @Test func everyWriteIsInTheStoreWhenItReturnsAndABurstSharesTransactions() async throws {
        let store = CountingStore()
        let writer = NotificationLogWriter(
            store: store, logger: Logger(label: "test"), commits: DurationSummary(name: "test_commits"))
        try await withRunningServices([writer]) {
            await writer.batching()
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<500 {
                    group.addTask {
                        await writer.write(entry(i))
                        let stored = (try? store.inner.loadNotificationLog()) ?? []
                        #expect(
                            stored.contains { $0.key == entry(i).key }, "entry \(i) not durable when write returned")
                    }
                }
            }
        }
        #expect(try store.inner.loadNotificationLog().count == 500)
        let transactions = store.transactions.withLock { $0 }
        #expect(transactions < 500, "\(transactions) transactions for 500 concurrent writes")
    }

    @Test func writesBeforeTheServiceStartsAndAfterItStopsStillReachTheStore() async throws {
        let store = CountingStore()
        let writer = NotificationLogWriter(
            store: store, logger: Logger(label: "test"), commits: DurationSummary(name: "test_commits"))
        await writer.write(entry(1))
        try await withRunningServices([writer]) {
            await writer.write(entry(2))
        }
        await writer.write(entry(3))
        #expect(
            Set(try store.inner.loadNotificationLog().map(\.key)) == [entry(1).key, entry(2).key, entry(3).key])
    }
}
