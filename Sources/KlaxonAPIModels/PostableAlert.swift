import Foundation
import KlaxonCore

/// One element of the `POST /api/v2/alerts` body (Alertmanager's `postableAlert`), before the server's defaults.
public struct PostableAlert: Sendable, Hashable {
    /// The labels (the server drops empty-valued ones).
    public var labels: LabelSet
    /// The annotations.
    public var annotations: LabelSet
    /// When it started; nil (absent, `null` or Go's zero time) lets the server use the time of receipt.
    public var startsAt: Date?
    /// When it ends; nil lets the server apply `resolve_timeout`.
    public var endsAt: Date?
    /// The generator URL; empty when unset (then not sent).
    public var generatorURL: String

    /// Creates an alert to post.
    public init(
        labels: LabelSet,
        annotations: LabelSet = .empty,
        startsAt: Date? = nil,
        endsAt: Date? = nil,
        generatorURL: String = ""
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}
