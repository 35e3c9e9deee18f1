import Foundation

/// What one notification is about: a flushed aggregation group for one receiver.
public struct GroupNotification: Sendable {
    /// The receiver name.
    public var receiver: String
    /// The group key (`<route key>:<group labels>`).
    public var groupKey: String
    /// The group labels.
    public var groupLabels: LabelSet
    /// The alerts to send, in notification order; firing alerts have `endsAt == .zero`.
    public var alerts: [Alert]
    /// The flush time: every "now" of the pipeline is this tick time.
    public var now: Date
    /// When the attempt must give up (Alertmanager's notify context deadline, `max(group_interval, 10s)` after
    /// the flush). Integrations turn it into their request timeout, so an endpoint that accepts the connection
    /// and never answers cannot hold the group's flush forever. Nil means no deadline.
    public var deadline: Date?

    /// Creates a notification.
    public init(
        receiver: String, groupKey: String, groupLabels: LabelSet, alerts: [Alert], now: Date, deadline: Date? = nil
    ) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.now = now
        self.deadline = deadline
    }

    /// `firing` if any alert is firing, else `resolved`.
    public var status: AlertStatus {
        alerts.contains { !$0.isResolved(at: now) } ? .firing : .resolved
    }
}

/// Why a notification attempt failed, as Alertmanager's `reason` label of
/// `alertmanager_notifications_failed_total`.
public enum NotifyFailureReason: String, Sendable {
    case clientError
    case serverError
    case contextCanceled
    case contextDeadlineExceeded
    case other
}

/// The outcome of one delivery attempt.
public enum NotifyResult: Sendable {
    /// Delivered; `status` is what the receiving end answered (the HTTP status code, `200`), shown on the timeline.
    case delivered(status: String)
    /// Not delivered. `retry` says whether another attempt may succeed (network errors, 5xx, ...).
    /// `message` never contains secrets (URLs, keys).
    case failed(retry: Bool, reason: NotifyFailureReason, message: String)
}

/// One configured integration of a receiver (`webhook_configs[0]`, `slack_configs[1]`, ...).
public protocol Notifier: Sendable {
    /// The integration name used in metrics and the notification log (`webhook`, `slack`, `pagerduty`).
    var integrationName: String { get }
    /// `send_resolved`.
    var sendResolved: Bool { get }
    /// Makes one delivery attempt; the engine retries.
    func notify(_ notification: GroupNotification) async -> NotifyResult
}

/// An integration that Klaxon parses but does not deliver yet: every attempt fails without retry,
/// so the failure is visible in logs and metrics instead of silently dropped.
public struct UnsupportedNotifier: Notifier {
    /// The integration name (e.g. `email`).
    public let integrationName: String
    /// `send_resolved` as configured.
    public let sendResolved: Bool

    /// Creates the placeholder.
    public init(integrationName: String, sendResolved: Bool) {
        self.integrationName = integrationName
        self.sendResolved = sendResolved
    }

    /// Always fails without retry.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        .failed(retry: false, reason: .other, message: "integration \(integrationName) is not supported by Klaxon yet")
    }
}

extension GroupNotification {
    /// Label pairs shared by every alert (Alertmanager's `CommonLabels`).
    public var commonLabels: LabelSet { LabelSet.common(alerts.map(\.labels)) }

    /// Annotation pairs shared by every alert.
    public var commonAnnotations: LabelSet { LabelSet.common(alerts.map(\.annotations)) }

    /// The receiver name as Alertmanager puts it in payloads: `regexp.QuoteMeta`-escaped.
    public var quotedReceiver: String { Self.quoteMeta(receiver) }

    /// Go's `regexp.QuoteMeta`.
    public static func quoteMeta(_ s: String) -> String {
        let special: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$"]
        guard s.contains(where: { special.contains($0) }) else { return s }
        var out = ""
        for ch in s {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
