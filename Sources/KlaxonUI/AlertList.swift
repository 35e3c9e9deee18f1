import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// The alert list: alerts (already filtered by the API's matcher rules and the caller's scope) sorted by a
/// label, one page of them, grouped by that label's value, each with why it is muted.
public struct AlertList: Sendable {
    /// A label or annotation.
    public struct Pair: Sendable, Hashable {
        /// The name.
        public var name: String
        /// The value.
        public var value: String
        /// The alert list filtered by this label (nil for annotations).
        public var link: String?
    }

    /// A silence muting an alert.
    public struct SilenceRef: Sendable, Hashable {
        /// The silence ID.
        public var id: String
        /// Its page.
        public var link: String
    }

    /// An alert inhibiting another.
    public struct InhibitorRef: Sendable, Hashable {
        /// The inhibiting alert's fingerprint.
        public var fingerprint: String
        /// Its labels (`{a="1", ...}`), empty when the caller cannot see it or it is gone.
        public var labels: String
        /// The alert list narrowed to it, nil when the caller cannot see it.
        public var link: String?
    }

    /// One alert as the page shows it.
    public struct Row: Sendable, Hashable {
        /// `alertname`.
        public var name: String
        /// The fingerprint.
        public var fingerprint: String
        /// `active` or `suppressed`.
        public var state: String
        /// Whether neither silenced nor inhibited.
        public var firing: Bool
        /// The labels, sorted.
        public var labels: [Pair]
        /// The annotations, sorted.
        public var annotations: [Pair]
        /// `startsAt`, RFC 3339.
        public var startsAt: String
        /// The generator URL, nil when empty.
        public var generatorURL: String?
        /// The receivers it routes to.
        public var receivers: String
        /// Silences muting it.
        public var silencedBy: [SilenceRef]
        /// Alerts inhibiting it.
        public var inhibitedBy: [InhibitorRef]
        /// The silence editor pre-filled with its labels.
        public var silenceLink: String
        /// Its detail page.
        public var detailLink: String
    }

    /// Alerts sharing the value of the grouping label, or one aggregation group of the routing tree.
    public struct Group: Sendable, Hashable {
        /// `label="value"`, or the group labels of a route's group.
        public var title: String
        /// A route's group: its receiver.
        public var receiver: String?
        /// A route's group: its detail page.
        public var link: String?
        /// How many alerts of the group are on this page.
        public var count: Int
        /// The alerts.
        public var alerts: [Row]
    }

    /// The groups of the current page.
    public var groups: [Group]
    /// How many alerts match in all.
    public var total: Int
    /// Whether the groups are the routing tree's aggregation groups (an alert may then be listed once per group).
    public var byRouteGroups: Bool = false
    /// The page shown (from 1).
    public var page: Int
    /// How many pages.
    public var pages: Int

    /// Builds one page.
    /// - Parameters:
    ///   - alerts: the alerts to show (filtered and scoped).
    ///   - inhibitors: every alert the caller may see by fingerprint, to describe inhibiting alerts.
    ///   - groupBy: the grouping label (`""`: one group).
    public init(
        alerts: [GettableAlert], inhibitors: [String: GettableAlert], groupBy: String, links: UILinks, page: Int = 1,
        pageSize: Int = 100
    ) {
        // The sort keys are read once per alert, not once per comparison (100k alerts on a big installation).
        let sorted = alerts.map { (group: $0.labels[groupBy] ?? "", name: $0.labels["alertname"] ?? "", alert: $0) }
            .sorted { a, b in
                if a.group != b.group { return a.group < b.group }
                if a.name != b.name { return a.name < b.name }
                return a.alert.fingerprint < b.alert.fingerprint
            }
            .map(\.alert)
        let entries = sorted.map { alert in
            let title = groupBy.isEmpty ? "all alerts" : "\(groupBy)=\(GoQuote.quote(alert.labels[groupBy] ?? ""))"
            return (group: Group(title: title, receiver: nil, link: nil, count: 0, alerts: []), alert: alert)
        }
        self.init(entries, total: sorted.count, inhibitors: inhibitors, links: links, page: page, pageSize: pageSize)
    }

