/// A node of the routing tree with every option resolved (inheritance applied), as Alertmanager's
/// `dispatch.Route`. Immutable; built once per config load.
public final class Route: Sendable {
    /// The route's own matchers, sorted by name, value, operator.
    public let matchers: Matchers
    /// The receiver name.
    public let receiver: String
    /// Grouping.
    public let groupBy: GroupBy
    /// `group_wait`.
    public let groupWait: PromDuration
    /// `group_interval`.
    public let groupInterval: PromDuration
    /// `repeat_interval`.
    public let repeatInterval: PromDuration
    /// `continue`.
    public let continueMatching: Bool
    /// `mute_time_intervals` of this route only.
    public let muteTimeIntervals: [String]
    /// `active_time_intervals` of this route only.
    public let activeTimeIntervals: [String]
    /// Children, in config order.
    public let routes: [Route]
    /// The route key used in group keys: the path of matcher sets from the root, `/`-joined (`{}/{team="pd"}`).
    public let key: String
    /// Position in the tree: child indexes from the root (root is `[]`).
    public let path: [Int]
    /// Which children can take an alert, by label value (built here, once).
    let childIndex: RouteChildIndex

    /// Defaults applied at the root when the config leaves them out.
    public static let defaultGroupWait = PromDuration.seconds(30)
    /// Default `group_interval`.
    public static let defaultGroupInterval = PromDuration.minutes(5)
    /// Default `repeat_interval`.
    public static let defaultRepeatInterval = PromDuration.hours(4)

    /// Builds the tree from its spec, applying inheritance. The root's `receiver` must be set (the config
    /// loader validates this); an unset root receiver becomes the empty string.
    public convenience init(root spec: RouteSpec) {
        self.init(spec: spec, parent: nil, path: [])
    }

    /// The resolved options a child inherits.
    private struct Inherited {
        var receiver: String
        var groupBy: GroupBy
        var groupWait: PromDuration
        var groupInterval: PromDuration
        var repeatInterval: PromDuration
        var key: String
    }

    private init(spec: RouteSpec, parent: Inherited?, path: [Int]) {
        let sortedMatchers = Matchers(spec.matchers).sorted
        let resolved = Inherited(
            receiver: spec.receiver ?? parent?.receiver ?? "",
            groupBy: spec.groupBy ?? parent?.groupBy ?? .labels([]),
            groupWait: spec.groupWait ?? parent?.groupWait ?? Route.defaultGroupWait,
            groupInterval: spec.groupInterval ?? parent?.groupInterval ?? Route.defaultGroupInterval,
            repeatInterval: spec.repeatInterval ?? parent?.repeatInterval ?? Route.defaultRepeatInterval,
            key: parent.map { $0.key + "/" + sortedMatchers.description } ?? sortedMatchers.description
        )
        matchers = sortedMatchers
        receiver = resolved.receiver
        groupBy = resolved.groupBy
        groupWait = resolved.groupWait
        groupInterval = resolved.groupInterval
        repeatInterval = resolved.repeatInterval
        key = resolved.key
        continueMatching = spec.continueMatching
        muteTimeIntervals = spec.muteTimeIntervals
        activeTimeIntervals = spec.activeTimeIntervals
        self.path = path
        routes = spec.routes.enumerated().map { index, child in
            Route(spec: child, parent: resolved, path: path + [index])
        }
        childIndex = RouteChildIndex(children: routes.map(\.matchers))
    }

    /// The routes that take an alert with these labels, depth first in tree order (Alertmanager's `Match`):
    /// children are tried in order and matching stops after the first matching child unless it has
    /// `continue`; a route none of whose children match takes the alert itself.
    ///
    /// Children that cannot accept the alert's value of an indexed label are skipped without being evaluated
    /// (see `RouteChildIndex`); the result is the same as trying every child.
    public func match(_ labels: LabelSet) -> [Route] {
        var result: [Route] = []
        collectMatches(labels, into: &result)
        return result
    }

    /// Appends the routes that take the alert to `result`; returns whether this route's matchers accept it
    /// (Alertmanager's "non-nil" result: a matching route always contributes itself or a descendant).
    @discardableResult
    private func collectMatches(_ labels: LabelSet, into result: inout [Route]) -> Bool {
        guard matchers.matches(labels) else { return false }
        let before = result.count
        // By position: children are read in place, not copied into a loop variable each.
        let steps = childIndex.steps
        walk: for stepIndex in steps.indices {
            switch steps[stepIndex] {
            case .child(let position):
                if routes[position].collectMatches(labels, into: &result), !routes[position].continueMatching {
                    break walk
                }
            case .table(let label, let table):
                guard let candidates = table[labels[label] ?? ""] else { continue walk }
                for position in candidates {
                    if routes[position].collectMatches(labels, into: &result), !routes[position].continueMatching {
                        break walk
                    }
                }
            }
        }
        if result.count == before { result.append(self) }
        return true
    }

    /// Every route of the tree, depth first, root first.
    public var allRoutes: [Route] {
        [self] + routes.flatMap(\.allRoutes)
    }

    /// The group key of an alert's group in this route: `<route key>:<group labels>`.
    public func groupKey(groupLabels: LabelSet) -> String {
        key + ":" + groupLabels.description
    }
}
