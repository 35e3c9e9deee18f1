import Foundation
import KlaxonCore
import Logging

/// Writes notification-log entries to the state store in group commits on one dedicated thread.
///
/// `write(_:)` returns once the entry is committed, so the durability promise is the same as one transaction
/// per entry: what a notification branch reports done is on disk. But a burst of notifications shares a
/// transaction per batch instead of paying one each, and no cooperative thread blocks on SQLite while it
/// waits: it suspends until the writer thread resumes it.
///
/// `@unchecked Sendable`: `pending`, `waiters`, `stopped` and `finished` are only touched with `condition` locked.
final class NotificationLogWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [NotificationLogEntry] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var stopped = false
    private var finished = false
    private let store: any StateStore
    private let logger: Logger

    init(store: any StateStore, logger: Logger) {
        self.store = store
        self.logger = logger
        let thread = Thread { [self] in self.loop() }
        thread.name = "klaxon-nflog-writer"
        thread.start()
    }

    /// Queues `entry` and returns once it has been committed (or the commit failed and was logged). After
    /// `stop()`, writes synchronously on the caller's thread.
    func write(_ entry: NotificationLogEntry) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            guard !stopped else {
                condition.unlock()
                commit([entry])
                continuation.resume()
                return
            }
            pending.append(entry)
            waiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    /// Commits what is queued, then ends the thread; blocks until it has. Idempotent.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopped { condition.wait() }
            let batch = pending
            let resumed = waiters
            pending.removeAll(keepingCapacity: true)
            waiters.removeAll(keepingCapacity: true)
            if batch.isEmpty {
                // Stopped with nothing left to write.
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.unlock()
            commit(batch)
            for waiter in resumed { waiter.resume() }
        }
    }

    private func commit(_ batch: [NotificationLogEntry]) {
        do {
            try store.saveNotificationLog(batch, removing: [])
        } catch {
            logger.error(
                "Writing the notification log failed",
                metadata: ["entries": "\(batch.count)", "group.key": "\(batch.first?.groupKey ?? "")"])
        }
    }
}
