import Foundation
import KlaxonCore
import KlaxonGoCompat

/// The body of `POST /api/klaxon/v1/explain`: a label set and the instant to explain it at (now when absent).
public struct ExplainRequest: Sendable, Hashable {
    /// The labels of the alert to explain (it need not exist).
    public var labels: LabelSet
    /// The instant; nil means now.
    public var at: Date?

    /// Creates a request.
    public init(labels: LabelSet, at: Date? = nil) {
        self.labels = labels
        self.at = at
    }
}

extension ExplainRequest: APIJSONEncodable, APIJSONDecodable {
    /// `{"labels":{...},"at":"RFC 3339"}` (`at` omitted when nil).
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"labels\":")
        w.object(labels)
        if let at {
            w.raw(",\"at\":")
            w.timeRFC3339Nano(at)
        }
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads a request; `labels` must be an object of strings, `at` an RFC 3339 time when present.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let body = try JSONObject.object(jsonObject, "explain request")
        guard let map = body["labels"] as? [String: Any] else {
            throw APIDecodingError("field labels is not an object")
        }
        var pairs: [String: String] = [:]
        for (name, value) in map {
            guard let value = value as? String else {
                throw APIDecodingError("label \(GoQuote.quote(name)) is not a string")
            }
            pairs[name] = value
        }
        let at: Date? =
            if body["at"] == nil || body["at"] is NSNull || (body["at"] as? String)?.isEmpty == true {
                nil
            } else {
                try JSONObject.date(body, "at")
            }
        self.init(labels: LabelSet(pairs), at: at)
    }
}

/// The answer of `POST /api/klaxon/v1/explain` (and of `klaxonctl explain --config.file`): an `Explanation` as the
/// reader may see it. Silences and inhibiting alerts outside the reader's tenants still count in the verdicts, but
/// are shown as `hidden` without their IDs, labels or comments.
public struct ExplainResponse: Sendable, Hashable {
    /// A route that takes the labels.
    public struct RouteEntry: Sendable, Hashable {
        /// The receiver.
        public var receiver: String
        /// Matcher sets from the root down (`{}` for the root).
        public var path: [String]
        /// `group_by` (`["..."]` for all labels).
        public var groupBy: [String]
        /// The group key.
        public var groupKey: String
        /// `continue`.
        public var continueMatching: Bool
        /// `group_wait`, `group_interval`, `repeat_interval` as Prometheus durations.
        public var groupWait: String
        /// `group_interval`.
        public var groupInterval: String
        /// `repeat_interval`.
        public var repeatInterval: String
        /// `mute_time_intervals` and whether each holds.
        public var muteTimeIntervals: [Explanation.IntervalCheck]
        /// `active_time_intervals` and whether each holds.
        public var activeTimeIntervals: [Explanation.IntervalCheck]
        /// Whether time intervals keep the route from notifying.
        public var muted: Bool
        /// When the group last notified each integration (empty when it never did, or for a local config file).
        public var lastNotified: [Explanation.Notified] = []
        /// When the group next flushes (nil when the server holds no such group, or for a local config file).
        public var nextFlush: Date?
    }

    /// A silence that mutes the labels at the instant.
    public struct SilenceEntry: Sendable, Hashable {
        /// The ID ("" when hidden).
        public var id: String
        /// The state now (`pending` for one that starts before the instant).
        public var state: String
        /// Start and end.
        public var startsAt: Date
        /// End.
        public var endsAt: Date
        /// Author ("" when hidden).
        public var createdBy: String
        /// Comment ("" when hidden).
        public var comment: String
        /// The klaxonctl maintenance window key, when the silence is a window's.
        public var maintenanceKey: String?
        /// True for a silence outside the reader's tenants.
        public var hidden: Bool
    }

    /// An alert that inhibits the labels.
    public struct InhibitionEntry: Sendable, Hashable {
        /// The source alert's fingerprint ("" when hidden).
        public var fingerprint: String
        /// The index of the rule in `inhibit_rules`.
        public var rule: Int
        /// The source alert's labels (empty when hidden).
        public var labels: LabelSet
        /// True for a source outside the reader's tenants.
        public var hidden: Bool
    }

    /// The verdict of one route.
    public struct VerdictEntry: Sendable, Hashable {
        /// The receiver.
        public var receiver: String
        /// Whether it would notify.
        public var notify: Bool
        /// `would notify` or what suppresses it.
        public var reason: String
    }

