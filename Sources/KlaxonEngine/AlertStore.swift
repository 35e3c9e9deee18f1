import Foundation
import KlaxonCore
import Synchronization

/// The global alert store (`provider/mem`): the latest version of every alert by fingerprint, with
/// Alertmanager's merge rule. Sharded so concurrent POSTs do not contend on one lock.
public final class AlertStore: Sendable {
    private final class Shard: Sendable {
        let alerts = Mutex<[Fingerprint: Alert]>([:])
    }

    private let shards: [Shard]
    private let mask: UInt64

    /// Creates an empty store with `2^shardBits` shards.
    public init(shardBits: Int = 6) {
        shards = (0..<(1 << shardBits)).map { _ in Shard() }
        mask = UInt64((1 << shardBits) - 1)
    }

    private func shard(_ fingerprint: Fingerprint) -> Shard {
        // FNV output is well mixed in the high bits; fold them down.
        shards[Int((fingerprint.rawValue ^ (fingerprint.rawValue >> 32)) & mask)]
    }

    /// Stores an incoming alert, merging it with the stored one when their active ranges overlap,
    /// replacing it otherwise. Returns the alert as stored.
    @discardableResult
    public func put(_ incoming: Alert, now: Date) -> Alert {
        update(incoming, now: now).stored
    }

    /// `put`, also returning the alert stored before (nil when there was none), to tell state changes, and the
    /// fingerprint it computed.
    public func update(_ incoming: Alert, now: Date) -> (stored: Alert, previous: Alert?, fingerprint: Fingerprint) {
        let fingerprint = incoming.fingerprint
        return shard(fingerprint).alerts.withLock { alerts in
            var stored = incoming
            let previous = alerts[fingerprint]
            if let old = previous, old.overlaps(with: incoming) {
                stored = old.merged(with: incoming, now: now)
            }
            alerts[fingerprint] = stored
            return (stored, previous, fingerprint)
        }
    }

    /// The stored alert with this fingerprint.
    public func get(_ fingerprint: Fingerprint) -> Alert? {
        shard(fingerprint).alerts.withLock { $0[fingerprint] }
    }

    /// Every stored alert, in no particular order.
    public func all() -> [Alert] {
        var result: [Alert] = []
        for shard in shards {
            shard.alerts.withLock { result.append(contentsOf: $0.values) }
        }
        return result
    }

    /// The number of stored alerts.
    public var count: Int {
        shards.reduce(0) { sum, shard in sum + shard.alerts.withLock { $0.count } }
    }

    /// Deletes resolved alerts (Alertmanager's periodic GC) and returns them.
    @discardableResult
    public func collectGarbage(now: Date) -> [Alert] {
        var removed: [Alert] = []
        for shard in shards {
            shard.alerts.withLock { alerts in
                for (fingerprint, alert) in alerts where alert.isResolved(at: now) {
                    alerts[fingerprint] = nil
                    removed.append(alert)
                }
            }
        }
        return removed
    }
}
