import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonTemplate
import Testing

@testable import KlaxonNotify

/// Payloads recorded from the real Alertmanager 0.25 (`Fixtures/Notifiers/recorder/drive.py`): each receiver of
/// `alertmanager.yml` has a webhook next to its Slack or PagerDuty integration, so `hook_<receiver>.<n>.body` is
/// the notification that produced `<integration>_<case>.<n>.body`, byte for byte.
enum RecordedNotifications {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Notifiers")

    /// The external URL the recording ran with.
    static let externalURL = "http://alertmanager.test:9093"

    static func config() throws -> Config {
        let text = try String(contentsOf: directory.appendingPathComponent("alertmanager.yml"), encoding: .utf8)
        return try Config.parse(yaml: text, baseDirectory: directory.path)
    }

    static func receiver(_ name: String) throws -> Receiver {
        try #require(try config().receiver(named: name))
    }

    /// The default templates plus `recorder.tmpl`.
    static func templates() throws -> TemplateSet {
        try TemplateSet.defaults().adding(globs: ["recorder.tmpl"], relativeTo: directory.path)
    }

    static func recorded(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("recorded/\(name)")))
    }

    /// The notification a recorded webhook body describes. `now` is just after the last resolved alert ended
    /// (or after the start, when every alert fires), so every alert has the status Alertmanager gave it.
    static func notification(hook name: String, receiver: String) throws -> GroupNotification {
        try notification(hookBody: recorded(name), receiver: receiver)
    }

    /// The notification a webhook body describes.
    static func notification(hookBody: [UInt8], receiver: String) throws -> GroupNotification {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(hookBody)) as? [String: Any])
        let groupKey = try #require(object["groupKey"] as? String)
        let groupLabels = LabelSet(try #require(object["groupLabels"] as? [String: String]))
        var alerts: [Alert] = []
        var now = Date.zero
        for case let item as [String: Any] in try #require(object["alerts"] as? [Any]) {
            let startsAt = try date(item["startsAt"])
            let endsAt = try date(item["endsAt"])
            alerts.append(
                Alert(
                    labels: LabelSet(try #require(item["labels"] as? [String: String])),
                    annotations: LabelSet(try #require(item["annotations"] as? [String: String])),
                    startsAt: startsAt, endsAt: endsAt, generatorURL: item["generatorURL"] as? String ?? "",
                    updatedAt: startsAt))
            now = max(now, endsAt == .zero ? startsAt + 10 : endsAt + 0.5)
        }
        return GroupNotification(
            receiver: receiver, groupKey: groupKey, groupLabels: groupLabels, alerts: alerts, now: now)
    }

    private static func date(_ value: Any?) throws -> Date {
        let text = try #require(value as? String)
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        if text == "0001-01-01T00:00:00Z" { return .zero }
        return try #require(ISO8601DateFormatter().date(from: text))
    }
}

/// The first difference of two bodies (nil when they are equal), short enough to read in a failure.
func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
    if actual == expected { return nil }
    let common = zip(actual, expected).prefix { $0 == $1 }.count
    let from = max(0, common - 60)
    let a = String(decoding: actual[from..<min(actual.count, common + 60)], as: UTF8.self)
    let e = String(decoding: expected[from..<min(expected.count, common + 60)], as: UTF8.self)
    return "at byte \(common) (sizes \(actual.count) vs \(expected.count)):\n  got  …\(a)\n  want …\(e)"
}
