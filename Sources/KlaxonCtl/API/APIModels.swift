import Foundation

/// A matcher as API v2 carries it (`{"name", "value", "isRegex", "isEqual"}`).
public struct APIMatcher: Sendable, Hashable, Codable {
    /// The label name.
    public var name: String
    /// The value or regular expression.
    public var value: String
    /// Whether ``value`` is a regular expression (`=~`, `!~`).
    public var isRegex: Bool
    /// Whether the matcher is positive (`=`, `=~`); `false` for `!=`, `!~`.
    public var isEqual: Bool

    /// Creates a matcher.
    public init(name: String, value: String, isRegex: Bool = false, isEqual: Bool = true) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    private enum CodingKeys: String, CodingKey { case name, value, isRegex, isEqual }

    /// Decodes a matcher; `isEqual` defaults to `true` when absent (API v2 before 0.22 had no such field).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decode(String.self, forKey: .value)
        isRegex = try c.decodeIfPresent(Bool.self, forKey: .isRegex) ?? false
        isEqual = try c.decodeIfPresent(Bool.self, forKey: .isEqual) ?? true
    }

    /// The operator: `=`, `!=`, `=~` or `!~`.
    public var operatorSymbol: String {
        switch (isEqual, isRegex) {
        case (true, false): "="
        case (false, false): "!="
        case (true, true): "=~"
        case (false, true): "!~"
        }
    }
}

extension APIMatcher: CustomStringConvertible {
    /// `name="value"` with `\`, newline and `"` escaped, as Alertmanager's `labels.Matcher.String()`.
    public var description: String {
        var escaped = ""
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"": escaped += "\\\""
            default: escaped.unicodeScalars.append(ch)
            }
        }
        return "\(name)\(operatorSymbol)\"\(escaped)\""
    }
}

/// A silence as `GET /api/v2/silences` returns it (`gettableSilence`).
public struct APISilence: Sendable, Hashable {
    /// The silence ID.
    public var id: String
    /// `active`, `pending` or `expired`.
    public var state: String
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
    /// The matchers, in the order stored.
    public var matchers: [APIMatcher]

    /// Creates a silence.
    public init(
        id: String, state: String, startsAt: Date, endsAt: Date, updatedAt: Date, createdBy: String, comment: String,
        matchers: [APIMatcher]
    ) {
        self.id = id
        self.state = state
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
        self.matchers = matchers
    }

    /// The same silence as a `postableSilence` (keeping its ID).
    public var postable: PostableSilence {
        PostableSilence(
            id: id, matchers: matchers, startsAt: startsAt, endsAt: endsAt, createdBy: createdBy, comment: comment)
    }
}

/// A silence to create or update (`postableSilence`); `id` set means "update this one".
public struct PostableSilence: Sendable, Hashable {
    /// The ID of the silence to replace, or nil to create one.
    public var id: String?
    /// The matchers.
    public var matchers: [APIMatcher]
    /// When the silence starts.
    public var startsAt: Date
    /// When the silence ends.
    public var endsAt: Date
    /// The author.
    public var createdBy: String
    /// The comment.
    public var comment: String

    /// Creates a silence to post.
    public init(
        id: String? = nil, matchers: [APIMatcher], startsAt: Date, endsAt: Date, createdBy: String, comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }
}

/// An alert as `GET /api/v2/alerts` returns it (`gettableAlert`).
public struct APIAlert: Sendable, Hashable {
    /// The labels.
    public var labels: [String: String]
    /// The annotations.
    public var annotations: [String: String]
    /// When the alert started firing.
    public var startsAt: Date
    /// When the alert ends (or is presumed resolved).
    public var endsAt: Date
    /// When the server last received it.
    public var updatedAt: Date
    /// The label-set fingerprint (16 hex digits).
    public var fingerprint: String
    /// The receivers the alert routes to.
    public var receivers: [String]
    /// The generator URL, when given.
    public var generatorURL: String?
    /// `active`, `suppressed` or `unprocessed`.
    public var state: String
    /// IDs of the silences muting the alert.
    public var silencedBy: [String]
    /// Fingerprints of the alerts inhibiting it.
    public var inhibitedBy: [String]

    /// Creates an alert.
    public init(
        labels: [String: String], annotations: [String: String] = [:], startsAt: Date, endsAt: Date, updatedAt: Date,
        fingerprint: String = "", receivers: [String] = [], generatorURL: String? = nil, state: String = "active",
        silencedBy: [String] = [], inhibitedBy: [String] = []
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.fingerprint = fingerprint
        self.receivers = receivers
        self.generatorURL = generatorURL
        self.state = state
        self.silencedBy = silencedBy
        self.inhibitedBy = inhibitedBy
    }
}

/// An alert to post (`postableAlert`).
public struct PostableAlert: Sendable, Hashable {
    /// The labels.
    public var labels: [String: String]
    /// The annotations.
    public var annotations: [String: String]
    /// When it started; nil lets the server use the time of receipt.
    public var startsAt: Date?
    /// When it ends; nil lets the server apply `resolve_timeout`.
    public var endsAt: Date?
    /// The generator URL.
    public var generatorURL: String?

    /// Creates an alert to post.
    public init(
        labels: [String: String], annotations: [String: String] = [:], startsAt: Date? = nil, endsAt: Date? = nil,
        generatorURL: String? = nil
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}

/// The filters of `GET /api/v2/alerts`.
public struct AlertQuery: Sendable, Hashable {
    /// Include active alerts.
    public var active: Bool
    /// Include silenced alerts.
    public var silenced: Bool
    /// Include inhibited alerts.
    public var inhibited: Bool
    /// Include unprocessed alerts.
    public var unprocessed: Bool
    /// Matcher strings sent as `filter`.
    public var filter: [String]
    /// A receiver regex; empty means any.
    public var receiver: String

    /// Creates a query; the defaults are the server's (everything).
    public init(
        active: Bool = true, silenced: Bool = true, inhibited: Bool = true, unprocessed: Bool = true,
        filter: [String] = [], receiver: String = ""
    ) {
        self.active = active
        self.silenced = silenced
        self.inhibited = inhibited
        self.unprocessed = unprocessed
        self.filter = filter
        self.receiver = receiver
    }
}

/// What `GET /api/v2/status` returns.
public struct APIStatus: Sendable, Hashable {
    /// A cluster peer.
    public struct Peer: Sendable, Hashable {
        /// The peer name.
        public var name: String
        /// Its address.
        public var address: String
        /// Creates a peer.
        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// The running configuration as YAML (`config.original`).
    public var config: String
    /// When the server started.
    public var uptime: Date
    /// `versionInfo` (branch, buildDate, buildUser, goVersion, revision, version).
    public var versionInfo: [String: String]
    /// The cluster name.
    public var clusterName: String
    /// `ready`, `settling` or `disabled`.
    public var clusterStatus: String
    /// The cluster peers.
    public var peers: [Peer]

    /// Creates a status.
    public init(
        config: String, uptime: Date, versionInfo: [String: String] = [:], clusterName: String = "",
        clusterStatus: String = "disabled", peers: [Peer] = []
    ) {
        self.config = config
        self.uptime = uptime
        self.versionInfo = versionInfo
        self.clusterName = clusterName
        self.clusterStatus = clusterStatus
        self.peers = peers
    }
}
