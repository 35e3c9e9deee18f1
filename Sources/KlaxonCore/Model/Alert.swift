import Foundation

/// An alert as Alertmanager holds it (`types.Alert`).
public struct Alert: Sendable, Hashable {
    /// Identifying labels.
    public var labels: LabelSet
    /// Non-identifying annotations.
    public var annotations: LabelSet
    /// When the alert started firing.
    public var startsAt: Date
    /// When the alert resolves (or resolved); `Date.zero` when unset.
    public var endsAt: Date
    /// Link back to the rule that produced it; empty when unset.
    public var generatorURL: String
    /// When Klaxon last received it.
    public var updatedAt: Date
    /// Whether `endsAt` was defaulted from `resolve_timeout` rather than given by the sender.
    public var timeout: Bool

    /// Creates an alert.
    public init(
        labels: LabelSet,
        annotations: LabelSet = .empty,
        startsAt: Date,
        endsAt: Date = .zero,
        generatorURL: String = "",
        updatedAt: Date,
        timeout: Bool = false
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.updatedAt = updatedAt
        self.timeout = timeout
    }

    /// The label-set fingerprint.
    public var fingerprint: Fingerprint { labels.fingerprint }

    /// Resolved when `endsAt` is set and not after `now`.
    public func isResolved(at now: Date) -> Bool {
        endsAt != .zero && endsAt <= now
    }

    /// `"firing"` or `"resolved"` at `now`.
    public func status(at now: Date) -> AlertStatus {
        isResolved(at: now) ? .resolved : .firing
    }

    /// Alertmanager's `Alert.Merge`: combine an incoming alert with the stored one of the same fingerprint.
    ///
    /// The newer of the two (by `updatedAt`) provides labels and annotations; `startsAt` is the earlier one;
    /// an explicit later `endsAt` of the older alert survives unless the newer alert resolves it.
    public func merged(with incoming: Alert, now: Date) -> Alert {
        var older = self
        var newer = incoming
        if newer.updatedAt < older.updatedAt { swap(&older, &newer) }
        var result = newer
        if older.startsAt < newer.startsAt { result.startsAt = older.startsAt }
        if newer.isResolved(at: now) {
            if older.isResolved(at: now), older.endsAt > newer.endsAt { result.endsAt = older.endsAt }
        } else if older.endsAt > newer.endsAt, !older.timeout {
            result.endsAt = older.endsAt
        }
        return result
    }

    /// Whether an incoming alert overlaps this one in time so that the two are merged rather than replaced.
    public func overlaps(with incoming: Alert) -> Bool {
        func inside(_ t: Date) -> Bool { t > startsAt && t < endsAt }
        return inside(incoming.endsAt) || inside(incoming.startsAt)
    }
}

/// Alert status as reported in payloads.
public enum AlertStatus: String, Sendable {
    case firing
    case resolved
}

extension Date {
    /// Go's zero `time.Time` (`0001-01-01T00:00:00Z`), Alertmanager's "unset".
    public static let zero = Date(timeIntervalSince1970: -62_135_596_800)
}

extension Alert {
    /// Alertmanager's notification order: by `job`, then `instance` (present before absent), then `LabelSet.Before`.
    public static func notificationOrder(_ a: Alert, _ b: Alert) -> Bool {
        for name in ["job", "instance"] {
            switch (a.labels[name], b.labels[name]) {
            case let (x?, y?) where x != y: return x < y
            case (.some, .none): return true
            case (.none, .some): return false
            default: continue
            }
        }
        return a.labels.isBefore(b.labels)
    }
}
