import Foundation
import KlaxonAPIModels
import KlaxonCore

/// What the HTTP API needs from the engine. The composition root adapts the engine to it.
///
/// The API layer does request parsing, schema checks, defaulting, validation, sorting and JSON rendering;
/// the backend only stores and computes.
public protocol APIBackend: Sendable {
    /// `global.resolve_timeout` of the current configuration.
    func resolveTimeout() async -> PromDuration

    /// Stores alerts that were already defaulted (startsAt, endsAt, updatedAt, timeout) and validated.
    func postAlerts(_ alerts: [Alert]) async

    /// Alerts of the store that are not resolved before `now` (`endsAt >= now`), with receivers and
    /// status computed at request time, restricted with `query.matches(labels:)` before the status is
    /// computed and `query.accepts(_:)` after. Any order: the API sorts by fingerprint.
    func alerts(_ query: AlertFilter, now: Date) async -> [GettableAlert]

    /// One held alert by fingerprint (a resolved one not yet dropped included), status computed as for
    /// `alerts(_:now:)`; nil when the store does not hold it.
    func alert(_ fingerprint: Fingerprint, now: Date) async -> GettableAlert?

    /// Aggregation groups whose receiver passes `query.receiver`, each with its alerts filtered as for
    /// `alerts(_:now:)`; groups left empty are omitted. Any order: the API sorts groups and alerts. Each carries
    /// its group key.
    func alertGroups(_ query: AlertFilter, now: Date) async -> [AlertGroup]

    /// Every stored silence (including expired ones still retained). Any order: the API filters and sorts.
    func silences(now: Date) async -> [GettableSilence]

    /// One silence by ID, or nil.
    func silence(id: String, now: Date) async -> GettableSilence?

    /// Creates or updates a silence (Alertmanager's `Silences.Set`); returns the resulting ID.
    ///
    /// The API has already checked start < end, end not in the past, label names, regexes and that some
    /// matcher does not match the empty string. Throws `.notFound` when `silence.id` is set but unknown.
    func setSilence(_ silence: SilenceRequest, now: Date) async throws(SilenceAPIError) -> String

    /// Expires a silence (active: endsAt = now; pending: startsAt = endsAt = now; expired: no-op).
    func expireSilence(id: String, now: Date) async throws(SilenceAPIError)

    /// Data for `GET /api/v2/status`, its configuration as a principal of `scope` may see it (tenant label
    /// `tenantLabel`).
    func status(visibleTo scope: TenantScope, tenantLabel: String) async -> AlertmanagerStatus

    /// Receiver names in configuration order.
    func receivers() async -> [String]

    /// The routing tree in force (to tell which receivers a tenant's alerts can reach).
    func routeTree() async -> Route

    /// Reloads the configuration file (`POST /-/reload`) for `principal` at `remoteAddress` (both recorded in the
    /// audit trail); the error's description is shown to the client.
    func reload(by principal: String, from remoteAddress: String) async throws

    /// How the last load of the configuration ended (the status page shows it); nil when nothing reloads.
    func lastReload() async -> ConfigReloadResult?

    /// `max_active_alerts`: the alerts that may be stored and those refused because their tenant is at its limit
    /// (see `ActiveAlertLimit`; updates and resolves of held alerts are always admitted).
    func admit(
        _ alerts: [Alert], tenantLabel: String, limit: @escaping @Sendable (String) -> Int?, now: Date
    ) async -> (admitted: [Alert], refused: [ActiveAlertLimit.Refusal])

    /// Counts alerts refused under the access file (per-tenant metrics).
    func alertsRefused(_ alerts: [Alert]) async

    /// Counts a silence refused by `max_silences` (per-tenant metrics).
    func silenceRefused(tenant: String) async

    /// The whole notification decision for `labels` at `at` over the state held `now` (every silence and source
    /// alert: the API hides what the caller may not see).
    func explain(_ labels: LabelSet, at: Date, now: Date) async -> Explanation

    /// Timeline events the query selects, oldest first (the API scopes and filters by labels afterwards).
    func history(_ query: HistoryQuery) async throws -> [HistoryEvent]

    /// Adds an entry to the audit trail; a store failure is logged, never fails the change it records.
    func recordAudit(_ entry: AuditEntry) async

