import Foundation
import KlaxonCore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the timeline off the hot path: `record` appends to an in-memory buffer under a lock (no I/O), and the
/// service commits the buffer to the history store once a second in one transaction, and once more at shutdown.
/// After a `kill -9` the timeline reads back up to the last committed batch. Without a history store (or with a
/// zero size cap) recording is a no-op.
///
/// The buffer is bounded: past `maxBuffered` events waiting for a commit (the store cannot keep up), new events
/// are dropped and counted, so the timeline never costs the engine unbounded memory.
public final class HistoryRecorder: Service, Sendable {
    /// How many events may wait for a commit.
    static let maxBuffered = 200_000

    private struct Buffer {
        var batch = HistoryBatch()
        var dropped = 0
    }

    private let buffer = Mutex(Buffer())
    private let store: (any HistoryStore)?
    private let clock: any EngineClock
    private let interval: Duration
    private let logger: Logger

    /// A recorder committing to `store` (nil: recording does nothing) every `interval` of `clock`.
    init(store: (any HistoryStore)?, clock: any EngineClock, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// Whether events are kept at all.
    public var isEnabled: Bool { store != nil }

    /// Queues an event for the next commit.
    func record(_ event: HistoryEvent) {
        guard store != nil else { return }
        buffer.withLock { buffer in
            guard buffer.batch.count < Self.maxBuffered else {
                buffer.dropped += 1
                return
            }
            buffer.batch.append(event)
        }
    }

    /// Queues events for the next commit.
    func record(contentsOf events: [HistoryEvent]) {
        guard store != nil, !events.isEmpty else { return }
        buffer.withLock { buffer in
            let room = max(0, Self.maxBuffered - buffer.batch.count)
            for event in events.prefix(room) { buffer.batch.append(event) }
            buffer.dropped += max(0, events.count - room)
        }
    }

    /// Queues alert changes (ingest's `firing` and `resolved`) for the next commit.
    func record(changes: [HistoryBatch.AlertChange]) {
        guard store != nil, !changes.isEmpty else { return }
        buffer.withLock { buffer in
            let room = max(0, Self.maxBuffered - buffer.batch.count)
            buffer.batch.append(contentsOf: changes.prefix(room))
            buffer.dropped += max(0, changes.count - room)
        }
    }

    /// Commits what is queued now, in one transaction (the service does this every interval; tests call it).
    public func flush() {
        guard let store else { return }
        let (batch, dropped) = buffer.withLock { buffer in
            defer { buffer = Buffer() }
            return (buffer.batch, buffer.dropped)
        }
        if dropped > 0 {
            logger.warning("History events dropped: the store did not keep up", metadata: ["events": "\(dropped)"])
        }
        do {
            guard !batch.isEmpty else { return try store.catchUpHistory() }
            try store.appendHistory(batch)
        } catch {
            logger.error("Writing the history failed", metadata: ["events": "\(batch.count)", "error": "\(error)"])
        }
    }

    /// Commits every interval until graceful shutdown or cancellation, then commits what is left.
    public func run() async {
        _ = await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.clock.sleep(for: self.interval)
                } catch {
                    break
                }
                self.flush()
            }
        }
        flush()
    }
}
