import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// An alert's or a group's timeline as the detail pages show it: the history events (already read through the
/// history API's scoping and paging), oldest first, each in words with links to what it names.
public struct Timeline: Sendable {
    /// A link an entry names (a silence, the inhibiting alert).
    public struct Link: Sendable, Hashable {
        /// What is linked.
        public var title: String
        /// Where.
        public var href: String
    }

    /// One event.
    public struct Entry: Sendable, Hashable {
        /// RFC 3339 time.
        public var time: String
        /// The event kind (`firing`, `notification`, ...), also the entry's CSS class.
        public var kind: String
        /// What happened, in words (`notification sent`, `silenced`, ...).
        public var summary: String
        /// Whether it is bad news (a failed notification).
        public var failed: Bool
        /// The receiver and integration (`team webhook[0]`), "" when none.
        public var target: String
        /// More: attempt, latency, status, how many alerts a notification carried, an error.
        public var detail: String
        /// Silences or alerts it names.
        public var links: [Link]
    }

    /// The entries, oldest first.
    public var entries: [Entry]
    /// The next page of the timeline, nil on the last.
    public var next: String?

    /// The timeline of `events`.
    /// - Parameters:
    ///   - next: the link of the next page, nil when there is none.
    public init(_ events: [HistoryEvent], links: UILinks, next: String? = nil) {
        entries = events.map { Self.entry($0, links: links) }
        self.next = next
    }

    static func entry(_ event: HistoryEvent, links: UILinks) -> Entry {
        var entry = Entry(
            time: GoTime.rfc3339Millis(event.time), kind: event.kind.rawValue, summary: event.kind.rawValue,
            failed: false, target: event.receiver, detail: "", links: [])
        switch event.kind {
        case .silenced:
            entry.summary = "silenced by"
            entry.links = event.detail.split(separator: ",").map { id in
                Link(title: String(id), href: links.silence(String(id)))
            }
        case .inhibited:
            entry.summary = "inhibited by"
            let source = event.detail.hasPrefix("by ") ? String(event.detail.dropFirst(3)) : event.detail
            if Fingerprint(hex: source) != nil {
                entry.links = [Link(title: "alert " + source, href: links.alert(source))]
            } else {
                entry.detail = event.detail
            }
        case .muted:
            entry.summary = "held back"
            entry.detail = event.detail
        case .notification:
            let outcome = event.outcome?.rawValue ?? "attempted"
            entry.summary = "notification " + outcome.replacingOccurrences(of: "_", with: " ")
            entry.failed = event.outcome == .failed || event.outcome == .gaveUp
            entry.target = event.integration.isEmpty ? event.receiver : "\(event.receiver) \(event.integration)"
            var parts = ["\(event.fingerprints.count) alert\(event.fingerprints.count == 1 ? "" : "s")"]
            if event.attempt > 1 { parts.append("attempt \(event.attempt)") }
            if !event.status.isEmpty { parts.append(event.status) }
            if let latency = event.latency { parts.append("\(Int((latency * 1000).rounded())) ms") }
            if !event.detail.isEmpty { parts.append(event.detail) }
            entry.detail = parts.joined(separator: " · ")
        case .firing, .resolved, .unsilenced, .uninhibited, .silence, .reload:
            entry.detail = event.detail
        }
        return entry
    }
}

/// The alert detail page: one alert's labels, annotations and state, why it is muted (the silences with links, the
/// inhibiting alert and rule), the routes that take it with their groups and verdicts, the notifications that
/// carried it and its whole timeline. The explanation and the timeline come already scoped to the reader (other
/// tenants' silences and inhibiting alerts hidden).
public struct AlertDetail: Sendable {
    /// A silence muting the alert.
    public struct SilenceRow: Sendable, Hashable {
        /// The ID ("" when hidden).
        public var id: String
        /// Its place in the silence list, nil when hidden.
        public var link: String?
        /// Its state now.
        public var state: String
        /// RFC 3339 end.
        public var endsAt: String
        /// Author and comment ("" when hidden).
        public var createdBy: String
        /// The comment.
        public var comment: String
        /// A klaxonctl maintenance window's key.
        public var maintenanceKey: String?
        /// Outside the reader's tenants.
        public var hidden: Bool
    }