    /// Audit entries the query selects, newest first.
    func audit(_ query: AuditQuery) async throws -> [AuditEntry]
}

/// The filters of `GET /api/v2/alerts` and `GET /api/v2/alerts/groups` (an `AlertQuery`) with the matchers
/// parsed.
public struct AlertFilter: Sendable {
    /// `filter` matchers: all must match the alert's labels (an absent label reads as "").
    public var filter: [Matcher]
    /// `receiver`: an anchored regex on receiver names (`=~` matcher named `receiver`), nil when not given.
    public var receiver: Matcher?
    /// Keep alerts in state `active`.
    public var active: Bool
    /// Keep alerts with a non-empty `silencedBy`.
    public var silenced: Bool
    /// Keep alerts with a non-empty `inhibitedBy`.
    public var inhibited: Bool
    /// Accepted and ignored, as in Alertmanager.
    public var unprocessed: Bool
    /// Groups only: keep groups muted by a time interval (0.28+; accepted, defaults to true).
    public var muted: Bool

    /// Creates a filter; every flag defaults to true.
    public init(
        filter: [Matcher] = [],
        receiver: Matcher? = nil,
        active: Bool = true,
        silenced: Bool = true,
        inhibited: Bool = true,
        unprocessed: Bool = true,
        muted: Bool = true
    ) {
        self.filter = filter
        self.receiver = receiver
        self.active = active
        self.silenced = silenced
        self.inhibited = inhibited
        self.unprocessed = unprocessed
        self.muted = muted
    }

    /// Whether every `filter` matcher accepts the labels.
    public func matches(labels: LabelSet) -> Bool {
        for matcher in filter where !matcher.matches(labels) { return false }
        return true
    }

    /// Whether a receiver name passes the `receiver` regex (always true without one).
    public func matches(receiver name: String) -> Bool {
        receiver?.matches(name) ?? true
    }

    /// Alertmanager's alert filter: labels, receivers (any of them), then the state flags.
    public func accepts(_ view: GettableAlert) -> Bool {
        if receiver != nil, !view.receivers.contains(where: { matches(receiver: $0) }) { return false }
        if !matches(labels: view.labels) { return false }
        if !silenced, !view.silencedBy.isEmpty { return false }
        if !inhibited, !view.inhibitedBy.isEmpty { return false }
        if !active, view.state == .active { return false }
        return true
    }
}

extension SilenceState {
    /// The state of a silence spanning `startsAt...endsAt` at `now` (exactly at endsAt it is still active).
    public init(startsAt: Date, endsAt: Date, now: Date) {
        if now < startsAt {
            self = .pending
        } else if now > endsAt {
            self = .expired
        } else {
            self = .active
        }
    }
}

/// The body of `POST /api/v2/silences` after schema checks and validation.
public struct SilenceRequest: Sendable, Hashable {
    /// The ID to update; nil (absent or empty) creates a new silence.
    public var id: String?
    /// At least one matcher, not all matching "".
    public var matchers: [Matcher]
    /// Start (may be in the past; the store clamps it to now on creation).
    public var startsAt: Date
    /// End (after startsAt, not in the past).
    public var endsAt: Date
    /// Author.
    public var createdBy: String
    /// Comment.
    public var comment: String

    /// Creates a postable silence.
    public init(id: String?, matchers: [Matcher], startsAt: Date, endsAt: Date, createdBy: String, comment: String) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }
}

/// Why the backend refused a silence operation.
public struct SilenceAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case notFound
        case invalid(String)
    }

    private let kind: Kind

    /// No silence has that ID (POST: 404; DELETE: 500 as in Alertmanager 0.25).
    public static let notFound = SilenceAPIError(kind: .notFound)

    /// The store rejected the silence; `message` is sent verbatim with status 400.
    public static func invalid(_ message: String) -> SilenceAPIError { SilenceAPIError(kind: .invalid(message)) }

    /// Whether this is `.notFound`.
    public var isNotFound: Bool { kind == .notFound }

    /// `silence not found` or the invalid message.
    public var description: String {
        switch kind {
        case .notFound: "silence not found"
        case .invalid(let message): message
        }
    }
}
