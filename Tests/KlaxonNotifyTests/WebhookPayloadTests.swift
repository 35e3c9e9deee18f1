import Foundation
import KlaxonCore
import Testing

@testable import KlaxonNotify

@Test func webhookPayloadIsByteIdenticalToAlertmanagers() throws {
    let startsAt = try #require(ISO8601DateFormatter().date(from: "2026-11-22T06:10:39Z")) + 0.551642
    let alert = Alert(
        labels: ["alertname": "InhibitTest", "cluster": "c2", "severity": "warning"],
        startsAt: startsAt, endsAt: .zero, updatedAt: startsAt)
    let notification = GroupNotification(
        receiver: "web", groupKey: #"{}:{alertname="InhibitTest"}"#, groupLabels: ["alertname": "InhibitTest"],
        alerts: [alert], now: startsAt + 5)
    let body = String(
        decoding: WebhookPayload.encode(notification, externalURL: "http://vm:19093", maxAlerts: 0), as: UTF8.self)
    let expected = #"""
        {"receiver":"web","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"InhibitTest","cluster":"c2","severity":"warning"},"annotations":{},"startsAt":"2026-11-22T06:10:39.551642Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"49f30b4cf5ae4bd7"}],"groupLabels":{"alertname":"InhibitTest"},"commonLabels":{"alertname":"InhibitTest","cluster":"c2","severity":"warning"},"commonAnnotations":{},"externalURL":"http://vm:19093","version":"4","groupKey":"{}:{alertname=\"InhibitTest\"}","truncatedAlerts":0}

        """#
    #expect(body == expected)
}

@Test func maxAlertsTruncatesAndCommonLabelsFollowTheBatch() {
    let t = Date(timeIntervalSince1970: 1_800_000_000)
    let alerts = ["a", "b", "c"].map {
        Alert(labels: ["alertname": "X", "instance": $0], startsAt: t, endsAt: t - 1, updatedAt: t)
    }
    let notification = GroupNotification(
        receiver: "a.b", groupKey: "{}:{}", groupLabels: .empty, alerts: alerts, now: t)
    let body = String(decoding: WebhookPayload.encode(notification, externalURL: "x", maxAlerts: 1), as: UTF8.self)
    #expect(body.contains(#""truncatedAlerts":2"#))
    #expect(body.contains(#""commonLabels":{"alertname":"X","instance":"a"}"#))
    #expect(body.contains(#""receiver":"a\\.b""#))
    #expect(body.contains(#""status":"resolved""#))
}

@Test func jsonEscapesLikeGo() {
    var json = GoJSONWriter()
    json.string("<a & b>\n\u{2028}\"\\\u{1}é")
    #expect(String(decoding: json.bytes, as: UTF8.self) == #""\u003ca \u0026 b\u003e\n\u2028\"\\\u0001é""#)
}