    /// Builds one page grouped as the dispatcher groups the alerts (`GET /api/v2/alerts/groups`): each group of the
    /// routing tree with its receiver, in the API's order, its alerts by name then fingerprint. An alert that
    /// several routes take is listed in each of their groups; `total` counts it once.
    /// - Parameters:
    ///   - groups: the groups (filtered and scoped), each with its group key.
    ///   - inhibitors: every alert the caller may see by fingerprint, to describe inhibiting alerts.
    public init(
        groups: [AlertGroup], inhibitors: [String: GettableAlert], links: UILinks, page: Int = 1, pageSize: Int = 100
    ) {
        var entries: [(group: Group, alert: GettableAlert)] = []
        var fingerprints = Set<String>()
        for group in groups.sorted(by: AlertGroup.listOrder) {
            let header = Group(
                title: group.labels.description, receiver: group.receiver,
                link: group.groupKey.isEmpty
                    ? nil : links.group(key: group.groupKey, receiver: group.receiver, labels: group.labels),
                count: 0, alerts: [])
            let alerts = group.alerts.map { (name: $0.labels["alertname"] ?? "", alert: $0) }
                .sorted { $0.name != $1.name ? $0.name < $1.name : $0.alert.fingerprint < $1.alert.fingerprint }
            for (_, alert) in alerts {
                entries.append((header, alert))
                fingerprints.insert(alert.fingerprint)
            }
        }
        self.init(
            entries, total: fingerprints.count, inhibitors: inhibitors, links: links, page: page, pageSize: pageSize)
        byRouteGroups = true
    }

    /// One page of `entries` (in display order, each with the header of its group), consecutive alerts of the same
    /// group under one header.
    private init(
        _ entries: [(group: Group, alert: GettableAlert)], total: Int, inhibitors: [String: GettableAlert],
        links: UILinks, page: Int, pageSize: Int
    ) {
        let size = max(1, pageSize)
        self.total = total
        pages = max(1, (entries.count + size - 1) / size)
        self.page = min(max(1, page), pages)
        var groups: [Group] = []
        for (header, alert) in entries.dropFirst((self.page - 1) * size).prefix(size) {
            let row = Self.row(alert, inhibitors: inhibitors, links: links)
            if let last = groups.last, last.title == header.title, last.receiver == header.receiver,
                last.link == header.link
            {
                groups[groups.count - 1].alerts.append(row)
                groups[groups.count - 1].count += 1
            } else {
                var group = header
                group.count = 1
                group.alerts = [row]
                groups.append(group)
            }
        }
        self.groups = groups
    }

    /// Only http(s) URLs become links: a posted alert must not be able to put `javascript:` into a page.
    static func isWebLink(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    static func row(_ alert: GettableAlert, inhibitors: [String: GettableAlert], links: UILinks) -> Row {
        let labels = alert.labels.labels.map { label in
            Pair(name: label.name, value: label.value, link: links.alerts([UILinks.equal(label.name, label.value)]))
        }
        let matchers = alert.labels.labels.map { UILinks.equal($0.name, $0.value) }
        return Row(
            name: alert.labels["alertname"] ?? "", fingerprint: alert.fingerprint,
            state: (alert.state ?? .active).rawValue,
            firing: alert.silencedBy.isEmpty && alert.inhibitedBy.isEmpty, labels: labels,
            annotations: alert.annotations.labels.map { Pair(name: $0.name, value: $0.value, link: nil) },
            startsAt: GoTime.rfc3339Millis(alert.startsAt),
            generatorURL: isWebLink(alert.generatorURL) ? alert.generatorURL : nil,
            receivers: alert.receivers.joined(separator: ", "),
            silencedBy: alert.silencedBy.map { SilenceRef(id: $0, link: links.silence($0)) },
            inhibitedBy: alert.inhibitedBy.map { fingerprint in
                guard let inhibitor = inhibitors[fingerprint] else {
                    return InhibitorRef(fingerprint: fingerprint, labels: "", link: nil)
                }
                return InhibitorRef(
                    fingerprint: fingerprint, labels: inhibitor.labels.description, link: links.alert(fingerprint))
            },
            silenceLink: links.newSilence(matchers), detailLink: links.alert(alert.fingerprint))
    }
}
