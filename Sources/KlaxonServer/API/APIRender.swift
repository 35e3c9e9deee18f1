import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// JSON bodies of the API v2 GET endpoints, with Alertmanager 0.25's key order.
enum APIRender {
    /// `GET /api/v2/alerts`, sorted by fingerprint.
    static func alerts(_ views: [GettableAlert]) -> GoJSONWriter {
        let sorted = views.sorted { $0.fingerprint < $1.fingerprint }
        var w = GoJSONWriter(capacity: 64 + sorted.count * 480)
        sorted.encode(to: &w)
        return w
    }

    /// `GET /api/v2/alerts/groups`: groups by label set then receiver, alerts in notification order.
    static func groups(_ groups: [AlertGroup]) -> GoJSONWriter {
        let sorted = groups.sorted(by: AlertGroup.listOrder)
        let ordered = sorted.map { group in
            var group = group
            group.alerts.sort(by: notificationOrder)
            return group
        }
        var w = GoJSONWriter(capacity: 64 + ordered.reduce(0) { $0 + 64 + $1.alerts.count * 480 })
        ordered.encode(to: &w)
        return w
    }

    /// Alertmanager's order of a group's alerts (`Alert.notificationOrder`, which looks at the labels only).
    private static func notificationOrder(_ a: GettableAlert, _ b: GettableAlert) -> Bool {
        func alert(_ view: GettableAlert) -> Alert {
            Alert(labels: view.labels, startsAt: view.startsAt, endsAt: view.endsAt, updatedAt: view.updatedAt)
        }
        return Alert.notificationOrder(alert(a), alert(b))
    }

    /// Alertmanager's silence list order: active by endsAt, then pending by startsAt, then expired by
    /// endsAt descending.
    static func silenceOrder(_ a: GettableSilence, _ b: GettableSilence) -> Bool {
        func rank(_ state: SilenceState?) -> Int {
            switch state {
            case .active: 0
            case .pending: 1
            case .expired: 2
            case nil: 3
            }
        }
        if a.state != b.state { return rank(a.state) < rank(b.state) }
        switch a.state {
        case .active, nil: return a.endsAt < b.endsAt
        case .pending: return a.startsAt < b.startsAt
        case .expired: return a.endsAt > b.endsAt
        }
    }

    /// `GET /api/v2/silences`.
    static func silences(_ silences: [GettableSilence]) -> GoJSONWriter {
        var w = GoJSONWriter(capacity: 64 + silences.count * 320)
        silences.encode(to: &w)
        return w
    }

    /// `GET /api/v2/status`, peers sorted by name.
    static func status(_ status: AlertmanagerStatus) -> GoJSONWriter {
        var sorted = status
        sorted.peers.sort { $0.name < $1.name }
        var w = GoJSONWriter(capacity: 512 + status.configYAML.utf8.count)
        sorted.encode(to: &w)
        return w
    }

    /// `GET /api/v2/receivers`, in configuration order.
    static func receivers(_ names: [String]) -> GoJSONWriter {
        var w = GoJSONWriter(capacity: 32 + names.count * 24)
        names.map(Receiver.init(name:)).encode(to: &w)
        return w
    }
}
