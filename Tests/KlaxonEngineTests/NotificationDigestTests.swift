import Foundation
import KlaxonCore
import KlaxonEngine
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Synchronization
import Testing

/// A minute boundary.
private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// group_wait 1s, group_interval 5m, repeat_interval 4h, grouped by alertname and tenant.
private let route = RouteSpec(
    receiver: "team", groupBy: .labels(["alertname", "tenant_id"]), groupWait: .seconds(1),
    groupInterval: .minutes(5), repeatInterval: .hours(4))

/// Events the engine reported, in order.
private final class EventLog: Sendable {
    let events = Mutex<[TenantNotificationEvent]>([])
    var all: [TenantNotificationEvent] { events.withLock { $0 } }
}

private func limitedEngine(
    _ limits: [String: Int], inbox: InboxNotifier, clock: ManualClock, events: EventLog
) throws -> Engine {
    try Engine(
        config: EngineConfig(route: Route(root: route), receivers: ["team": [inbox]]), options: EngineOptions(),
        stateStore: InMemoryStateStore(), logger: Logger(label: "test"), clock: clock,
        tenantPolicy: TenantNotificationPolicy(
            tenantLabel: { "tenant_id" }, limit: { limits[$0] },
            observe: { event in events.events.withLock { $0.append(event) } }))
}

private func tenantAlert(_ name: String, tenant: String, at time: Date) -> Alert {
    firing(["alertname": name, "tenant_id": tenant], at: time)
}

/// `max_notifications_per_minute` as the on-call sees it: past the limit, a tenant's groups arrive as one digest a
/// minute on the receiver's own integration, nothing is dropped and nothing is sent twice.
@Suite(.timeLimit(.minutes(1))) struct NotificationDigestTests {
    @Test func aStormOf500GroupsReachesTheOnCallAsTheLimitPlusOneDigest() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let events = EventLog()
        let engine = try limitedEngine(["finance": 10], inbox: inbox, clock: clock, events: events)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive((0..<500).map { tenantAlert("Storm\($0)", tenant: "finance", at: t0) }, now: t0)
            await clock.sleeper(until: t0 + 1)
            clock.advance(to: t0 + 1)
            var first: [GroupNotification] = []
            for _ in 0..<10 { first.append(try #require(await notifications.next())) }
            #expect(Set(first.map(\.groupKey)).count == 10)
            // The other 490 flushes are held; the digest service waits for the next minute.
            while events.all.count < 490 { await Task.yield() }
            #expect(inbox.sent == 10)
            await clock.sleeper(until: t0 + 60)
            clock.advance(to: t0 + 60)
            let digest = try #require(await notifications.next())
            #expect(digest.groupKey == #"{}/klaxon-digest:{tenant_id="finance"}"#)
            #expect(digest.groupLabels == ["tenant_id": "finance"])
            #expect(digest.alerts.count == 490)
            #expect(Set(digest.alerts.map { $0.labels["alertname"] ?? "" }).count == 490)
            #expect(
                Set(first.map { $0.alerts[0].labels["alertname"] ?? "" }).isDisjoint(
                    with: digest.alerts.map { $0.labels["alertname"] ?? "" }))
            let sample = try #require(digest.alerts.first)
            #expect(sample.labels["tenant_id"] == "finance")
            #expect(sample.status(at: digest.now) == .firing)
            #expect(
                sample.annotations["summary"]
                    == "1 firing and 0 resolved alerts held: tenant finance is over its limit of 10 notifications per minute to receiver team"
            )
            while events.all.count < 491 { await Task.yield() }
            #expect(events.all.last == .digestSent(tenant: "finance", receiver: "team", groups: 490))
            #expect(inbox.sent == 11)
        }
    }

    @Test func groupsCarriedByADigestAreNotNotifiedAgainUntilTheyChange() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let events = EventLog()
        let engine = try limitedEngine(["finance": 1], inbox: inbox, clock: clock, events: events)
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            engine.receive(["A", "B", "C"].map { tenantAlert($0, tenant: "finance", at: t0) }, now: t0)
            await clock.sleeper(until: t0 + 1)
            clock.advance(to: t0 + 1)
            _ = try #require(await notifications.next())
            while events.all.count < 2 { await Task.yield() }
            await clock.sleeper(until: t0 + 60)
            clock.advance(to: t0 + 60)
            let digest = try #require(await notifications.next())
            #expect(digest.alerts.count == 2)
            // B changes; at the groups' next flush only B goes out: A was sent, C was in the digest.
            let digested = Set(digest.alerts.compactMap { $0.labels["alertname"] })
            let changed = try #require(digested.sorted().first)
            engine.receive(
                [firing(["alertname": changed, "tenant_id": "finance", "instance": "2"], at: t0 + 100)], now: t0 + 100)
            await clock.sleeper(until: t0 + 301)
            clock.advance(to: t0 + 301)
            let next = try #require(await notifications.next())
            #expect(next.groupKey.contains(changed))
            #expect(next.alerts.count == 2)
            // Every group has flushed (none is flushing) and nothing else was sent or held.
            while engine.dispatcher.groups().contains(where: { $0.isFlushing }) { await Task.yield() }
            await clock.sleeper(until: t0 + 360)
            clock.advance(to: t0 + 360)
            await clock.sleeper(until: t0 + 420)
            #expect(inbox.sent == 3)
            #expect(events.all.count == 3)
        }
    }

    @Test func tenantsWithoutALimitAndGroupsAcrossTenantsAreNeverHeld() async throws {
        let clock = ManualClock(now: t0)
        let inbox = InboxNotifier()
        let events = EventLog()
        let crossTenant = RouteSpec(
            receiver: "team", groupBy: .labels(["alertname"]), groupWait: .seconds(1), groupInterval: .minutes(5),
            repeatInterval: .hours(4))
        let engine = try Engine(
            config: EngineConfig(route: Route(root: crossTenant), receivers: ["team": [inbox]]),
            options: EngineOptions(), stateStore: InMemoryStateStore(), logger: Logger(label: "test"), clock: clock,
            tenantPolicy: TenantNotificationPolicy(
                tenantLabel: { "tenant_id" }, limit: { $0 == "finance" ? 1 : nil },
                observe: { event in events.events.withLock { $0.append(event) } }))
        try await withRunningServices(engine.services) {
            var notifications = inbox.notifications.makeAsyncIterator()
            // Marketing has no limit; Spread mixes two tenants in one group, which no tenant's limit applies to.
            engine.receive(
                (0..<5).map { tenantAlert("M\($0)", tenant: "marketing", at: t0) } + [
                    tenantAlert("Spread", tenant: "finance", at: t0),
                    tenantAlert("Spread", tenant: "marketing", at: t0),
                ], now: t0)
            await clock.sleeper(until: t0 + 1)
            clock.advance(to: t0 + 1)
            var keys: [String] = []
            for _ in 0..<6 { keys.append(try #require(await notifications.next()).groupKey) }
            #expect(keys.filter { $0.contains("Spread") }.count == 1)
            #expect(events.all.isEmpty)
        }
    }
}
