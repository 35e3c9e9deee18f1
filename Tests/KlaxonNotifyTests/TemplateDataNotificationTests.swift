import Foundation
import KlaxonCore
import KlaxonTemplate
import Testing

@testable import KlaxonNotify

@Suite struct TemplateDataNotificationTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func notification(receiver: String = "team.a+b") -> GroupNotification {
        let firing = Alert(
            labels: ["alertname": "Disk", "instance": "i1", "team": "a"],
            annotations: ["summary": "full", "runbook": "r1"],
            startsAt: now - 60, endsAt: now + 300, generatorURL: "http://prom/g1", updatedAt: now - 60)
        let resolved = Alert(
            labels: ["alertname": "Disk", "instance": "i2", "team": "a"],
            annotations: ["summary": "full", "runbook": "r2"],
            startsAt: now - 120, endsAt: now - 1, updatedAt: now - 120)
        return GroupNotification(
            receiver: receiver, groupKey: #"{}:{alertname="Disk"}"#, groupLabels: ["alertname": "Disk"],
            alerts: [firing, resolved], now: now)
    }

    @Test func receiverIsQuoteMetaEscapedAndStatusIsTheGroups() {
        let data = TemplateData(notification: notification(), externalURL: "http://am:9093")
        #expect(data.receiver == #"team\.a\+b"#)
        #expect(data.status == "firing")
        #expect(data.externalURL == "http://am:9093")
    }

    @Test func alertStatusIsTakenAtTheNotificationTime() {
        let data = TemplateData(notification: notification(), externalURL: "")
        #expect(data.alerts.map(\.status) == ["firing", "resolved"])
        // A firing alert does not expose its future end.
        #expect(data.alerts[0].endsAt == TemplateTime.goZeroDate)
        #expect(data.alerts[1].endsAt == now - 1)
        #expect(data.alerts[0].startsAt == now - 60)
        #expect(data.alerts[0].generatorURL == "http://prom/g1")
    }

    @Test func everyAlertResolvedMakesTheGroupResolved() {
        var resolvedGroup = notification()
        resolvedGroup.now = now + 301
        let data = TemplateData(notification: resolvedGroup, externalURL: "")
        #expect(data.status == "resolved")
        #expect(data.alerts.map(\.status) == ["resolved", "resolved"])
    }

    @Test func groupAndCommonPairsAndFingerprints() {
        let source = notification()
        let data = TemplateData(notification: source, externalURL: "")
        #expect(data.groupLabels == KV(["alertname": "Disk"]))
        #expect(data.commonLabels == KV(["alertname": "Disk", "team": "a"]))
        #expect(data.commonAnnotations == KV(["summary": "full"]))
        #expect(data.alerts.map(\.fingerprint) == source.alerts.map(\.fingerprint.description))
        #expect(data.alerts[1].labels == KV(["alertname": "Disk", "instance": "i2", "team": "a"]))
        #expect(data.alerts[1].annotations == KV(["summary": "full", "runbook": "r2"]))
    }

    @Test func defaultTemplatesSeeTheData() throws {
        let templates = try TemplateSet.defaults()
        let data = TemplateData(notification: notification(), externalURL: "http://am:9093").value()
        #expect(try templates.execute(name: "__subject", data: data) == "[FIRING:1] Disk (a)")
        #expect(
            try templates.execute(name: "__alertmanagerURL", data: data)
                == "http://am:9093/#/alerts?receiver=team%5C.a%5C%2Bb")
    }

    @Test func emptyTemplateTextIsEmptyWithoutParsing() throws {
        let templater = NotificationTemplater(
            templates: try TemplateSet.defaults(), notification: notification(), externalURL: "")
        #expect(try templater.render("", field: "x") == "")
        #expect(throws: NotificationBuildError.self) { try templater.render("{{ template \"nope\" . }}", field: "x") }
    }

    @Test(arguments: [
        ("abc", 5, "abc", false),
        ("abcdef", 5, "abcd…", true),
        ("éééééé", 5, "éééé…", true),
        // 👍🏽 is two runes: the cut may split a grapheme, as Go's rune slicing does.
        ("ab👍🏽cd", 4, "ab👍…", true),
        ("abcdef", 3, "abc", true),
    ])
    func truncationCountsRunes(input: String, limit: Int, expected: String, truncated: Bool) {
        let result = input.truncatedInRunes(limit)
        #expect(result.text == expected)
        #expect(result.truncated == truncated)
    }
}
