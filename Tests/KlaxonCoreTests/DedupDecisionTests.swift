import Foundation
import Testing

@testable import KlaxonCore

private let now = Date(timeIntervalSince1970: 1_700_000_000)
private let receiver = ReceiverKey(groupName: "r", integration: "webhook", index: 0)

private func entry(firing: Set<UInt64>, resolved: Set<UInt64> = [], age: Double = 60) -> NotificationLogEntry {
    NotificationLogEntry(
        groupKey: "g", receiver: receiver, timestamp: now.addingTimeInterval(-age), firingAlerts: firing,
        resolvedAlerts: resolved, expiresAt: now.addingTimeInterval(3600))
}

struct DedupCase: Sendable, CustomTestStringConvertible {
    var name: String
    var entry: NotificationLogEntry?
    var firing: Set<UInt64>
    var resolved: Set<UInt64> = []
    var sendResolved = true
    var expected: DedupDecision.Reason?
    var testDescription: String { name }
}

private let repeatInterval = PromDuration.hours(1)

@Test(arguments: [
    DedupCase(name: "no entry, firing", entry: nil, firing: [1], expected: .firstNotification),
    DedupCase(name: "no entry, only resolved", entry: nil, firing: [], resolved: [1], expected: nil),
    DedupCase(name: "no entry, nothing", entry: nil, firing: [], expected: nil),
    DedupCase(name: "new firing alert", entry: entry(firing: [1]), firing: [1, 2], expected: .newAlertsAdded),
    DedupCase(
        name: "firing after an empty-firing entry", entry: entry(firing: [], resolved: [1]), firing: [2],
        expected: .firstNotification),
    DedupCase(
        name: "all resolved, send_resolved off", entry: entry(firing: [1]), firing: [], resolved: [1],
        sendResolved: false, expected: .allAlertsResolved),
    DedupCase(
        name: "all resolved, send_resolved on", entry: entry(firing: [1]), firing: [], resolved: [1],
        expected: .allAlertsResolved),
    DedupCase(
        name: "nothing firing before or now", entry: entry(firing: [], resolved: [1]), firing: [], resolved: [1, 2],
        expected: nil),
    DedupCase(
        name: "some resolved, send_resolved on", entry: entry(firing: [1, 2]), firing: [1], resolved: [2],
        expected: .someAlertsResolved),
    DedupCase(
        name: "some resolved, send_resolved off", entry: entry(firing: [1, 2]), firing: [1], resolved: [2],
        sendResolved: false, expected: nil),
    DedupCase(
        name: "resolved already notified", entry: entry(firing: [1], resolved: [2]), firing: [1], resolved: [2],
        expected: nil),
    DedupCase(name: "firing subset unchanged", entry: entry(firing: [1, 2]), firing: [1, 2], expected: nil),
    DedupCase(
        name: "firing shrank without resolved, send_resolved off", entry: entry(firing: [1, 2]), firing: [1],
        sendResolved: false, expected: nil),
    DedupCase(
        name: "repeat interval elapsed", entry: entry(firing: [1], age: 3601), firing: [1],
        expected: .repeatIntervalElapsed),
    DedupCase(name: "exactly at repeat interval", entry: entry(firing: [1], age: 3600), firing: [1], expected: nil),
    DedupCase(
        name: "repeat does not apply to all-resolved-before", entry: entry(firing: [], age: 7200), firing: [],
        resolved: [1], expected: nil),
])
func dedupDecidesLikeAlertmanager(_ c: DedupCase) {
    let reason = DedupDecision.needsUpdate(
        entry: c.entry, firing: c.firing, resolved: c.resolved, sendResolved: c.sendResolved,
        repeatInterval: repeatInterval, now: now)
    #expect(reason == c.expected)
}

@Test func reasonStringsAreAlertmanagers() {
    #expect(
        [
            DedupDecision.Reason.firstNotification, .newAlertsAdded, .allAlertsResolved, .someAlertsResolved,
            .repeatIntervalElapsed,
        ].map(\.description) == [
            "first notification", "new alerts added", "all alerts resolved", "some alerts resolved",
            "repeat interval elapsed",
        ])
}

@Test func hashesSplitAlertsByStatusAtNow() {
    let firing = Alert(labels: ["a": "1"], startsAt: now, updatedAt: now)
    let resolving = Alert(labels: ["a": "2"], startsAt: now, endsAt: now, updatedAt: now)
    let later = Alert(labels: ["a": "3"], startsAt: now, endsAt: now.addingTimeInterval(1), updatedAt: now)
    let sets = DedupDecision.hashes(of: [firing, resolving, later], now: now)
    #expect(sets.firing == [firing.labels.notificationLogHash, later.labels.notificationLogHash])
    #expect(sets.resolved == [resolving.labels.notificationLogHash])
}
