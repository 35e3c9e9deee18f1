import Foundation
import KlaxonCore
import KlaxonEngine
import KlaxonTestSupport
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

private func route(receiver: String, groupBy: [String] = ["alertname"]) -> RouteSpec {
    RouteSpec(
        receiver: receiver, groupBy: .labels(groupBy), groupWait: .seconds(30), groupInterval: .minutes(5),
        repeatInterval: .hours(4))
}

private func config(_ spec: RouteSpec, _ receivers: [String: [any Notifier]]) -> EngineConfig {
    EngineConfig(route: Route(root: spec), receivers: receivers)
}

/// `Engine.apply` as Alertmanager's reload: the dispatcher and its groups are rebuilt from the stored alerts, alerts
/// older than group_wait flush at once, and the notification log keeps unchanged groups from being notified again.
@Suite(.timeLimit(.minutes(1))) struct ReloadTests {
    @Test func reloadKeepsEveryStoredAlertInAGroupOfTheNewTree() async throws {
        let clock = ManualClock(now: t0)
        let (team, ops) = (InboxNotifier(), InboxNotifier())
        let engine = try manualEngine(route: route(receiver: "team"), receivers: ["team": [team]], clock: clock)
        engine.receive(
            [
                firing(["alertname": "Down", "cluster": "c1"], at: t0),
                firing(["alertname": "Slow", "cluster": "c1"], at: t0),
                firing(["alertname": "Down", "cluster": "c2"], at: t0),
            ], now: t0)
        #expect(engine.dispatcher.groupCount == 2)
        clock.advance(to: t0 + 60)
        engine.apply(config(route(receiver: "ops", groupBy: ["cluster"]), ["ops": [ops]]))
        let groups = engine.dispatcher.groups().sorted { $0.groupKey < $1.groupKey }
        #expect(groups.map(\.groupKey) == [#"{}:{cluster="c1"}"#, #"{}:{cluster="c2"}"#])
        #expect(groups.map(\.route.receiver) == ["ops", "ops"])
        #expect(groups.map(\.alerts.count) == [2, 1])
        #expect(engine.config.route.receiver == "ops")
    }

    @Test func reloadNotifiesANewReceiverAtOnceForAlertsOlderThanGroupWait() async throws {
        let clock = ManualClock(now: t0)
        let (team, ops) = (InboxNotifier(), InboxNotifier())
        let engine = try manualEngine(route: route(receiver: "team"), receivers: ["team": [team]], clock: clock)
        try await withRunningServices(engine.services) {
            var opsNotifications = ops.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down"], at: t0)], now: t0)
            clock.advance(to: t0 + 60)
            engine.apply(config(route(receiver: "ops"), ["ops": [ops]]))
            let first = try #require(await opsNotifications.next())
            #expect(first.now == t0 + 60)
            #expect(first.receiver == "ops")
        }
        #expect(team.sent == 0)
    }

    @Test func reloadDoesNotNotifyAnUnchangedGroupAgainAndItsTimerRestartsAtTheReload() async throws {
        let clock = ManualClock(now: t0)
        let team = InboxNotifier()
        let unchanged = config(route(receiver: "team"), ["team": [team]])
        let engine = try manualEngine(route: route(receiver: "team"), receivers: ["team": [team]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = team.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "instance": "a"], at: t0)], now: t0)
            await clock.sleeper(until: t0 + 30)
            clock.advance(to: t0 + 30)
            #expect(await notifications.next()?.now == t0 + 30)

            clock.advance(to: t0 + 100)
            engine.apply(unchanged)
            // The rebuilt group flushes at once (its alert is older than group_wait), finds the notification log
            // unchanged and sends nothing; its next tick is a group_interval after the reload, not after t0+30.
            await clock.sleeper(until: t0 + 400)
            clock.advance(to: t0 + 120)
            engine.receive([firing(["alertname": "Down", "instance": "b"], at: t0 + 120)], now: t0 + 120)
            clock.advance(to: t0 + 330)
            #expect(engine.dispatcher.groups().map(\.nextFlush) == [t0 + 400])
            clock.advance(to: t0 + 400)
            let next = try #require(await notifications.next())
            #expect(next.now == t0 + 400)
            #expect(next.names == ["Down/a", "Down/b"])
        }
    }

    @Test func reloadDuringGroupWaitStartsGroupWaitAgain() async throws {
        let clock = ManualClock(now: t0)
        let team = InboxNotifier()
        let engine = try manualEngine(route: route(receiver: "team"), receivers: ["team": [team]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = team.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down"], at: t0)], now: t0)
            clock.advance(to: t0 + 10)
            engine.apply(config(route(receiver: "team"), ["team": [team]]))
            // Alertmanager builds a new group whose group_wait runs from its creation.
            #expect(engine.dispatcher.groups().map(\.nextFlush) == [t0 + 40])
            clock.advance(to: t0 + 30)
            await clock.sleeper(until: t0 + 40)
            clock.advance(to: t0 + 40)
            #expect(await notifications.next()?.now == t0 + 40)
        }
    }
}
