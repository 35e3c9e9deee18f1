import Foundation
import KlaxonCore
import KlaxonStorage
import KlaxonTestSupport
import Logging
import MetricsTestKit
import Synchronization
import Testing

@testable import KlaxonEngine

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// Records every notification; answers with a scripted result.
final class RecordingNotifier: Notifier {
    let integrationName = "webhook"
    let sendResolved: Bool
    private let state = Mutex<(sent: [GroupNotification], results: [NotifyResult])>(([], []))

    init(sendResolved: Bool = true, results: [NotifyResult] = []) {
        self.sendResolved = sendResolved
        state.withLock { $0.results = results }
    }

    var sent: [GroupNotification] { state.withLock { $0.sent } }

    func notify(_ notification: GroupNotification) async -> NotifyResult {
        state.withLock { state in
            state.sent.append(notification)
            return state.results.isEmpty ? .delivered(status: "200") : state.results.removeFirst()
        }
    }
}

private func makeEngine(
    notifier: RecordingNotifier, inhibitRules: [InhibitRule] = [], mute: [String] = [],
    intervals: [String: NamedTimeInterval] = [:], store: any StateStore = InMemoryStateStore(),
    clock: ManualClock = ManualClock(now: t0), metrics: TestMetrics = TestMetrics()
) throws -> Engine {
    let route = Route(
        root: RouteSpec(
            receiver: "hook", groupBy: .labels(["alertname"]), groupWait: .seconds(1), groupInterval: .seconds(2),
            repeatInterval: .hours(1), muteTimeIntervals: mute))
    let config = EngineConfig(
        route: route, receivers: ["hook": [notifier]], inhibitRules: inhibitRules, timeIntervals: intervals)
    return try Engine(
        config: config, options: EngineOptions(), stateStore: store, logger: Logger(label: "test"), clock: clock,
        metricsFactory: metrics)
}

private func alert(_ labels: LabelSet, endsAt: Date = t0 + 300) -> Alert {
    Alert(labels: labels, startsAt: t0, endsAt: endsAt, updatedAt: t0)
}

private func group(_ engine: Engine, _ alerts: [Alert], now: Date) -> (AggregationGroup, [Alert]) {
    var group = AggregationGroup(route: engine.config.route, labels: ["alertname": "A"], first: alerts[0], now: now)
    for a in alerts.dropFirst() { _ = group.insert(a, now: now) }
    let snapshot = group.beginFlush(now: now) ?? []
    return (group, snapshot)
}

@Test func unchangedGroupIsNotNotifiedTwiceWithinRepeatInterval() async throws {
    let notifier = RecordingNotifier()
    let engine = try makeEngine(notifier: notifier)
    let (g, snapshot) = group(engine, [alert(["alertname": "A"])], now: t0)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0))
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0 + 2))
    #expect(notifier.sent.count == 1)
    // After repeat_interval it goes out again.
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0 + 3601))
    #expect(notifier.sent.count == 2)
}

@Test func newAlertInGroupTriggersNotification() async throws {
    let notifier = RecordingNotifier()
    let engine = try makeEngine(notifier: notifier)
    let (g, first) = group(engine, [alert(["alertname": "A", "i": "1"])], now: t0)
    _ = await engine.notify(group: g, alerts: first, now: t0)
    let (g2, second) = group(
        engine, [alert(["alertname": "A", "i": "1"]), alert(["alertname": "A", "i": "2"])], now: t0)
    _ = await engine.notify(group: g2, alerts: second, now: t0 + 2)
    #expect(notifier.sent.map(\.alerts.count) == [1, 2])
}

@Test func silencedAlertIsNotNotified() async throws {
    let notifier = RecordingNotifier()
    let engine = try makeEngine(notifier: notifier)
    let silence = PostableSilence(
        id: "", matchers: [SilenceMatcherSpec(name: "i", value: "1", isRegex: false)], startsAt: t0,
        endsAt: t0 + 3600, createdBy: "me", comment: "quiet")
    _ = try engine.setSilence(silence, now: t0)
    let (g, snapshot) = group(
        engine, [alert(["alertname": "A", "i": "1"]), alert(["alertname": "A", "i": "2"])], now: t0)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0 + 1))
    #expect(notifier.sent.count == 1)
    #expect(notifier.sent.first?.alerts.map { $0.labels["i"] } == ["2"])
}