    /// An alert inhibiting it.
    public struct InhibitorRow: Sendable, Hashable {
        /// Its labels ("" when hidden).
        public var labels: String
        /// Its detail page, nil when hidden.
        public var link: String?
        /// `inhibit_rules[n]`.
        public var rule: String
        /// Outside the reader's tenants.
        public var hidden: Bool
    }

    /// A route that takes the alert, with its verdict.
    public struct RouteRow: Sendable, Hashable {
        /// The receiver.
        public var receiver: String
        /// The group's labels as `group_by` picks them (`[...]` for every label).
        public var groupBy: String
        /// The group's detail page.
        public var groupLink: String
        /// The group key.
        public var groupKey: String
        /// `group_wait / group_interval / repeat_interval`.
        public var timers: String
        /// Whether the route would notify now.
        public var notifies: Bool
        /// `would notify`, or what suppresses it.
        public var verdict: String
        /// When the group last notified each integration.
        public var lastNotified: String
        /// When the group next flushes, "" when no such group is held.
        public var nextFlush: String
    }

    /// The alert as the list shows it (labels, annotations, start, generator link, silence link).
    public var alert: AlertList.Row
    /// `firing`, `silenced`, `inhibited`, `resolved`, or `gone` (only the timeline knows it).
    public var status: String
    /// Whether the store still holds the alert.
    public var held: Bool
    /// RFC 3339 end ("" when unknown or open).
    public var endsAt: String
    /// RFC 3339 time of the last update.
    public var updatedAt: String
    /// Silences muting it now.
    public var silences: [SilenceRow]
    /// Alerts inhibiting it now.
    public var inhibitors: [InhibitorRow]
    /// The routes that take it.
    public var routes: [RouteRow]
    /// The notification attempts that carried it (from the timeline).
    public var notifications: [Timeline.Entry]
    /// Its timeline.
    public var timeline: Timeline

    /// The page of an alert the store holds (`alert`, `explanation` non-nil) or one only the timeline still knows
    /// (both nil: the labels of its latest event are shown).
    /// - Parameters:
    ///   - alert: the alert with its status now, nil when the store no longer holds it.
    ///   - fingerprint: its fingerprint.
    ///   - explanation: the decision for its labels now, as the reader may see it.
    ///   - events: its timeline page (events concerning its fingerprint, oldest first).
    ///   - next: the link of the timeline's next page.
    public init(
        alert: GettableAlert?, fingerprint: String, explanation: ExplainResponse?, events: [HistoryEvent],
        next: String?, links: UILinks, now: Date
    ) {
        let known =
            alert
            ?? GettableAlert(
                labels: events.last(where: { $0.fingerprints.count == 1 })?.labels ?? events.last?.labels ?? .empty,
                startsAt: events.first(where: { $0.kind == .firing })?.time ?? .zero, endsAt: .zero, updatedAt: .zero,
                fingerprint: fingerprint, state: nil)
        self.alert = AlertList.row(known, inhibitors: [:], links: links)
        held = alert != nil
        if let alert {
            let resolved = alert.endsAt != .zero && alert.endsAt <= now
            status =
                resolved
                ? "resolved"
                : !alert.silencedBy.isEmpty ? "silenced" : !alert.inhibitedBy.isEmpty ? "inhibited" : "firing"
            endsAt = alert.endsAt == .zero ? "" : GoTime.rfc3339Millis(alert.endsAt)
            updatedAt = alert.updatedAt == .zero ? "" : GoTime.rfc3339Millis(alert.updatedAt)
        } else {
            status = "gone"
            endsAt = ""
            updatedAt = ""
        }
        silences = (explanation?.silencedBy ?? []).map { entry in
            SilenceRow(
                id: entry.id, link: entry.hidden ? nil : links.silence(entry.id), state: entry.state,
                endsAt: GoTime.rfc3339Millis(entry.endsAt), createdBy: entry.createdBy, comment: entry.comment,
                maintenanceKey: entry.maintenanceKey, hidden: entry.hidden)
        }
        inhibitors = (explanation?.inhibitedBy ?? []).map { entry in
            InhibitorRow(
                labels: entry.hidden ? "" : entry.labels.description,
                link: entry.hidden ? nil : links.alert(entry.fingerprint), rule: "inhibit_rules[\(entry.rule)]",
                hidden: entry.hidden)
        }
        let verdicts = explanation?.verdicts ?? []
        routes = (explanation?.routes ?? []).enumerated().map { index, route in
            let verdict = index < verdicts.count ? verdicts[index] : nil
            let groupBy: GroupBy = route.groupBy == ["..."] ? .all : .labels(route.groupBy)
            let groupLink = links.group(
                key: route.groupKey, receiver: route.receiver, labels: groupBy.groupLabels(of: known.labels))
            return RouteRow(
                receiver: route.receiver, groupBy: "[" + route.groupBy.joined(separator: ", ") + "]",
                groupLink: groupLink, groupKey: route.groupKey,
                timers: "\(route.groupWait) / \(route.groupInterval) / \(route.repeatInterval)",
                notifies: verdict?.notify ?? true, verdict: verdict?.reason ?? "",
                lastNotified: route.lastNotified.map { "\($0.integration) at \(GoTime.rfc3339Millis($0.at))" }
                    .joined(separator: ", "),
                nextFlush: route.nextFlush.map(GoTime.rfc3339Millis) ?? "")
        }
        timeline = Timeline(events, links: links, next: next)
        notifications = timeline.entries.filter { $0.kind == HistoryEvent.Kind.notification.rawValue }
    }
}

