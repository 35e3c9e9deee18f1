import Foundation
import KlaxonCore
import Synchronization

/// A `StateStore` that keeps everything in memory: tests, and `--storage.path=:memory:` (`StateStores.open`).
public final class InMemoryStateStore: StateStore {
    private let state = Mutex<(silences: [String: Silence], nflog: [NotificationLogKey: NotificationLogEntry])>(
        ([:], [:]))
    private let auditLog = Mutex<[AuditEntry]>([])
    private let historyLog = Mutex<[HistoryEvent]>([])

    /// An empty store.
    public init() {}

    /// Every stored silence.
    public func loadSilences() throws -> [Silence] { state.withLock { Array($0.silences.values) } }

    /// Every stored entry.
    public func loadNotificationLog() throws -> [NotificationLogEntry] { state.withLock { Array($0.nflog.values) } }

    /// Stores and deletes silences.
    public func saveSilences(_ silences: [Silence], removing ids: [String]) throws {
        state.withLock { state in
            for silence in silences { state.silences[silence.id] = silence }
            for id in ids { state.silences[id] = nil }
        }
    }

    /// Stores and deletes entries.
    public func saveNotificationLog(_ entries: [NotificationLogEntry], removing keys: [NotificationLogKey]) throws {
        state.withLock { state in
            for entry in entries { state.nflog[entry.key] = entry }
            for key in keys { state.nflog[key] = nil }
        }
    }
}

extension InMemoryStateStore: AuditStore {
    /// Stores an entry with the next sequence number.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) throws -> AuditEntry {
        auditLog.withLock { log in
            var stored = entry
            stored.sequence = (log.last?.sequence ?? 0) + 1
            log.append(stored)
            return stored
        }
    }

    /// The entries the query selects, newest first.
    public func audit(_ query: AuditQuery) throws -> [AuditEntry] {
        auditLog.withLock { log in Array(log.reversed().lazy.filter(query.matches).prefix(max(0, query.limit))) }
    }

    /// Deletes entries older than `cutoff`.
    @discardableResult
    public func pruneAudit(olderThan cutoff: Date) throws -> Int {
        auditLog.withLock { log in
            let before = log.count
            log.removeAll { $0.time < cutoff }
            return before - log.count
        }
    }
}

extension InMemoryStateStore: HistoryStore {
    /// Stores events with the next sequence numbers.
    public func appendHistory(_ batch: HistoryBatch) throws {
        historyLog.withLock { log in
            for event in batch.allEvents {
                var stored = event
                stored.sequence = (log.last?.sequence ?? 0) + 1
                log.append(stored)
            }
        }
    }

    /// The events the query selects, in sequence order.
    public func history(_ query: HistoryQuery) throws -> [HistoryEvent] {
        historyLog.withLock { log in Array(log.lazy.filter(query.matches).prefix(max(0, query.limit))) }
    }

    /// Deletes events older than `cutoff`, then the oldest beyond `maxEvents`.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int {
        historyLog.withLock { log in
            let before = log.count
            log.removeAll { $0.time < cutoff }
            if log.count > maxEvents { log.removeFirst(log.count - max(0, maxEvents)) }
            return before - log.count
        }
    }
}
