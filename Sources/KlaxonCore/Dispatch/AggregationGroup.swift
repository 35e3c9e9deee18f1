import Foundation

/// One aggregation group: the alerts of one route that share the same group labels, with Alertmanager
/// 0.25's timer rules as a plain state machine (`dispatch.aggrGroup`). The driver calls `insert` when an
/// alert arrives and `beginFlush`/`endFlush` when `nextFlush` is due; all times are passed in.
public struct AggregationGroup: Sendable {
    /// The route the group belongs to.
    public let route: Route
    /// The group labels (the alert labels restricted to `group_by`).
    public let labels: LabelSet
    /// `<route key>:<group labels>`.
    public let groupKey: String
    /// The group's alerts by fingerprint (the latest version of each).
    public private(set) var alerts: [Fingerprint: Alert] = [:]
    /// When the next flush is due.
    public private(set) var nextFlush: Date
    /// Whether a flush has happened (after which new alerts wait for the next `group_interval` tick).
    public private(set) var hasFlushed = false
    /// Whether a flush is running (flushes of one group never overlap).
    public private(set) var isFlushing = false
    /// When the group became empty, for the periodic removal of empty groups.
    public private(set) var emptySince: Date?

    /// Creates the group for its first alert: the first flush is `group_wait` away, or immediate when the
    /// alert started more than `group_wait` ago.
    public init(route: Route, labels: LabelSet, first alert: Alert, now: Date) {
        self.route = route
        self.labels = labels
        self.groupKey = route.groupKey(groupLabels: labels)
        self.nextFlush = now.addingTimeInterval(route.groupWait.seconds)
        _ = insert(alert, now: now)
    }

    /// Whether the group holds no alerts.
    public var isEmpty: Bool { alerts.isEmpty }

    /// Adds or replaces an alert. Returns true when this moved `nextFlush` earlier (the driver must
    /// reschedule): before the first flush, an alert whose `startsAt + group_wait` has passed flushes at once.
    public mutating func insert(_ alert: Alert, now: Date) -> Bool {
        alerts[alert.fingerprint] = alert
        emptySince = nil
        if !hasFlushed, alert.startsAt.addingTimeInterval(route.groupWait.seconds) < now, nextFlush > now {
            nextFlush = now
            return true
        }
        return false
    }

    /// Starts a flush at the tick time `now`: the timer moves one `group_interval` on, and the snapshot
    /// to notify is returned in notification order with firing alerts' `endsAt` zeroed. Nil when empty
    /// (nothing to send), or when a flush is already running.
    public mutating func beginFlush(now: Date) -> [Alert]? {
        guard !isFlushing else { return nil }
        hasFlushed = true
        nextFlush = now.addingTimeInterval(route.groupInterval.seconds)
        guard !alerts.isEmpty else { return nil }
        isFlushing = true
        var snapshot: [Alert] = []
        snapshot.reserveCapacity(alerts.count)
        for var alert in alerts.values {
            if !alert.isResolved(at: now) { alert.endsAt = .zero }
            snapshot.append(alert)
        }
        snapshot.sort(by: Alert.notificationOrder)
        return snapshot
    }

    /// Ends a flush. After a successful one, resolved alerts of the snapshot that were not updated
    /// since are deleted; after a failure they stay and go out again at the next tick.
    public mutating func endFlush(snapshot: [Alert], succeeded: Bool, now: Date) {
        isFlushing = false
        if succeeded {
            for alert in snapshot where alert.endsAt != .zero && alert.endsAt <= now {
                let fingerprint = alert.fingerprint
                if let current = alerts[fingerprint], current.updatedAt == alert.updatedAt {
                    alerts[fingerprint] = nil
                }
            }
        }
        if alerts.isEmpty, emptySince == nil { emptySince = now }
    }
}
