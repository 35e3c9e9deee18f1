import Foundation

/// The whole notification decision for one label set at one instant ("why was I (not) paged?"): the routes that
/// take it (in the order `amtool config routes test` prints their receivers), their time intervals at that instant,
/// the silences and inhibitions that mute it, and per route a verdict in the notification pipeline's order
/// (inhibition, active time intervals, mute time intervals, silences).
///
/// Pure: the caller passes the state (the inhibitor's source alerts, the silences it may show or must count) and
/// the instant.
public struct Explanation: Sendable {
    /// A named time interval of a route and whether it holds at the explained instant.
    public struct IntervalCheck: Sendable, Hashable {
        /// The interval's name.
        public var name: String
        /// Whether the instant is inside it (false for a name the config does not define).
        public var holds: Bool

        /// Creates a check.
        public init(name: String, holds: Bool) {
            self.name = name
            self.holds = holds
        }
    }

    /// One route that takes the label set.
    public struct RouteDecision: Sendable {
        /// The route itself (receiver, timers, grouping, position).
        public var route: Route
        /// The matcher sets from the root down to the route, one entry per level (`{}` for the root).
        public var path: [String]
        /// The labels the alert's group is identified by in this route.
        public var groupLabels: LabelSet
        /// The group key (as the notification log and webhooks carry it).
        public var groupKey: String
        /// `mute_time_intervals` with whether each holds.
        public var muteTimeIntervals: [IntervalCheck]
        /// `active_time_intervals` with whether each holds.
        public var activeTimeIntervals: [IntervalCheck]
        /// When the group last notified each integration of the receiver (from the notification log; empty when
        /// the explainer has no log or the group never notified).
        public var lastNotified: [Notified] = []
        /// When the route's group (if it exists now) next flushes: it notifies then if its alerts changed or its
        /// `repeat_interval` has passed since the last notification. Nil when no such group is held.
        public var nextFlush: Date?

        /// Whether the route's time intervals keep it from notifying at the instant: outside all its active
        /// intervals (when it has any), or inside one of its mute intervals.
        public var muted: Bool { isOutsideActiveIntervals || !mutingIntervals.isEmpty }

        /// True when the route has active intervals and none holds.
        public var isOutsideActiveIntervals: Bool {
            !activeTimeIntervals.isEmpty && !activeTimeIntervals.contains(where: \.holds)
        }

        /// The mute intervals that hold.
        public var mutingIntervals: [String] { muteTimeIntervals.filter(\.holds).map(\.name) }
    }

    /// A notification-log entry of the route's group: which integration was last notified, when.
    public struct Notified: Sendable, Hashable {
        /// The integration and its index, as `webhook[0]`.
        public var integration: String
        /// When the notification was logged.
        public var at: Date

        /// Creates an entry.
        public init(integration: String, at: Date) {
            self.integration = integration
            self.at = at
        }
    }

    /// A silence that mutes the label set at the instant (active then, whatever its state now).
    public struct SilenceMatch: Sendable, Hashable {
        /// The silence.
        public var silence: Silence
        /// Its state now (a silence pending now but active at the instant is `.pending`).
        public var stateNow: SilenceState

        /// Creates a match.
        public init(silence: Silence, stateNow: SilenceState) {
            self.silence = silence
            self.stateNow = stateNow
        }
    }

    /// Why a route does not notify, in the pipeline's order of checks.
    public enum Suppression: Sendable, Hashable {
        /// A firing source alert satisfies an inhibition rule.
        case inhibited(InhibitingSource)
        /// The route has active time intervals and none holds.
        case outsideActiveTimeIntervals([String])
        /// One of the route's mute time intervals holds.
        case muteTimeInterval(String)
        /// Active silences match (their IDs).
        case silenced([String])
    }

    /// The verdict for one route.
    public struct Verdict: Sendable, Hashable {
        /// The route's receiver.
        public var receiver: String
        /// Nil when the route would notify.
        public var suppression: Suppression?

        /// Whether the route would notify.
        public var notifies: Bool { suppression == nil }
    }

    /// The explained instant.
    public var at: Date
    /// The explained labels.
    public var labels: LabelSet
    /// The routes that take the labels, in amtool's order.
    public var routes: [RouteDecision]
    /// Silences active at the instant that match the labels, ordered by ID.
    public var silencedBy: [SilenceMatch]
    /// Firing source alerts that inhibit the labels, in rule order (and fingerprint order within a rule).
    public var inhibitedBy: [InhibitingSource]
    /// One verdict per route, in the same order.
    public var verdicts: [Verdict]

    /// Runs the decision.
    /// - Parameters:
    ///   - labels: the label set to explain (an alert that may or may not exist).
    ///   - at: the instant.
    ///   - now: the present (to tell a silence's current state).
    ///   - route: the routing tree.
    ///   - timeIntervals: the config's named time intervals.
    ///   - inhibitor: the inhibition rules with the source alerts held now.
    ///   - silences: the silences to consider (all of them; the caller hides what the reader may not see).
    public init(
        labels: LabelSet, at: Date, now: Date, route: Route, timeIntervals: [String: NamedTimeInterval],
        inhibitor: Inhibitor, silences: [Silence]
    ) {
        self.at = at
        self.labels = labels
        func checks(_ names: [String]) -> [IntervalCheck] {
            names.map { IntervalCheck(name: $0, holds: timeIntervals[$0]?.contains(at) == true) }
        }
        let byPath = Dictionary(uniqueKeysWithValues: route.allRoutes.map { ($0.path, $0) })
        routes = route.match(labels).map { matched in
            var path: [String] = []
            for depth in 0...matched.path.count {
                path.append(byPath[Array(matched.path.prefix(depth))]?.matchers.description ?? "")
            }
            let groupLabels = matched.groupBy.groupLabels(of: labels)
            return RouteDecision(
                route: matched, path: path, groupLabels: groupLabels,
                groupKey: matched.groupKey(groupLabels: groupLabels),
                muteTimeIntervals: checks(matched.muteTimeIntervals),
                activeTimeIntervals: checks(matched.activeTimeIntervals))
        }
        silencedBy = silences.filter { $0.state(at: at) == .active && $0.matches(labels) }
            .sorted { $0.id < $1.id }
            .map { SilenceMatch(silence: $0, stateNow: $0.state(at: now)) }
        inhibitedBy = inhibitor.sources(inhibiting: labels, fingerprint: labels.fingerprint, now: at)
        let inhibition = inhibitedBy.first
        let silenceIDs = silencedBy.map(\.silence.id)
        verdicts = routes.map { decision in
            let suppression: Suppression? =
                if let inhibition {
                    .inhibited(inhibition)
                } else if decision.isOutsideActiveIntervals {
                    .outsideActiveTimeIntervals(decision.activeTimeIntervals.map(\.name))
                } else if let mute = decision.mutingIntervals.first {
                    .muteTimeInterval(mute)
                } else if !silenceIDs.isEmpty {
                    .silenced(silenceIDs)
                } else {
                    nil
                }
            return Verdict(receiver: decision.route.receiver, suppression: suppression)
        }
    }
}