    /// The tenant of the labels and its limits from the access file.
    public struct TenantEntry: Sendable, Hashable {
        /// The tenant label's value.
        public var name: String
        /// Its limits.
        public var limits: TenantLimits

        /// Creates an entry.
        public init(name: String, limits: TenantLimits) {
            self.name = name
            self.limits = limits
        }
    }

    /// The explained instant.
    public var at: Date
    /// The explained labels.
    public var labels: LabelSet
    /// Their fingerprint.
    public var fingerprint: String
    /// The routes, in the order amtool prints receivers.
    public var routes: [RouteEntry]
    /// Silences muting the labels at the instant.
    public var silencedBy: [SilenceEntry]
    /// Alerts inhibiting the labels.
    public var inhibitedBy: [InhibitionEntry]
    /// The tenant and its limits, when the labels name one and an access file is in force.
    public var tenant: TenantEntry?
    /// One verdict per route.
    public var verdicts: [VerdictEntry]

    /// The explanation as a reader sees it.
    /// - Parameters:
    ///   - visibleSilence: whether the reader may see a silence (others are shown as hidden).
    ///   - visibleAlert: whether the reader may see an alert with these labels.
    ///   - tenant: the labels' tenant and its limits, nil without an access file or tenant label.
    public init(
        _ explanation: Explanation, visibleSilence: (Silence) -> Bool = { _ in true },
        visibleAlert: (LabelSet) -> Bool = { _ in true }, tenant: TenantEntry? = nil
    ) {
        at = explanation.at
        labels = explanation.labels
        fingerprint = explanation.labels.fingerprint.description
        self.tenant = tenant
        routes = explanation.routes.map { decision in
            let route = decision.route
            let groupBy: [String] =
                switch route.groupBy {
                case .all: ["..."]
                case .labels(let names): names
                }
            return RouteEntry(
                receiver: route.receiver, path: decision.path, groupBy: groupBy, groupKey: decision.groupKey,
                continueMatching: route.continueMatching, groupWait: route.groupWait.description,
                groupInterval: route.groupInterval.description, repeatInterval: route.repeatInterval.description,
                muteTimeIntervals: decision.muteTimeIntervals, activeTimeIntervals: decision.activeTimeIntervals,
                muted: decision.muted, lastNotified: decision.lastNotified, nextFlush: decision.nextFlush)
        }
        var hiddenSilences: Set<String> = []
        silencedBy = explanation.silencedBy.map { match in
            let silence = match.silence
            guard visibleSilence(silence) else {
                hiddenSilences.insert(silence.id)
                return SilenceEntry(
                    id: "", state: match.stateNow.rawValue, startsAt: silence.startsAt, endsAt: silence.endsAt,
                    createdBy: "", comment: "", maintenanceKey: nil, hidden: true)
            }
            let key =
                silence.createdBy.hasPrefix(MaintenanceMarker.createdByPrefix)
                ? MaintenanceMarker.key(inComment: silence.comment) : nil
            return SilenceEntry(
                id: silence.id, state: match.stateNow.rawValue, startsAt: silence.startsAt, endsAt: silence.endsAt,
                createdBy: silence.createdBy, comment: silence.comment, maintenanceKey: key, hidden: false)
        }
        inhibitedBy = explanation.inhibitedBy.map { source in
            visibleAlert(source.labels)
                ? InhibitionEntry(
                    fingerprint: source.fingerprint.description, rule: source.rule, labels: source.labels, hidden: false
                )
                : InhibitionEntry(fingerprint: "", rule: source.rule, labels: .empty, hidden: true)
        }
        let keys = Dictionary(
            silencedBy.compactMap { entry in entry.maintenanceKey.map { (entry.id, $0) } },
            uniquingKeysWith: { first, _ in first })
        verdicts = explanation.verdicts.map { verdict in
            let reason: String
            switch verdict.suppression {
            case nil:
                reason = "would notify"
            case .inhibited(let source):
                reason =
                    visibleAlert(source.labels)
                    ? "inhibited by \(source.fingerprint) \(source.labels) (inhibit_rules[\(source.rule)])"
                    : "inhibited by an alert outside your tenants (inhibit_rules[\(source.rule)])"
            case .outsideActiveTimeIntervals(let names):
                reason = "outside its active_time_intervals (\(names.joined(separator: ", ")))"
            case .muteTimeInterval(let name):
                reason = "inside mute_time_interval \(name)"
            case .silenced(let ids):
                let named = ids.map { id in
                    if hiddenSilences.contains(id) { return "a silence outside your tenants" }
                    return keys[id].map { "\(id) (maintenance key=\($0))" } ?? id
                }
                reason = "silenced by " + named.joined(separator: ", ")
            }
            return VerdictEntry(receiver: verdict.receiver, notify: verdict.notifies, reason: reason)
        }
    }
}

