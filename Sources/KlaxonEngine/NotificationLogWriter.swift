import Foundation
import KlaxonCore
import Logging
import Synchronization

/// Writes notification-log entries to the state store in group commits on one dedicated thread.
///
/// `write(_:)` returns once the entry is committed, so the durability promise is the same as one transaction
/// per entry: what a notification branch reports done is on disk. But a burst of notifications shares a
/// transaction per batch instead of paying one each, and no cooperative thread blocks on SQLite while it
/// waits: it suspends until the writer thread resumes it.
final class NotificationLogWriter: Sendable {
    private struct State {
        var pending: [NotificationLogEntry] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var stopped = false
    }

    private let state = Mutex(State())
    /// `NSCondition` is a thread-safe lock + condition variable; it only guards the wake-up.
    private nonisolated(unsafe) let condition = NSCondition()
    private let store: any StateStore
    private let logger: Logger
    private let finished = Mutex(false)
    private nonisolated(unsafe) let finishedCondition = NSCondition()

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
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.pending.append(entry)
                state.waiters.append(continuation)
                return true
            }
            if accepted {
                condition.lock()
                condition.signal()
                condition.unlock()
            } else {
                commit([entry])
                continuation.resume()
            }
        }
    }

    /// Commits what is queued, then ends the thread; blocks until it has. Idempotent.
    func stop() {
        state.withLock { $0.stopped = true }
        condition.lock()
        condition.broadcast()
        condition.unlock()
        finishedCondition.lock()
        while !finished.withLock({ $0 }) { finishedCondition.wait() }
        finishedCondition.unlock()
    }

    private func loop() {
        while true {
            let (batch, waiters, stopped) = state.withLock { state in
                let taken = (state.pending, state.waiters, state.stopped)
                state.pending.removeAll(keepingCapacity: true)
                state.waiters.removeAll(keepingCapacity: true)
                return taken
            }
            if !batch.isEmpty {
                commit(batch)
                for waiter in waiters { waiter.resume() }
                continue
            }
            if stopped { break }
            condition.lock()
            // Re-check under the condition lock so a write() between the two locks is not missed.
            if state.withLock({ $0.pending.isEmpty && !$0.stopped }) { condition.wait() }
            condition.unlock()
        }
        finishedCondition.lock()
        finished.withLock { $0 = true }
        finishedCondition.broadcast()
        finishedCondition.unlock()
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
