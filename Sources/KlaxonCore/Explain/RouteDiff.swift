/// A dry run of a routing change against live traffic: for each alert, the receivers (and groups) it reaches under
/// the running tree and under a new one, and what changes: alerts that gain or lose a receiver, groups that split
/// (one group's alerts spread over several groups of the same receiver) or merge (one new group gathers alerts of
/// several old ones).
public struct RouteDiff: Sendable, Hashable {
    /// Where one alert goes under each tree.
    public struct AlertChange: Sendable, Hashable {
        /// The alert's labels.
        public var labels: LabelSet
        /// Receivers under the running tree, in amtool's order.
        public var before: [String]
        /// Receivers under the new tree, in amtool's order.
        public var after: [String]
        /// Receivers only the new tree reaches.
        public var gained: [String] { after.filter { !before.contains($0) } }
        /// Receivers only the running tree reaches.
        public var lost: [String] { before.filter { !after.contains($0) } }
    }

    /// A group (receiver and group key) that splits or merges.
    public struct GroupChange: Sendable, Hashable {
        /// The receiver.
        public var receiver: String
        /// The group key on the side that is one group.
        public var groupKey: String
        /// The group keys on the other side.
        public var into: [String]
    }

    /// Every alert, in the order given.
    public var alerts: [AlertChange]
    /// Running groups whose alerts go to several new groups of the same receiver.
    public var splits: [GroupChange]
    /// New groups that gather alerts of several running groups of the same receiver.
    public var merges: [GroupChange]

    /// Alerts whose receivers change.
    public var changed: [AlertChange] { alerts.filter { $0.before != $0.after } }

    /// Routes every label set through both trees.
    public init(before: Route, after: Route, labelSets: [LabelSet]) {
        struct Group: Hashable {
            var receiver: String
            var key: String
        }
        func groups(_ tree: Route, _ labels: LabelSet) -> [Group] {
            tree.match(labels).map {
                Group(receiver: $0.receiver, key: $0.groupKey(groupLabels: $0.groupBy.groupLabels(of: labels)))
            }
        }
        var alerts: [AlertChange] = []
        var newKeysOfOld: [Group: Set<String>] = [:]
        var oldKeysOfNew: [Group: Set<String>] = [:]
        for labels in labelSets {
            let old = groups(before, labels)
            let new = groups(after, labels)
            alerts.append(AlertChange(labels: labels, before: old.map(\.receiver), after: new.map(\.receiver)))
            for o in old {
                for n in new where n.receiver == o.receiver {
                    newKeysOfOld[o, default: []].insert(n.key)
                    oldKeysOfNew[n, default: []].insert(o.key)
                }
            }
        }
        func changes(_ map: [Group: Set<String>]) -> [GroupChange] {
            map.filter { $0.value.count > 1 }
                .map { GroupChange(receiver: $0.key.receiver, groupKey: $0.key.key, into: $0.value.sorted()) }
                .sorted { ($0.receiver, $0.groupKey) < ($1.receiver, $1.groupKey) }
        }
        self.alerts = alerts
        splits = changes(newKeysOfOld)
        merges = changes(oldKeysOfNew)
    }
}