/// The group detail page: one aggregation group of the routing tree (its receiver, labels and key), the reader's
/// alerts in it, and the group's timeline: its alerts' events and the notifications and holds of this group.
public struct GroupDetail: Sendable {
    /// The receiver.
    public var receiver: String
    /// The group labels, each a filter link.
    public var labels: [AlertList.Pair]
    /// The group key.
    public var groupKey: String
    /// The group's alerts (those the reader may see).
    public var alerts: [AlertList.Row]
    /// The alert list narrowed to the group's labels and receiver.
    public var alertsLink: String
    /// The timeline.
    public var timeline: Timeline
    /// Whether only some of the alerts' timelines were read (a large group).
    public var timelineSampled: Bool

    /// The page of `group`.
    /// - Parameters:
    ///   - inhibitors: alerts the reader may see by fingerprint, to describe inhibiting alerts.
    ///   - events: events of the group's alerts, any order, duplicates allowed: notifications and holds of other
    ///     groups are left out.
    ///   - sampled: whether `events` come from only some of the alerts.
    public init(
        _ group: AlertGroup, inhibitors: [String: GettableAlert], events: [HistoryEvent], sampled: Bool,
        links: UILinks
    ) {
        receiver = group.receiver
        groupKey = group.groupKey
        labels = group.labels.labels.map { label in
            AlertList.Pair(
                name: label.name, value: label.value, link: links.alerts([UILinks.equal(label.name, label.value)]))
        }
        alerts = group.alerts
            .sorted { ($0.labels["alertname"] ?? "", $0.fingerprint) < ($1.labels["alertname"] ?? "", $1.fingerprint) }
            .map { AlertList.row($0, inhibitors: inhibitors, links: links) }
        alertsLink = links.page(
            "alerts",
            [
                ("filter", UILinks.matcherList(group.labels.labels.map { UILinks.equal($0.name, $0.value) })),
                ("receiver", GroupNotification.quoteMeta(group.receiver)),
            ])
        var seen = Set<Int64>()
        let kept = events.sorted { $0.sequence < $1.sequence }.filter { event in
            // Alert transitions are the alert's wherever recorded; notifications and holds must be this group's.
            let groupEvent = event.kind == .notification || event.kind == .muted
            guard !groupEvent || event.groupKey == group.groupKey else { return false }
            return seen.insert(event.sequence).inserted
        }
        timeline = Timeline(kept, links: links)
        timelineSampled = sampled
    }
}
