import Foundation
import KlaxonCore
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonEngine

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// 22:00-24:00 UTC.
private let lateEvening = NamedTimeInterval(
    name: "late", intervals: [TimeIntervalSpec(times: [TimeRange(startMinute: 22 * 60, endMinute: 24 * 60)])])

/// An engine on a manual clock routing everything to `hook`, recording its timeline into `store`.
private func historyEngine(
    notifier: RecordingNotifier = RecordingNotifier(), store: InMemoryStateStore = InMemoryStateStore(),
    inhibitRules: [InhibitRule] = [], mute: [String] = [], options: EngineOptions = EngineOptions(),
    clock: ManualClock = ManualClock(now: t0)
) throws -> Engine {
    let route = Route(
        root: RouteSpec(
            receiver: "hook", groupBy: .labels(["alertname"]), groupWait: .seconds(1), groupInterval: .seconds(2),
            repeatInterval: .hours(1), muteTimeIntervals: mute))
    let config = EngineConfig(
        route: route, receivers: ["hook": [notifier]], inhibitRules: inhibitRules, timeIntervals: ["late": lateEvening])
    return try Engine(
        config: config, options: options, stateStore: store, logger: Logger(label: "test"), clock: clock)
}

private func alert(_ labels: LabelSet, endsAt: Date = t0 + 300) -> Alert {
    Alert(labels: labels, startsAt: t0, endsAt: endsAt, updatedAt: t0)
}

/// A flushed group of these alerts (in the engine's route).
private func flush(_ engine: Engine, _ alerts: [Alert], now: Date) -> (AggregationGroup, [Alert]) {
    var group = AggregationGroup(route: engine.config.route, labels: ["alertname": "A"], first: alerts[0], now: now)
    for a in alerts.dropFirst() { _ = group.insert(a, now: now) }
    return (group, group.beginFlush(now: now) ?? [])
}

/// The committed timeline.
private func timeline(_ engine: Engine, _ query: HistoryQuery = HistoryQuery(limit: 1000)) throws -> [HistoryEvent] {
    engine.historyRecorder.flush()
    return try engine.history(query)
}

@Suite struct HistoryTests {
    @Test func firingAndResolvedAreRecordedOnStateChangesOnly() throws {
        let engine = try historyEngine()
        let a = alert(["alertname": "A", "tenant_id": "finance"])
        engine.receive([a], now: t0)
        engine.receive([a], now: t0 + 30)  // an update: no event
        var resolved = a
        resolved.endsAt = t0 + 60
        engine.receive([resolved], now: t0 + 60)
        var again = a
        again.startsAt = t0 + 120
        again.endsAt = t0 + 600
        engine.receive([again], now: t0 + 120)
        // A resolved alert never seen firing is not a resolution.
        engine.receive([alert(["alertname": "B"], endsAt: t0 + 1)], now: t0 + 130)
        let events = try timeline(engine)
        #expect(events.map(\.kind) == [.firing, .resolved, .firing])
        #expect(events.map(\.time) == [t0, t0 + 60, t0 + 120])
        #expect(events.allSatisfy { $0.fingerprints == [a.fingerprint] && $0.labels == a.labels })
        #expect(events.map(\.sequence) == [1, 2, 3])
    }

