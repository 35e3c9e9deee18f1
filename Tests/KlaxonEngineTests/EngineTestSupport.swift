import Foundation
import KlaxonCore
import KlaxonEngine
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Synchronization

/// A receiver's integration that delivers at once and hands each notification to the test, in order.
final class InboxNotifier: Notifier {
    let integrationName = "webhook"
    let sendResolved = true
    /// Notifications as sent.
    let notifications: AsyncStream<GroupNotification>
    private let continuation: AsyncStream<GroupNotification>.Continuation
    private let count = Mutex(0)

    init() {
        (notifications, continuation) = AsyncStream.makeStream(of: GroupNotification.self)
    }

    /// How many notifications were sent so far.
    var sent: Int { count.withLock { $0 } }

    func notify(_ notification: GroupNotification) async -> NotifyResult {
        count.withLock { $0 += 1 }
        continuation.yield(notification)
        return .delivered(status: "200")
    }
}

extension GroupNotification {
    /// The `alertname`/`instance` of each alert, in notification order.
    var names: [String] {
        alerts.map { [$0.labels["alertname"], $0.labels["instance"]].compactMap { $0 }.joined(separator: "/") }
    }
}

/// A firing alert that started at `startsAt`.
func firing(_ labels: LabelSet, at startsAt: Date) -> Alert {
    Alert(labels: labels, startsAt: startsAt, endsAt: startsAt + 3600, updatedAt: startsAt)
}

/// An engine on a manual clock, with an in-memory store.
func manualEngine(route: RouteSpec, receivers: [String: [any Notifier]], clock: ManualClock) throws -> Engine {
    try Engine(
        config: EngineConfig(route: Route(root: route), receivers: receivers), options: EngineOptions(),
        stateStore: InMemoryStateStore(), logger: Logger(label: "test"), clock: clock)
}
