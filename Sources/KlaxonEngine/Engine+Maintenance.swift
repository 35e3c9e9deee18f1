import Foundation
import KlaxonCore
import Logging

/// Garbage collection, run by `EngineMaintenance` on the engine's clock.
extension Engine {
    /// Deletes resolved alerts from the store (Alertmanager's alert GC) and forgets them as inhibition sources.
    func collectAlerts(now: Date) {
        let removed = alerts.collectGarbage(now: now)
        if !removed.isEmpty {
            inhibitorState.withLock { inhibitor in
                for alert in removed { inhibitor.remove(fingerprint: alert.fingerprint) }
            }
        }
    }

    /// Drops expired silences and notification-log entries past retention, in memory and on disk.
    public func collectState(now: Date) {
        do {
            // A silence writer like the API's: its removals reach the store in the order memory made them.
            try silenceWrites.withLock { _ in
                let changes = metrics.silences.gc.time {
                    silenceState.withLock { store -> SilenceChanges in
                        _ = store.gc(now: now, retention: options.retention)
                        return store.takeChanges()
                    }
                }
                try persist(changes)
            }
            let removedKeys = metrics.nflog.gc.time { nflogState.withLock { $0.gc(now: now) } }
            _ = inhibitorState.withLock { $0.gc(now: now) }
            if !removedKeys.isEmpty { try stateStore.saveNotificationLog([], removing: removedKeys) }
            if let audit = stateStore as? any AuditStore {
                try audit.pruneAudit(olderThan: now.addingTimeInterval(-options.auditRetention.seconds))
            }
        } catch {
            logger.error("State maintenance failed", metadata: ["error": "\(error)"])
        }
    }
}