    @Test func anAlertWhoseEndPassesWithoutAResolvingPostIsRecordedResolvedAtTheNextFlushOnce() async throws {
        let engine = try historyEngine()
        // Posted without endsAt: resolve_timeout gives it one, and no resolving post ever comes.
        var timedOut = alert(["alertname": "A", "i": "1"], endsAt: t0 + 300)
        timedOut.timeout = true
        let resolvedByPost = alert(["alertname": "A", "i": "2"], endsAt: t0 + 300)
        engine.receive([timedOut, resolvedByPost], now: t0)
        var resolving = resolvedByPost
        resolving.endsAt = t0 + 100
        resolving.updatedAt = t0 + 100
        engine.receive([resolving], now: t0 + 100)
        let stored = engine.alerts.all().sorted { $0.labels["i"]! < $1.labels["i"]! }
        let (g, batch) = flush(engine, stored, now: t0 + 310)
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 310)
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 320)  // still resolved: no second event
        let events = try timeline(engine, HistoryQuery(kinds: [.firing, .resolved], limit: 100))
        #expect(events.map(\.kind) == [.firing, .firing, .resolved, .resolved])
        #expect(events.map(\.time) == [t0, t0, t0 + 100, t0 + 310])
        #expect(events[2].fingerprints == [resolvedByPost.fingerprint])
        #expect(events[3].fingerprints == [timedOut.fingerprint])
        #expect(events[3].detail.hasPrefix("no resolving post: resolve_timeout passed at"))
        // Posted firing again, it can expire again.
        var again = timedOut
        again.startsAt = t0 + 400
        again.endsAt = t0 + 700
        again.updatedAt = t0 + 400
        engine.receive([again], now: t0 + 400)
        let (g2, batch2) = flush(engine, [try #require(engine.alerts.get(timedOut.fingerprint))], now: t0 + 710)
        _ = await engine.notify(group: g2, alerts: batch2, now: t0 + 710)
        let later = try timeline(engine, HistoryQuery(kinds: [.firing, .resolved], limit: 100))
        #expect(later.map(\.kind).suffix(2) == [.firing, .resolved])
    }

    @Test func aRejectedReloadIsOnTheTimelineWithItsError() throws {
        let engine = try historyEngine()
        engine.recordRejectedReload("configuration rejected: yaml: line 3: mapping values are not allowed")
        engine.apply(engine.config)
        let events = try timeline(engine, HistoryQuery(kinds: [.reload], limit: 10))
        #expect(events.map(\.status) == ["rejected", "applied"])
        #expect(events[0].detail.contains("line 3"))
    }

    @Test func eachNotificationAttemptIsRecordedWithOutcomeAttemptAndLatency() async throws {
        let notifier = RecordingNotifier(results: [
            .failed(retry: true, reason: .serverError, message: "unexpected status code 503"),
            .delivered(status: "200"),
            .failed(retry: false, reason: .clientError, message: "unexpected status code 400"),
        ])
        let clock = ManualClock(now: t0, advancesWhenSlept: true)
        let engine = try historyEngine(notifier: notifier, clock: clock)
        let (g, batch) = flush(
            engine, [alert(["alertname": "A", "i": "1"]), alert(["alertname": "A", "i": "2"])], now: t0)
        #expect(await engine.notify(group: g, alerts: batch, now: t0))
        #expect(await engine.notify(group: g, alerts: batch, now: t0 + 2))  // deduplicated
        let (g2, batch2) = flush(engine, [alert(["alertname": "A", "i": "3"])], now: t0 + 4)
        #expect(await engine.notify(group: g2, alerts: batch2, now: t0 + 4) == false)
        let events = try timeline(engine, HistoryQuery(kinds: [.notification], limit: 100))
        #expect(events.map(\.outcome) == [.failed, .sent, .deduplicated, .gaveUp])
        #expect(events.map(\.attempt) == [1, 2, 0, 1])
        #expect(events.map(\.status) == ["serverError", "200", "", "clientError"])
        #expect(events[0].detail == "unexpected status code 503")
        #expect(events.allSatisfy { $0.receiver == "hook" && $0.integration == "webhook[0]" })
        #expect(events[1].fingerprints == batch.map(\.fingerprint))
        #expect(events[1].labels == ["alertname": "A"])  // what the two alerts have in common
        #expect(events[1].groupKey == g.groupKey)
        #expect(events[0].latency != nil && events[2].latency == nil)
    }

    @Test func silencedAndInhibitedTransitionsAreRecordedOncePerChange() async throws {
        let rule = InhibitRule(
            sourceMatchers: try Matchers.parse("alertname=Down"), targetMatchers: try Matchers.parse("alertname=A"),
            equal: ["cluster"])
        let engine = try historyEngine(inhibitRules: [rule])
        let target = alert(["alertname": "A", "cluster": "c1"])
        let id = try engine.setSilence(
            PostableSilence(
                id: "", matchers: [SilenceMatcherSpec(name: "cluster", value: "c1")], startsAt: t0, endsAt: t0 + 10,
                createdBy: "me", comment: "deploy"), now: t0)
        let (g, batch) = flush(engine, [target], now: t0)
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 1)
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 3)  // still silenced: no event
        let source = alert(["alertname": "Down", "cluster": "c1"], endsAt: t0 + 20)
        engine.receive([source], now: t0 + 5)
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 6)
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 12)  // the silence has ended
        _ = await engine.notify(group: g, alerts: batch, now: t0 + 25)  // the source has resolved
        let events = try timeline(
            engine, HistoryQuery(kinds: [.silenced, .unsilenced, .inhibited, .uninhibited], limit: 100))
        #expect(events.map(\.kind) == [.silenced, .inhibited, .unsilenced, .uninhibited])
        #expect(events[0].detail == id)
        #expect(events[1].detail == "by \(source.fingerprint)")
        #expect(events.allSatisfy { $0.fingerprints == [target.fingerprint] })
    }

    @Test func aGroupHeldBackByAMuteIntervalIsRecordedAsMutedOnceUntilItIsNot() async throws {
        let engine = try historyEngine(mute: ["late"])
        let late = try #require(ISO8601DateFormatter().date(from: "2027-01-15T22:30:00Z"))
        let (g, batch) = flush(engine, [alert(["alertname": "A"], endsAt: late + 3 * 86400)], now: late)
        _ = await engine.notify(group: g, alerts: batch, now: late)
        _ = await engine.notify(group: g, alerts: batch, now: late + 60)
        _ = await engine.notify(group: g, alerts: batch, now: late + 3600)  // 23:30: still muted
        _ = await engine.notify(group: g, alerts: batch, now: late + 2 * 3600)  // 00:30: notifies
        _ = await engine.notify(group: g, alerts: batch, now: late + 24 * 3600)  // muted again
        let events = try timeline(engine, HistoryQuery(kinds: [.muted, .notification], limit: 100))
        #expect(events.map(\.kind) == [.muted, .notification, .muted])
        #expect(events[0].detail == "mute_time_interval late")
        #expect(events[0].groupKey == g.groupKey)
    }

    @Test func silenceChangesAndReloadsAreOnTheTimeline() throws {
        let engine = try historyEngine()
        let postable = PostableSilence(
            id: "", matchers: [SilenceMatcherSpec(name: "alertname", value: "A")], startsAt: t0, endsAt: t0 + 600,
            createdBy: "me", comment: "c")
        let id = try engine.setSilence(postable, now: t0)
        var update = postable
        update.id = id
        update.endsAt = t0 + 1200
        #expect(try engine.setSilence(update, now: t0 + 1) == id)
        try engine.expireSilence(id: id, now: t0 + 2)
        engine.apply(engine.config)
        let events = try timeline(engine)
        #expect(events.map(\.kind) == [.silence, .silence, .silence, .reload])
        #expect(
            events.map { $0.detail.split(separator: " ").first.map(String.init) ?? "" }
                == ["created", "updated", "expired", "configuration"])
        #expect(events[0].detail.contains(id) && events[0].detail.contains(#"alertname="A""#))
    }

    @Test func maintenanceDropsEventsPastRetentionAndBeyondTheSizeCap() throws {
        var options = EngineOptions()
        options.historyRetention = .hours(1)
        options.historyMaxEvents = 3
        let store = InMemoryStateStore()
        let engine = try historyEngine(store: store, options: options)
        engine.receive([alert(["alertname": "Old"], endsAt: t0 + 7200)], now: t0)
        for i in 0..<5 {
            engine.receive([alert(["alertname": "New\(i)"], endsAt: t0 + 7200)], now: t0 + 3000 + Double(i))
        }
        engine.historyRecorder.flush()
        engine.collectState(now: t0 + 3700)
        let names = try engine.history(HistoryQuery(limit: 100)).map { $0.labels["alertname"] ?? "" }
        #expect(names == ["New2", "New3", "New4"])
    }

    @Test func explainSaysWhenTheAlertsGroupLastNotifiedEachIntegration() async throws {
        let engine = try historyEngine()
        let labels: LabelSet = ["alertname": "A", "i": "1"]
        #expect(engine.explain(labels, at: t0, now: t0).routes.first?.lastNotified == [])
        let (g, batch) = flush(engine, [alert(labels)], now: t0)
        _ = await engine.notify(group: g, alerts: batch, now: t0)
        let explanation = engine.explain(labels, at: t0 + 60, now: t0 + 60)
        #expect(explanation.routes.first?.groupKey == g.groupKey)
        #expect(explanation.routes.first?.lastNotified == [Explanation.Notified(integration: "webhook[0]", at: t0)])
    }

    @Test func explainSaysWhenTheAlertsGroupFlushesNext() throws {
        let engine = try historyEngine()
        let labels: LabelSet = ["alertname": "A", "i": "1"]
        #expect(engine.explain(labels, at: t0, now: t0).routes.first?.nextFlush == nil)
        engine.receive([alert(labels)], now: t0)
        let group = try #require(engine.dispatcher.groups().first)
        let explanation = engine.explain(labels, at: t0, now: t0)
        #expect(explanation.routes.first?.nextFlush == group.nextFlush)
        // Another alert of the same group is explained with the same flush; one of another group has none yet.
        #expect(
            engine.explain(["alertname": "A", "i": "2"], at: t0, now: t0).routes.first?.nextFlush == group.nextFlush)
        #expect(engine.explain(["alertname": "B"], at: t0, now: t0).routes.first?.nextFlush == nil)
    }

    @Test func withoutASizeCapNothingIsRecorded() throws {
        var options = EngineOptions()
        options.historyMaxEvents = 0
        let engine = try historyEngine(options: options)
        #expect(!engine.historyRecorder.isEnabled)
        engine.receive([alert(["alertname": "A"])], now: t0)
        #expect(try timeline(engine).isEmpty)
    }
}