@Test func inhibitedAlertIsNotNotified() async throws {
    let notifier = RecordingNotifier()
    let rule = InhibitRule(
        sourceMatchers: try Matchers.parse("alertname=Down"), targetMatchers: try Matchers.parse("alertname=A"),
        equal: ["cluster"])
    let engine = try makeEngine(notifier: notifier, inhibitRules: [rule])
    engine.receive([alert(["alertname": "Down", "cluster": "c1"])], now: t0)
    let (g, snapshot) = group(
        engine, [alert(["alertname": "A", "cluster": "c1"]), alert(["alertname": "A", "cluster": "c2"])], now: t0)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0 + 1))
    #expect(notifier.sent.first?.alerts.map { $0.labels["cluster"] } == ["c2"])
}

@Test func failedNotificationIsRetriedAtTheNextFlushAndNotLogged() async throws {
    let notifier = RecordingNotifier(results: [.failed(retry: false, reason: .clientError, message: "400")])
    let engine = try makeEngine(notifier: notifier)
    let (g, snapshot) = group(engine, [alert(["alertname": "A"])], now: t0)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0) == false)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0 + 2))
    #expect(notifier.sent.count == 2)
}

@Test func retryableFailureIsRetriedWithinTheFlush() async throws {
    let notifier = RecordingNotifier(results: [
        .failed(retry: true, reason: .serverError, message: "500"),
        .failed(retry: true, reason: .serverError, message: "500"),
    ])
    let clock = ManualClock(now: t0, advancesWhenSlept: true)
    let engine = try makeEngine(notifier: notifier, clock: clock)
    let (g, snapshot) = group(engine, [alert(["alertname": "A"])], now: t0)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0))
    #expect(notifier.sent.count == 3)
    // Two backoff waits: 0.25-0.75s, then 0.375-1.125s.
    #expect(clock.now > t0 + 0.6 && clock.now < t0 + 1.9)
}

@Test func retriesOfAFailingIntegrationStopBeforeTheNotifyDeadline() async throws {
    let failures = Array(repeating: NotifyResult.failed(retry: true, reason: .serverError, message: "500"), count: 100)
    let notifier = RecordingNotifier(results: failures)
    let clock = ManualClock(now: t0, advancesWhenSlept: true)
    let metrics = TestMetrics()
    let engine = try makeEngine(notifier: notifier, clock: clock, metrics: metrics)
    let (g, snapshot) = group(engine, [alert(["alertname": "A"])], now: t0)
    #expect(await engine.notify(group: g, alerts: snapshot, now: t0) == false)
    // The deadline is max(group_interval, 10s) after the flush; a wait that would pass it is not started. Even with
    // the longest jitter, five waits (0.75 + 1.125 + 1.69 + 2.53 + 3.8 s) fit.
    #expect(clock.now < t0 + 10)
    #expect(notifier.sent.count >= 6)
    let requests = try metrics.expectCounter("alertmanager_notification_requests_total", [("integration", "webhook")])
    #expect(requests.totalValue == Int64(notifier.sent.count))
    // Alertmanager 0.25 labels failures by integration only.
    let failed = try metrics.expectCounter("alertmanager_notifications_failed_total", [("integration", "webhook")])
    #expect(failed.totalValue == 1)
    // Integrations Alertmanager registers at start are there at zero before they notify.
    let slack = try metrics.expectCounter("alertmanager_notifications_failed_total", [("integration", "slack")])
    #expect(slack.totalValue == 0)
}

@Test func resolvedOnlyGroupWithoutSendResolvedSendsNothingButClearsTheLog() async throws {
    let notifier = RecordingNotifier(sendResolved: false)
    let store = InMemoryStateStore()
    let engine = try makeEngine(notifier: notifier, store: store)
    let (g, firing) = group(engine, [alert(["alertname": "A"])], now: t0)
    _ = await engine.notify(group: g, alerts: firing, now: t0)
    let (g2, resolved) = group(engine, [alert(["alertname": "A"], endsAt: t0 + 1)], now: t0 + 2)
    #expect(await engine.notify(group: g2, alerts: resolved, now: t0 + 2))
    #expect(notifier.sent.count == 1)
    let entries = try store.loadNotificationLog()
    #expect(entries.count == 1)
    #expect(entries.first?.firingAlerts.isEmpty == true)
}

@Test func notificationLogSurvivesARestart() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = RecordingNotifier()
    let engine = try makeEngine(notifier: first, store: try SQLiteStateStore(directory: directory))
    let (g, snapshot) = group(engine, [alert(["alertname": "A"])], now: t0)
    _ = await engine.notify(group: g, alerts: snapshot, now: t0)
    let second = RecordingNotifier()
    let restarted = try makeEngine(notifier: second, store: try SQLiteStateStore(directory: directory))
    #expect(await restarted.notify(group: g, alerts: snapshot, now: t0 + 60))
    #expect(second.sent.isEmpty)
}
