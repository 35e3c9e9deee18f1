import Foundation

/// Which integration of which receiver a notification-log entry belongs to (Alertmanager's `nflogpb.Receiver`).
public struct ReceiverKey: Hashable, Sendable, CustomStringConvertible {
    /// The receiver name (`group_name` in Alertmanager's protobuf).
    public var groupName: String
    /// The integration name, e.g. `webhook`, `slack`, `pagerduty`.
    public var integration: String
    /// The index of this integration's config within the receiver's list for that integration.
    public var index: Int

    /// Creates a receiver key.
    public init(groupName: String, integration: String, index: Int) {
        self.groupName = groupName
        self.integration = integration
        self.index = index
    }

    /// `<receiverName>/<integration>/<idx>`.
    public var description: String { "\(groupName)/\(integration)/\(index)" }
}

/// The key of one notification-log entry: an aggregation group and a receiver integration.
public struct NotificationLogKey: Hashable, Sendable, CustomStringConvertible {
    /// The aggregation group key.
    public var groupKey: String
    /// The receiver integration.
    public var receiver: ReceiverKey

    /// Creates a key.
    public init(groupKey: String, receiver: ReceiverKey) {
        self.groupKey = groupKey
        self.receiver = receiver
    }

    /// `<groupKey>:<receiverName>/<integration>/<idx>`, Alertmanager's state key.
    public var description: String { "\(groupKey):\(receiver)" }
}

/// One notification-log entry: what was last notified for a group to one receiver integration.
public struct NotificationLogEntry: Hashable, Sendable {
    /// The aggregation group key.
    public var groupKey: String
    /// The receiver integration.
    public var receiver: ReceiverKey
    /// When the notification was logged.
    public var timestamp: Date
    /// Notification-log hashes (`LabelSet.notificationLogHash`) of the alerts that were firing.
    public var firingAlerts: Set<UInt64>
    /// Notification-log hashes of the alerts that were resolved.
    public var resolvedAlerts: Set<UInt64>
    /// When the entry is garbage-collected.
    public var expiresAt: Date

    /// Creates an entry.
    public init(
        groupKey: String,
        receiver: ReceiverKey,
        timestamp: Date,
        firingAlerts: Set<UInt64>,
        resolvedAlerts: Set<UInt64>,
        expiresAt: Date
    ) {
        self.groupKey = groupKey
        self.receiver = receiver
        self.timestamp = timestamp
        self.firingAlerts = firingAlerts
        self.resolvedAlerts = resolvedAlerts
        self.expiresAt = expiresAt
    }

    /// The entry's key.
    public var key: NotificationLogKey { NotificationLogKey(groupKey: groupKey, receiver: receiver) }

    /// Whether every hash of `firing` was firing in this entry (Alertmanager's `IsFiringSubset`).
    public func isFiringSubset(_ firing: Set<UInt64>) -> Bool { firing.isSubset(of: firingAlerts) }

    /// Whether every hash of `resolved` was resolved in this entry (Alertmanager's `IsResolvedSubset`).
    public func isResolvedSubset(_ resolved: Set<UInt64>) -> Bool { resolved.isSubset(of: resolvedAlerts) }
}
