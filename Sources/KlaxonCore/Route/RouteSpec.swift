/// A route as written in alertmanager.yml: every option optional, so inheritance can be applied.
public struct RouteSpec: Sendable, Hashable {
    /// `receiver`; inherited when nil.
    public var receiver: String?
    /// `group_by`; inherited when nil.
    public var groupBy: GroupBy?
    /// `group_wait`; inherited when nil (root default 30s).
    public var groupWait: PromDuration?
    /// `group_interval`; inherited when nil (root default 5m).
    public var groupInterval: PromDuration?
    /// `repeat_interval`; inherited when nil (root default 4h).
    public var repeatInterval: PromDuration?
    /// The union of `match`, `match_re` and `matchers`, in any order (the route sorts them).
    public var matchers: [Matcher]
    /// `continue`.
    public var continueMatching: Bool
    /// `mute_time_intervals` (not inherited).
    public var muteTimeIntervals: [String]
    /// `active_time_intervals` (not inherited).
    public var activeTimeIntervals: [String]
    /// Child routes.
    public var routes: [RouteSpec]

    /// Creates a route spec.
    public init(
        receiver: String? = nil,
        groupBy: GroupBy? = nil,
        groupWait: PromDuration? = nil,
        groupInterval: PromDuration? = nil,
        repeatInterval: PromDuration? = nil,
        matchers: [Matcher] = [],
        continueMatching: Bool = false,
        muteTimeIntervals: [String] = [],
        activeTimeIntervals: [String] = [],
        routes: [RouteSpec] = []
    ) {
        self.receiver = receiver
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.matchers = matchers
        self.continueMatching = continueMatching
        self.muteTimeIntervals = muteTimeIntervals
        self.activeTimeIntervals = activeTimeIntervals
        self.routes = routes
    }
}

/// How a route groups alerts.
public enum GroupBy: Sendable, Hashable {
    /// Group by these label names (empty: everything in one group).
    case labels([String])
    /// `group_by: ['...']`: group by all labels.
    case all

    /// The label set that identifies the group of an alert with these labels.
    public func groupLabels(of labels: LabelSet) -> LabelSet {
        switch self {
        case .all: labels
        case .labels(let names): names.isEmpty ? .empty : labels.restricted(to: names)
        }
    }
}
