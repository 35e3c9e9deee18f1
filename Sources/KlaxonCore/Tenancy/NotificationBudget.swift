import Foundation

/// `max_notifications_per_minute`: how many notifications a tenant's groups may send to one receiver in a
/// wall-clock minute. Past the limit a flushed group is not dropped but held, and at the next minute the held
/// groups of that tenant and receiver go out as one digest, so a storm of 500 groups costs the on-call a handful
/// of messages. A group flushed again while held replaces its earlier flush (the digest carries its latest
/// state). Digests do not count against the next minute's budget: the most a tenant sends a receiver per minute
/// is the limit plus one digest.
///
/// Pure: the engine passes the flush time and sends what this decides.
public struct NotificationBudget: Sendable {
    /// A tenant's notifications to one receiver.
    public struct Key: Hashable, Sendable, Comparable {
        /// The tenant.
        public var tenant: String
        /// The receiver.
        public var receiver: String

        /// Creates a key.
        public init(tenant: String, receiver: String) {
            self.tenant = tenant
            self.receiver = receiver
        }

        /// By tenant, then receiver.
        public static func < (a: Key, b: Key) -> Bool { (a.tenant, a.receiver) < (b.tenant, b.receiver) }
    }

    /// Held groups of one tenant and receiver, due as one notification.
    public struct Digest: Sendable {
        /// Whose and to which receiver.
        public var key: Key
        /// The held notifications, one per group (its latest flush), ordered by group key.
        public var groups: [GroupNotification]
    }

    private var windows: [Key: (minute: Int64, sent: Int)] = [:]
    private var held: [Key: (minute: Int64, groups: [String: GroupNotification])] = [:]

    /// An empty budget.
    public init() {}

    /// Whether `notification`, of `tenant`, may go out now; when it may not (the minute's `limit` is spent), it is
    /// held for the digest. A nil limit always admits.
    public mutating func admit(_ notification: GroupNotification, tenant: String, limit: Int?) -> Bool {
        guard let limit else { return true }
        let key = Key(tenant: tenant, receiver: notification.receiver)
        let minute = Self.minute(notification.now)
        var window = windows[key].flatMap { $0.minute == minute ? $0 : nil } ?? (minute: minute, sent: 0)
        if window.sent < limit, held[key] == nil {
            window.sent += 1
            windows[key] = window
            return true
        }
        windows[key] = window
        var holding = held[key] ?? (minute: minute, groups: [:])
        holding.groups[notification.groupKey] = notification
        held[key] = holding
        return false
    }

    /// The digests due at `now`: every tenant and receiver with groups held in an earlier minute. They leave the
    /// budget; the caller sends each as one notification.
    public mutating func takeDueDigests(now: Date) -> [Digest] {
        let minute = Self.minute(now)
        var due: [Digest] = []
        for (key, holding) in held where holding.minute < minute {
            due.append(Digest(key: key, groups: holding.groups.values.sorted { $0.groupKey < $1.groupKey }))
            held[key] = nil
        }
        return due.sorted { $0.key < $1.key }
    }

    /// The next time a digest may fall due (the start of the minute after the oldest held group), or nil.
    public var nextDigestTime: Date? {
        held.values.map(\.minute).min().map { Date(timeIntervalSince1970: Double(($0 + 1) * 60)) }
    }

    /// Whether groups are held.
    public var isHolding: Bool { !held.isEmpty }

    private static func minute(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}

extension NotificationBudget.Digest {
    /// The group key of a tenant's digests to a receiver: stable from minute to minute, so integrations that
    /// deduplicate by group key (PagerDuty's dedup key) keep one incident for the storm.
    public func groupKey(tenantLabel: String) -> String {
        "{}/klaxon-digest:" + LabelSet([tenantLabel: key.tenant]).description
    }

    /// The digest as one ordinary notification for the receiver's own integrations and templates: one alert per
    /// held group, labelled with the group's labels and the labels all its alerts share, annotated with how many
    /// alerts it holds and why it was held. An alert of the digest is firing while any alert of its group was
    /// firing when the group was held.
    public func notification(tenantLabel: String, limit: Int, now: Date, deadline: Date?) -> GroupNotification {
        let alerts = groups.map { held -> Alert in
            let firing = held.alerts.filter { !$0.isResolved(at: held.now) }
            var labels = LabelSet.common(held.alerts.map(\.labels)).dictionary
            labels.merge(held.groupLabels.dictionary) { $1 }
            labels[tenantLabel] = key.tenant
            let summary =
                "\(firing.count) firing and \(held.alerts.count - firing.count) resolved alerts held: tenant "
                + "\(key.tenant) is over its limit of \(limit) notifications per minute to receiver \(key.receiver)"
            let startsAt = held.alerts.map(\.startsAt).min() ?? held.now
            let endsAt = firing.isEmpty ? (held.alerts.map(\.endsAt).max() ?? held.now) : Date.zero
            return Alert(
                labels: LabelSet(labels),
                annotations: LabelSet(["summary": summary, "klaxon_group_key": held.groupKey]),
                startsAt: startsAt, endsAt: endsAt, updatedAt: held.now)
        }
        return GroupNotification(
            receiver: key.receiver, groupKey: groupKey(tenantLabel: tenantLabel),
            groupLabels: LabelSet([tenantLabel: key.tenant]), alerts: alerts, now: now, deadline: deadline)
    }
}
