import Foundation
import KlaxonCore

/// An alert's state as the API reports it (`alertStatus.state`).
public enum AlertState: String, Sendable, Hashable, CaseIterable {
    /// Not muted.
    case active
    /// Silenced or inhibited.
    case suppressed
    /// Not yet processed.
    case unprocessed
}

/// An alert as `GET /api/v2/alerts` and the groups of `GET /api/v2/alerts/groups` carry it (Alertmanager's
/// `gettableAlert`): what the server renders and klaxonctl reads back.
public struct GettableAlert: Sendable, Hashable {
    /// The labels.
    public var labels: LabelSet
    /// The annotations.
    public var annotations: LabelSet
    /// When the alert started firing.
    public var startsAt: Date
    /// When the alert ends (or is presumed resolved).
    public var endsAt: Date
    /// When the server last received it.
    public var updatedAt: Date
    /// The generator URL; empty when unset (then not rendered).
    public var generatorURL: String
    /// The label-set fingerprint (16 hex digits).
    public var fingerprint: String
    /// The names of the receivers the alert routes to, in routing-tree order (rendered as `{"name": ...}`).
    public var receivers: [String]
    /// `status.state`; nil when a document has no known state. The server always sets it.
    public var state: AlertState?
    /// IDs of the active silences that mute it.
    public var silencedBy: [String]
    /// Fingerprints (16 hex digits) of the alerts that inhibit it.
    public var inhibitedBy: [String]

    /// Creates an alert.
    public init(
        labels: LabelSet,
        annotations: LabelSet = .empty,
        startsAt: Date,
        endsAt: Date,
        updatedAt: Date,
        fingerprint: String = "",
        receivers: [String] = [],
        generatorURL: String = "",
        state: AlertState? = .active,
        silencedBy: [String] = [],
        inhibitedBy: [String] = []
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
        self.receivers = receivers
        self.state = state
        self.silencedBy = silencedBy
        self.inhibitedBy = inhibitedBy
    }

    /// A stored alert as the API shows it; `fingerprint` defaults to the alert's.
    public init(
        alert: Alert,
        fingerprint: Fingerprint? = nil,
        receivers: [String],
        state: AlertState,
        silencedBy: [String] = [],
        inhibitedBy: [String] = []
    ) {
        self.init(
            labels: alert.labels, annotations: alert.annotations, startsAt: alert.startsAt, endsAt: alert.endsAt,
            updatedAt: alert.updatedAt, fingerprint: (fingerprint ?? alert.fingerprint).description,
            receivers: receivers, generatorURL: alert.generatorURL, state: state, silencedBy: silencedBy,
            inhibitedBy: inhibitedBy)
    }
}

/// One aggregation group as `GET /api/v2/alerts/groups` carries it (Alertmanager's `alertGroup`).
public struct AlertGroup: Sendable, Hashable {
    /// The group labels.
    public var labels: LabelSet
    /// The name of the route's receiver (rendered as `{"name": ...}`).
    public var receiver: String
    /// The group's alerts.
    public var alerts: [GettableAlert]
    /// The group key (as the notification log, webhooks and the timeline carry it); not part of API v2's JSON, so
    /// "" in a group read back from it.
    public var groupKey: String

    /// Creates a group.
    public init(labels: LabelSet, receiver: String, alerts: [GettableAlert], groupKey: String = "") {
        self.labels = labels
        self.receiver = receiver
        self.alerts = alerts
        self.groupKey = groupKey
    }

    /// The order of `GET /api/v2/alerts/groups`: by label set, then receiver.
    public static func listOrder(_ a: AlertGroup, _ b: AlertGroup) -> Bool {
        if a.labels != b.labels { return a.labels.isBefore(b.labels) }
        return a.receiver < b.receiver
    }
}
