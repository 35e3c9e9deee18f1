import Foundation
import KlaxonCore

/// Silences (`silence.Silences`): changes decided by the core's `SilenceStore`, persisted in the order they were made.
extension Engine {
    /// Creates or updates a silence (Alertmanager's rules decide which), persists it and returns its id.
    public func setSilence(_ postable: PostableSilence, now: Date) throws -> String {
        let result = try silenceWrites.withLock { _ in
            let (result, changes) = try silenceState.withLock { store throws(SilenceError) in
                let result = try store.set(postable, now: now, newID: { UUID().uuidString.lowercased() })
                return (result, store.takeChanges())
            }
            try persist(changes)
            return result
        }
        logger.info(
            "Silence set", metadata: ["silence.id": .string(result.id), "silence.matchers": "\(postable.matchers)"])
        return result.id
    }

    /// Expires a silence now.
    public func expireSilence(id: String, now: Date) throws {
        try silenceWrites.withLock { _ in
            let changes = try silenceState.withLock { store throws(SilenceError) in
                _ = try store.expire(id: id, now: now)
                return store.takeChanges()
            }
            try persist(changes)
        }
    }

    /// A silence by id.
    public func silence(id: String) -> Silence? {
        silenceState.withLock { $0.get(id: id) }
    }

    /// Silences matching a verbatim filter, sorted as Alertmanager sorts them.
    public func silences(filter: [Matcher], now: Date) -> [Silence] {
        silenceState.withLock { $0.query(filter: filter, now: now) }
    }

    /// Silence counts per state.
    public func silenceCounts(now: Date) -> SilenceCounts {
        silenceState.withLock { $0.counts(at: now) }
    }

    func persist(_ changes: SilenceChanges) throws {
        guard !changes.isEmpty else { return }
        try metrics.silences.snapshot.time { try stateStore.saveSilences(changes.written, removing: changes.removed) }
    }
}
