import KlaxonCore
import Synchronization

/// A `StateStore` that keeps everything in memory: tests, and `--storage.path=:memory:` (`StateStores.open`).
public final class InMemoryStateStore: StateStore {
    private let state = Mutex<(silences: [String: Silence], nflog: [NotificationLogKey: NotificationLogEntry])>(
        ([:], [:]))

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
