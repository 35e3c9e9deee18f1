import Dispatch
import Foundation
import KlaxonCore
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Synchronization
import Testing

@testable import KlaxonEngine

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A SQLite store whose second silence write (the first after creation) stalls until a later silence write has
/// committed, or for at most `patience`: the interleaving where a slow disk write of an older version finishes
/// after a newer one. A correct engine never starts the later write while the earlier one is in progress, so
/// there the stall just runs out.
private final class StallingSilenceStore: StateStore {
    let inner: SQLiteStateStore
    private let writes = Mutex(0)
    /// Signalled when the stalled write has started.
    let stalled = DispatchSemaphore(value: 0)
    private let laterWriteCommitted = DispatchSemaphore(value: 0)
    private let patience: DispatchTimeInterval = .seconds(2)

    init(directory: String) throws { inner = try SQLiteStateStore(directory: directory) }

    func loadSilences() throws -> [Silence] { try inner.loadSilences() }
    func loadNotificationLog() throws -> [NotificationLogEntry] { try inner.loadNotificationLog() }
    func saveNotificationLog(_ entries: [NotificationLogEntry], removing keys: [NotificationLogKey]) throws {
        try inner.saveNotificationLog(entries, removing: keys)
    }

    func saveSilences(_ silences: [Silence], removing ids: [String]) throws {
        let write = writes.withLock { count -> Int in
            count += 1
            return count
        }
        if write == 2 {
            stalled.signal()
            _ = laterWriteCommitted.wait(timeout: .now() + patience)
        }
        try inner.saveSilences(silences, removing: ids)
        if write > 2 { laterWriteCommitted.signal() }
    }
}

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID().uuidString)").path
}

private func engine(store: any StateStore) throws -> Engine {
    let route = Route(root: RouteSpec(receiver: "hook"))
    return try Engine(
        config: EngineConfig(route: route, receivers: [:]), options: EngineOptions(), stateStore: store,
        logger: Logger(label: "test"), clock: ManualClock(now: t0))
}

@Test func laterSilenceChangeIsWhatARestartRestoresEvenWhenTheEarlierWriteIsSlow() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try StallingSilenceStore(directory: directory)
    let engine = try engine(store: store)
    let matchers = [SilenceMatcherSpec(name: "job", value: "api", isRegex: false)]
    let id = try engine.setSilence(
        PostableSilence(
            id: "", matchers: matchers, startsAt: t0, endsAt: t0 + 3600, createdBy: "me", comment: "maintenance"),
        now: t0)

    // An in-place update whose write stalls, then an expiry of the same silence.
    let updated = DispatchSemaphore(value: 0)
    let update = PostableSilence(
        id: id, matchers: matchers, startsAt: t0, endsAt: t0 + 3600, createdBy: "me", comment: "longer maintenance")
    DispatchQueue.global().async {
        _ = try? engine.setSilence(update, now: t0 + 10)
        updated.signal()
    }
    store.stalled.wait()
    let expired = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        try? engine.expireSilence(id: id, now: t0 + 20)
        expired.signal()
    }
    updated.wait()
    expired.wait()

    let inMemory = try #require(engine.silence(id: id))
    #expect(inMemory.endsAt == t0 + 20)
    let restored = try SQLiteStateStore(directory: directory).loadSilences()
    #expect(restored == [inMemory])
}

@Test func concurrentUpdatesAndExpiriesOfOneSilenceLeaveTheStoreEqualToMemory() async throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try SQLiteStateStore(directory: directory)
    let engine = try engine(store: store)
    let matchers = [SilenceMatcherSpec(name: "job", value: "api", isRegex: false)]
    // Pending silences: each update is in place (same id) and each expiry ends it, so every write changes one row.
    let ids = try (0..<8).map { i in
        try engine.setSilence(
            PostableSilence(
                id: "", matchers: matchers, startsAt: t0 + 3600, endsAt: t0 + 7200, createdBy: "me", comment: "\(i)"),
            now: t0)
    }
    await withTaskGroup(of: Void.self) { group in
        for id in ids {
            for step in 1...20 {
                group.addTask {
                    let update = PostableSilence(
                        id: id, matchers: matchers, startsAt: t0 + 3600, endsAt: t0 + 7200, createdBy: "me",
                        comment: "update \(step)")
                    _ = try? engine.setSilence(update, now: t0 + Double(step))
                }
            }
            group.addTask { try? engine.expireSilence(id: id, now: t0 + 10) }
        }
    }
    let restored = try SQLiteStateStore(directory: directory).loadSilences().sorted { $0.id < $1.id }
    // An update that lands after the expiry creates a new silence (an expired one cannot change, as in
    // Alertmanager), so compare every silence the engine holds, not just the first ids.
    let inMemory = engine.silences(filter: [], now: t0 + 30).sorted { $0.id < $1.id }
    #expect(inMemory.count >= ids.count)
    #expect(restored == inMemory)
}
