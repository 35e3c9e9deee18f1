import Foundation
import KlaxonCore
import KlaxonEngine
import KlaxonTestSupport
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// group_wait 30s, group_interval 5m, repeat_interval 20m, grouped by alertname.
private let team = RouteSpec(
    receiver: "team", groupBy: .labels(["alertname"]), groupWait: .seconds(30), groupInterval: .minutes(5),
    repeatInterval: .minutes(20))

/// The dispatcher as a user sees it: notifications, their time and their alerts, with time driven by a manual clock.
/// The flush time of a notification (`now`) is the clock's time when the group's timer fired.
@Suite(.timeLimit(.minutes(1))) struct DispatcherTests {
    @Test func firstAlertOfAGroupIsNotifiedAfterGroupWait() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let engine = try manualEngine(route: team, receivers: ["team": [inbox]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "instance": "a"], at: t0)], now: t0)
            #expect(engine.dispatcher.groups().map(\.nextFlush) == [t0 + 30])
            await clock.sleeper(until: t0 + 30)
            #expect(inbox.sent == 0)
            clock.advance(to: t0 + 30)
            let first = try #require(await notifications.next())
            #expect(first.now == t0 + 30)
            #expect(first.receiver == "team")
            #expect(first.names == ["Down/a"])
        }
    }

    @Test func alertsOfOneGroupArrivingDuringGroupWaitAreNotifiedTogether() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let engine = try manualEngine(route: team, receivers: ["team": [inbox]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "instance": "a"], at: t0)], now: t0)
            clock.advance(to: t0 + 10)
            engine.receive(
                [
                    firing(["alertname": "Down", "instance": "b"], at: t0 + 10),
                    firing(["alertname": "Slow", "instance": "c"], at: t0 + 10),
                ], now: t0 + 10)
            #expect(engine.dispatcher.groupCount == 2)
            await clock.sleeper(until: t0 + 30)
            clock.advance(to: t0 + 30)
            let down = try #require(await notifications.next())
            #expect(down.now == t0 + 30)
            #expect(down.names == ["Down/a", "Down/b"])
            #expect(down.groupKey == #"{}:{alertname="Down"}"#)
            // The other group's group_wait started with its own first alert.
            await clock.sleeper(until: t0 + 40)
            clock.advance(to: t0 + 40)
            let slow = try #require(await notifications.next())
            #expect(slow.now == t0 + 40)
            #expect(slow.names == ["Slow/c"])
        }
    }

    @Test func alertStartedLongerThanGroupWaitAgoIsNotifiedAtOnce() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let engine = try manualEngine(route: team, receivers: ["team": [inbox]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "instance": "a"], at: t0 - 60)], now: t0)
            let first = try #require(await notifications.next())
            #expect(first.now == t0)
            #expect(first.names == ["Down/a"])
        }
    }

    @Test func alertJoiningAfterTheFirstNotificationWaitsForTheNextGroupInterval() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let engine = try manualEngine(route: team, receivers: ["team": [inbox]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "instance": "a"], at: t0)], now: t0)
            await clock.sleeper(until: t0 + 30)
            clock.advance(to: t0 + 30)
            _ = await notifications.next()
            await clock.sleeper(until: t0 + 330)
            clock.advance(to: t0 + 60)
            engine.receive([firing(["alertname": "Down", "instance": "b"], at: t0 + 60)], now: t0 + 60)
            // Joining does not restart group_wait: the group's timer stays on the group_interval tick.
            #expect(engine.dispatcher.groups().map(\.nextFlush) == [t0 + 330])
            clock.advance(to: t0 + 330)
            let second = try #require(await notifications.next())
            #expect(second.now == t0 + 330)
            #expect(second.names == ["Down/a", "Down/b"])
        }
    }

    @Test func unchangedGroupIsNotifiedAgainOnlyOnTheFirstTickAfterRepeatInterval() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let engine = try manualEngine(route: team, receivers: ["team": [inbox]], clock: clock)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "instance": "a"], at: t0)], now: t0)
            await clock.sleeper(until: t0 + 30)
            clock.advance(to: t0 + 30)
            #expect(await notifications.next()?.now == t0 + 30)
            // Ticks every 5 minutes; 20 minutes after the first notification (t0+1230) is not yet "longer than
            // repeat_interval ago", so the repeat goes out on the tick after.
            for tick in stride(from: 330.0, through: 1530, by: 300) {
                await clock.sleeper(until: t0 + tick)
                clock.advance(to: t0 + tick)
            }
            let repeated = try #require(await notifications.next())
            #expect(repeated.now == t0 + 1530)
            #expect(repeated.names == ["Down/a"])
        }
    }

    @Test(arguments: [true, false])
    func continueAlsoNotifiesTheNextMatchingRoute(continueMatching: Bool) async throws {
        let clock = ManualClock(now: t0)
        let (first, second, fallback) = (InboxNotifier(), InboxNotifier(), InboxNotifier())
        let teamA = [try Matcher.parse("team=a")]
        let route = RouteSpec(
            receiver: "fallback", groupBy: .labels(["alertname"]), groupWait: .seconds(30),
            routes: [
                RouteSpec(receiver: "first", matchers: teamA, continueMatching: continueMatching),
                RouteSpec(receiver: "second", matchers: teamA),
            ])
        let engine = try manualEngine(
            route: route, receivers: ["first": [first], "second": [second], "fallback": [fallback]], clock: clock)
        try await withRunningServices(engine.services) {
            var firstNotifications = first.notifications.makeAsyncIterator()
            var secondNotifications = second.notifications.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down", "team": "a"], at: t0)], now: t0)
            let receivers = engine.dispatcher.groups().map(\.route.receiver).sorted()
            #expect(receivers == (continueMatching ? ["first", "second"] : ["first"]))
            await clock.sleeper(until: t0 + 30)
            clock.advance(to: t0 + 30)
            #expect(await firstNotifications.next()?.now == t0 + 30)
            if continueMatching {
                let other = try #require(await secondNotifications.next())
                #expect(other.now == t0 + 30)
                #expect(other.receiver == "second")
            }
        }
        #expect(fallback.sent == 0)
        #expect(second.sent == (continueMatching ? 1 : 0))
    }
}