extension ExplainResponse: APIJSONEncodable, APIJSONDecodable {
    /// `{"at","labels","fingerprint","routes","silencedBy","inhibitedBy","tenant","verdicts"}`.
    public func encode(to w: inout GoJSONWriter) {
        func intervals(_ checks: [Explanation.IntervalCheck]) {
            w.raw(UInt8(ascii: "["))
            for (index, check) in checks.enumerated() {
                if index > 0 { w.raw(UInt8(ascii: ",")) }
                w.raw("{\"name\":")
                w.string(check.name)
                w.raw(",\"holds\":")
                w.bool(check.holds)
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "]"))
        }
        func list<T>(_ items: [T], _ each: (T) -> Void) {
            w.raw(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { w.raw(UInt8(ascii: ",")) }
                each(item)
            }
            w.raw(UInt8(ascii: "]"))
        }
        w.raw("{\"at\":")
        w.timeRFC3339Nano(at)
        w.raw(",\"labels\":")
        w.object(labels)
        w.raw(",\"fingerprint\":")
        w.string(fingerprint)
        w.raw(",\"routes\":")
        list(routes) { r in
            w.raw("{\"receiver\":")
            w.string(r.receiver)
            w.raw(",\"path\":")
            w.stringArray(r.path)
            w.raw(",\"groupBy\":")
            w.stringArray(r.groupBy)
            w.raw(",\"groupKey\":")
            w.string(r.groupKey)
            w.raw(",\"continue\":")
            w.bool(r.continueMatching)
            w.raw(",\"groupWait\":")
            w.string(r.groupWait)
            w.raw(",\"groupInterval\":")
            w.string(r.groupInterval)
            w.raw(",\"repeatInterval\":")
            w.string(r.repeatInterval)
            w.raw(",\"muteTimeIntervals\":")
            intervals(r.muteTimeIntervals)
            w.raw(",\"activeTimeIntervals\":")
            intervals(r.activeTimeIntervals)
            w.raw(",\"muted\":")
            w.bool(r.muted)
            w.raw(",\"lastNotified\":")
            list(r.lastNotified) { n in
                w.raw("{\"integration\":")
                w.string(n.integration)
                w.raw(",\"at\":")
                w.timeRFC3339Millis(n.at)
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(",\"nextFlush\":")
            if let next = r.nextFlush { w.timeRFC3339Millis(next) } else { w.raw("null") }
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(",\"silencedBy\":")
        list(silencedBy) { s in
            w.raw("{\"id\":")
            w.string(s.id)
            w.raw(",\"state\":")
            w.string(s.state)
            w.raw(",\"startsAt\":")
            w.timeRFC3339Millis(s.startsAt)
            w.raw(",\"endsAt\":")
            w.timeRFC3339Millis(s.endsAt)
            w.raw(",\"createdBy\":")
            w.string(s.createdBy)
            w.raw(",\"comment\":")
            w.string(s.comment)
            w.raw(",\"maintenanceKey\":")
            if let key = s.maintenanceKey { w.string(key) } else { w.raw("null") }
            w.raw(",\"hidden\":")
            w.bool(s.hidden)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(",\"inhibitedBy\":")
        list(inhibitedBy) { i in
            w.raw("{\"fingerprint\":")
            w.string(i.fingerprint)
            w.raw(",\"rule\":")
            w.int(i.rule)
            w.raw(",\"labels\":")
            w.object(i.labels)
            w.raw(",\"hidden\":")
            w.bool(i.hidden)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(",\"tenant\":")
        if let tenant {
            w.raw("{\"name\":")
            w.string(tenant.name)
            for (key, value) in [
                ("maxActiveAlerts", tenant.limits.maxActiveAlerts), ("maxSilences", tenant.limits.maxSilences),
                ("maxNotificationsPerMinute", tenant.limits.maxNotificationsPerMinute),
            ] {
                w.raw(UInt8(ascii: ","))
                w.key(key)
                if let value { w.int(value) } else { w.raw("null") }
            }
            w.raw(UInt8(ascii: "}"))
        } else {
            w.raw("null")
        }
        w.raw(",\"verdicts\":")
        list(verdicts) { v in
            w.raw("{\"receiver\":")
            w.string(v.receiver)
            w.raw(",\"notify\":")
            w.bool(v.notify)
            w.raw(",\"reason\":")
            w.string(v.reason)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads an answer (klaxonctl).
    public init(jsonObject: Any) throws(APIDecodingError) {
        let body = try JSONObject.object(jsonObject, "explain answer")
        func intervals(_ any: Any?) -> [Explanation.IntervalCheck] {
            ((any as? [Any]) ?? []).compactMap { item in
                guard let o = item as? [String: Any], let name = o["name"] as? String else { return nil }
                return Explanation.IntervalCheck(name: name, holds: (o["holds"] as? Bool) ?? false)
            }
        }
        at = try JSONObject.date(body, "at")
        labels = JSONObject.labelSet(body["labels"])
        fingerprint = try JSONObject.string(body, "fingerprint", default: "")
        routes = []
        for item in try JSONObject.array(body["routes"], "routes") {
            let r = try JSONObject.object(item, "route")
            routes.append(
                RouteEntry(
                    receiver: try JSONObject.string(r, "receiver"), path: JSONObject.strings(r["path"]),
                    groupBy: JSONObject.strings(r["groupBy"]),
                    groupKey: try JSONObject.string(r, "groupKey", default: ""),
                    continueMatching: JSONObject.bool(r, "continue", default: false),
                    groupWait: try JSONObject.string(r, "groupWait", default: ""),
                    groupInterval: try JSONObject.string(r, "groupInterval", default: ""),
                    repeatInterval: try JSONObject.string(r, "repeatInterval", default: ""),
                    muteTimeIntervals: intervals(r["muteTimeIntervals"]),
                    activeTimeIntervals: intervals(r["activeTimeIntervals"]),
                    muted: JSONObject.bool(r, "muted", default: false),
                    lastNotified: ((r["lastNotified"] as? [Any]) ?? []).compactMap { item in
                        guard let n = item as? [String: Any], let integration = n["integration"] as? String,
                            let at = try? JSONObject.date(n, "at")
                        else { return nil }
                        return Explanation.Notified(integration: integration, at: at)
                    },
                    nextFlush: r["nextFlush"] is String ? try? JSONObject.date(r, "nextFlush") : nil))
        }
        silencedBy = []
        for item in (body["silencedBy"] as? [Any]) ?? [] {
            let s = try JSONObject.object(item, "silence")
            silencedBy.append(
                SilenceEntry(
                    id: try JSONObject.string(s, "id", default: ""),
                    state: try JSONObject.string(s, "state", default: ""),
                    startsAt: try JSONObject.date(s, "startsAt"), endsAt: try JSONObject.date(s, "endsAt"),
                    createdBy: try JSONObject.string(s, "createdBy", default: ""),
                    comment: try JSONObject.string(s, "comment", default: ""),
                    maintenanceKey: s["maintenanceKey"] as? String, hidden: JSONObject.bool(s, "hidden", default: false)
                ))
        }
        inhibitedBy = []
        for item in (body["inhibitedBy"] as? [Any]) ?? [] {
            let i = try JSONObject.object(item, "inhibition")
            inhibitedBy.append(
                InhibitionEntry(
                    fingerprint: try JSONObject.string(i, "fingerprint", default: ""),
                    rule: (i["rule"] as? NSNumber)?.intValue ?? 0, labels: JSONObject.labelSet(i["labels"]),
                    hidden: JSONObject.bool(i, "hidden", default: false)))
        }
        if let t = body["tenant"] as? [String: Any], let name = t["name"] as? String {
            tenant = TenantEntry(
                name: name,
                limits: TenantLimits(
                    maxActiveAlerts: (t["maxActiveAlerts"] as? NSNumber)?.intValue,
                    maxSilences: (t["maxSilences"] as? NSNumber)?.intValue,
                    maxNotificationsPerMinute: (t["maxNotificationsPerMinute"] as? NSNumber)?.intValue))
        } else {
            tenant = nil
        }
        verdicts = []
        for item in try JSONObject.array(body["verdicts"], "verdicts") {
            let v = try JSONObject.object(item, "verdict")
            verdicts.append(
                VerdictEntry(
                    receiver: try JSONObject.string(v, "receiver"),
                    notify: JSONObject.bool(v, "notify", default: false),
                    reason: try JSONObject.string(v, "reason", default: "")))
        }
    }
}
