import Foundation
import KlaxonCore
import KlaxonGoCompat

/// JSON bodies of the API v2 GET endpoints, with Alertmanager 0.25's key order.
enum APIRender {
    /// `gettableAlert`: annotations, endsAt, fingerprint, receivers, startsAt, status, updatedAt,
    /// generatorURL (omitted when empty), labels.
    static func alert(_ view: AlertView, into w: inout GoJSONWriter) {
        w.raw("{\"annotations\":")
        w.object(view.alert.annotations)
        w.raw(",\"endsAt\":")
        w.timeRFC3339Millis(view.alert.endsAt)
        w.raw(",\"fingerprint\":")
        w.fingerprint(view.fingerprint)
        w.raw(",\"receivers\":[")
        for (index, receiver) in view.receivers.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.string(receiver)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("],\"startsAt\":")
        w.timeRFC3339Millis(view.alert.startsAt)
        w.raw(",\"status\":{\"inhibitedBy\":")
        w.stringArray(view.inhibitedBy)
        w.raw(",\"silencedBy\":")
        w.stringArray(view.silencedBy)
        w.raw(",\"state\":\"")
        switch view.state {
        case .active: w.raw("active")
        case .suppressed: w.raw("suppressed")
        case .unprocessed: w.raw("unprocessed")
        }
        w.raw("\"},\"updatedAt\":")
        w.timeRFC3339Millis(view.alert.updatedAt)
        if !view.alert.generatorURL.isEmpty {
            w.raw(",\"generatorURL\":")
            w.string(view.alert.generatorURL)
        }
        w.raw(",\"labels\":")
        w.object(view.alert.labels)
        w.raw(UInt8(ascii: "}"))
    }

    /// `GET /api/v2/alerts`, sorted by fingerprint.
    static func alerts(_ views: [AlertView]) -> GoJSONWriter {
        let sorted = views.sorted { $0.fingerprint < $1.fingerprint }
        var w = GoJSONWriter(capacity: 64 + sorted.count * 480)
        w.raw(UInt8(ascii: "["))
        for (index, view) in sorted.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            alert(view, into: &w)
        }
        w.raw(UInt8(ascii: "]"))
        return w
    }

    /// `GET /api/v2/alerts/groups`: groups by label set then receiver, alerts in notification order.
    static func groups(_ groups: [AlertGroupView]) -> GoJSONWriter {
        let sorted = groups.sorted { a, b in
            if a.labels != b.labels { return a.labels.isBefore(b.labels) }
            return a.receiver < b.receiver
        }
        var w = GoJSONWriter(capacity: 64 + sorted.reduce(0) { $0 + 64 + $1.alerts.count * 480 })
        w.raw(UInt8(ascii: "["))
        for (index, group) in sorted.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"alerts\":[")
            let alerts = group.alerts.sorted { Alert.notificationOrder($0.alert, $1.alert) }
            for (alertIndex, view) in alerts.enumerated() {
                if alertIndex > 0 { w.raw(UInt8(ascii: ",")) }
                alert(view, into: &w)
            }
            w.raw("],\"labels\":")
            w.object(group.labels)
            w.raw(",\"receiver\":{\"name\":")
            w.string(group.receiver)
            w.raw("}}")
        }
        w.raw(UInt8(ascii: "]"))
        return w
    }

    /// `gettableSilence`: id, status, updatedAt, comment, createdBy, endsAt, matchers, startsAt.
    static func silence(_ s: SilenceView, into w: inout GoJSONWriter) {
        w.raw("{\"id\":")
        w.string(s.id)
        w.raw(",\"status\":{\"state\":\"")
        switch s.state {
        case .active: w.raw("active")
        case .pending: w.raw("pending")
        case .expired: w.raw("expired")
        }
        w.raw("\"},\"updatedAt\":")
        w.timeRFC3339Millis(s.updatedAt)
        w.raw(",\"comment\":")
        w.string(s.comment)
        w.raw(",\"createdBy\":")
        w.string(s.createdBy)
        w.raw(",\"endsAt\":")
        w.timeRFC3339Millis(s.endsAt)
        w.raw(",\"matchers\":[")
        for (index, matcher) in s.matchers.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"isEqual\":")
            w.bool(matcher.type.isEqual)
            w.raw(",\"isRegex\":")
            w.bool(matcher.type.isRegex)
            w.raw(",\"name\":")
            w.string(matcher.name)
            w.raw(",\"value\":")
            w.string(matcher.value)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("],\"startsAt\":")
        w.timeRFC3339Millis(s.startsAt)
        w.raw(UInt8(ascii: "}"))
    }

    /// Alertmanager's silence list order: active by endsAt, then pending by startsAt, then expired by
    /// endsAt descending.
    static func silenceOrder(_ a: SilenceView, _ b: SilenceView) -> Bool {
        func rank(_ state: SilenceState) -> Int {
            switch state {
            case .active: 0
            case .pending: 1
            case .expired: 2
            }
        }
        if a.state != b.state { return rank(a.state) < rank(b.state) }
        switch a.state {
        case .active: return a.endsAt < b.endsAt
        case .pending: return a.startsAt < b.startsAt
        case .expired: return a.endsAt > b.endsAt
        }
    }

    /// `GET /api/v2/silences`.
    static func silences(_ silences: [SilenceView]) -> GoJSONWriter {
        var w = GoJSONWriter(capacity: 64 + silences.count * 320)
        w.raw(UInt8(ascii: "["))
        for (index, s) in silences.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            silence(s, into: &w)
        }
        w.raw(UInt8(ascii: "]"))
        return w
    }

    /// `GET /api/v2/status`.
    static func status(_ status: StatusView) -> GoJSONWriter {
        var w = GoJSONWriter(capacity: 512 + status.configYAML.utf8.count)
        w.raw("{\"cluster\":{")
        if let name = status.clusterName {
            w.raw("\"name\":")
            w.string(name)
            w.raw(UInt8(ascii: ","))
        }
        w.raw("\"peers\":[")
        for (index, peer) in status.peers.sorted(by: { $0.name < $1.name }).enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"address\":")
            w.string(peer.address)
            w.raw(",\"name\":")
            w.string(peer.name)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("],\"status\":")
        w.string(status.clusterStatus)
        w.raw("},\"config\":{\"original\":")
        w.string(status.configYAML)
        w.raw("},\"uptime\":")
        w.timeRFC3339Millis(status.uptime)
        let v = status.versionInfo
        w.raw(",\"versionInfo\":{\"branch\":")
        w.string(v.branch)
        w.raw(",\"buildDate\":")
        w.string(v.buildDate)
        w.raw(",\"buildUser\":")
        w.string(v.buildUser)
        w.raw(",\"goVersion\":")
        w.string(v.goVersion)
        w.raw(",\"revision\":")
        w.string(v.revision)
        w.raw(",\"version\":")
        w.string(v.version)
        w.raw("}}")
        return w
    }

    /// `GET /api/v2/receivers`.
    static func receivers(_ names: [String]) -> GoJSONWriter {
        var w = GoJSONWriter(capacity: 32 + names.count * 24)
        w.raw(UInt8(ascii: "["))
        for (index, name) in names.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.string(name)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "]"))
        return w
    }
}
