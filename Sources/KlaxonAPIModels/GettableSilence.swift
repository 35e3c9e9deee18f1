import Foundation
import KlaxonCore

/// A silence as `GET /api/v2/silences` and `GET /api/v2/silence/{silenceID}` carry it (Alertmanager's
/// `gettableSilence`): what the server renders and klaxonctl reads back.
///
/// The matchers are the wire form, `KlaxonCore.SilenceMatcherSpec` (name, operator, value; not compiled), and a
/// silence to post is `KlaxonCore.PostableSilence`, which already is the wire model of `postableSilence`.
public struct GettableSilence: Sendable, Hashable {
    /// The silence ID (a UUID string).
    public var id: String
    /// The matchers, in the order stored.
    public var matchers: [SilenceMatcherSpec]
    /// When the silence starts.
    public var startsAt: Date
    /// When the silence ends.
    public var endsAt: Date
    /// When the silence was last changed.
    public var updatedAt: Date
    /// The author.
    public var createdBy: String
    /// The comment.
    public var comment: String
    /// `status.state`; nil when a document has no known state (Go's model holds it as a pointer). The server
    /// always sets it.
    public var state: SilenceState?

    /// Creates a silence.
    public init(
        id: String,
        state: SilenceState?,
        startsAt: Date,
        endsAt: Date,
        updatedAt: Date,
        createdBy: String,
        comment: String,
        matchers: [SilenceMatcherSpec]
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
        self.state = state
    }

    /// A stored silence as the API shows it at `now`.
    public init(_ silence: Silence, now: Date) {
        self.init(
            id: silence.id, state: silence.state(at: now), startsAt: silence.startsAt, endsAt: silence.endsAt,
            updatedAt: silence.updatedAt, createdBy: silence.createdBy, comment: silence.comment,
            matchers: silence.matchers.map(SilenceMatcherSpec.init))
    }

    /// The same silence as a `postableSilence`, keeping its ID (so posting it updates it).
    public var postable: PostableSilence {
        PostableSilence(
            id: id, matchers: matchers, startsAt: startsAt, endsAt: endsAt, createdBy: createdBy, comment: comment)
    }
}
