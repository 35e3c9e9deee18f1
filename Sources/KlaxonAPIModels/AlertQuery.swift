/// The query parameters of `GET /api/v2/alerts` and `GET /api/v2/alerts/groups` as sent, before the server
/// parses the matchers.
public struct AlertQuery: Sendable, Hashable {
    /// `active`: include active alerts.
    public var active: Bool
    /// `silenced`: include silenced alerts.
    public var silenced: Bool
    /// `inhibited`: include inhibited alerts.
    public var inhibited: Bool
    /// `unprocessed`: include unprocessed alerts (accepted and ignored, as in Alertmanager).
    public var unprocessed: Bool
    /// `filter`: matcher strings (`name="value"`, ...); every one must match.
    public var filter: [String]
    /// `receiver`: a regular expression on receiver names; empty means any.
    public var receiver: String
    /// `muted`: groups only, include groups muted by a time interval (0.28+; accepted).
    public var muted: Bool

    /// Creates a query; the defaults are the server's (everything).
    public init(
        active: Bool = true,
        silenced: Bool = true,
        inhibited: Bool = true,
        unprocessed: Bool = true,
        filter: [String] = [],
        receiver: String = "",
        muted: Bool = true
    ) {
        self.active = active
        self.silenced = silenced
        self.inhibited = inhibited
        self.unprocessed = unprocessed
        self.filter = filter
        self.receiver = receiver
        self.muted = muted
    }
}
