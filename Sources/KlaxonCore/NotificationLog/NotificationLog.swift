import Foundation

/// Alertmanager's notification log (`nflog`) as in-memory state: the last notification per group key and
/// receiver integration. Pure: every call takes `now`; persistence is the caller's job.
public struct NotificationLog: Sendable {
    private var entries: [NotificationLogKey: NotificationLogEntry] = [:]

    /// An empty log.
    public init() {}

    /// Makes room for `count` entries, so loading a snapshot does not rehash as it grows.
    public mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The entry for a group and receiver integration, if any.
    public func query(groupKey: String, receiver: ReceiverKey) -> NotificationLogEntry? {
        entries[NotificationLogKey(groupKey: groupKey, receiver: receiver)]
    }

    /// When an entry logged at `now` expires: `now + min(retention, 2 * repeatInterval)`; a non-positive
    /// repeat interval falls back to `retention`.
    public static func expiry(now: Date, retention: PromDuration, repeatInterval: PromDuration) -> Date {
        let doubled = PromDuration(milliseconds: repeatInterval.milliseconds.multipliedReportingOverflow(by: 2).0)
        let lifetime = doubled.milliseconds > 0 && retention > doubled ? doubled : retention
        return now.addingTimeInterval(lifetime.seconds)
    }

    /// Records a notification (the `SetNotifies` stage) and returns the entry written, or nil when the existing
    /// entry has a timestamp after `now` and is kept (as Alertmanager does).
    @discardableResult
    public mutating func log(
        groupKey: String,
        receiver: ReceiverKey,
        firing: Set<UInt64>,
        resolved: Set<UInt64>,
        now: Date,
        retention: PromDuration,
        repeatInterval: PromDuration
    ) -> NotificationLogEntry? {
        let key = NotificationLogKey(groupKey: groupKey, receiver: receiver)
        if let previous = entries[key], previous.timestamp > now { return nil }
        let entry = NotificationLogEntry(
            groupKey: groupKey,
            receiver: receiver,
            timestamp: now,
            firingAlerts: firing,
            resolvedAlerts: resolved,
            expiresAt: Self.expiry(now: now, retention: retention, repeatInterval: repeatInterval)
        )
        entries[key] = entry
        return entry
    }

    /// Drops entries whose `expiresAt` is not after `now`; returns the keys removed.
    @discardableResult
    public mutating func gc(now: Date) -> [NotificationLogKey] {
        let expired = entries.filter { $0.value.expiresAt <= now }.map(\.key)
        for key in expired { entries[key] = nil }
        return expired
    }

    /// Merges an entry from a snapshot: entries that expired before `now` are dropped, otherwise the newer
    /// timestamp wins. Returns whether the entry was taken.
    @discardableResult
    public mutating func merge(_ entry: NotificationLogEntry, now: Date) -> Bool {
        if entry.expiresAt < now { return false }
        let key = entry.key
        if let previous = entries[key], !(previous.timestamp < entry.timestamp) { return false }
        entries[key] = entry
        return true
    }
}
