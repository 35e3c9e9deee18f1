import Foundation
import KlaxonCore
import Logging
import Synchronization

/// Identifies one aggregation group: a route (by its position in the tree; sibling routes with equal
/// matchers share a group key but not a group) and the fingerprint of the group labels.
public struct GroupID: Hashable, Sendable {
    /// The route's path of child indexes.
    public let routePath: [Int]
    /// Fingerprint of the group labels.
    public let labels: Fingerprint
}

/// Runs the notification pipeline for one flushed group; returns whether it succeeded (only then are
/// the flushed resolved alerts dropped from the group).
public typealias FlushHandler = @Sendable (_ group: AggregationGroup, _ alerts: [Alert], _ now: Date) async -> Bool

/// Routes alerts into aggregation groups and flushes each group on its timers (`dispatch.Dispatcher`).
///
/// Groups live in shards guarded by their own locks; one timer loop wakes groups when due, and flushes
/// run as child tasks of `run()`, at most `maxConcurrentFlushes` at a time. All times come from the engine's clock.
public final class Dispatcher: Sendable {
    private final class Shard: Sendable {
        let groups = Mutex<[GroupID: AggregationGroup]>([:])
    }

    /// The routing tree this dispatcher routes with.
    public let route: Route
    private let shards: [Shard]
    private let scheduler = FlushScheduler<GroupID>()
    private let flush: FlushHandler
    private let maxConcurrentFlushes: Int
    private let logger: Logger
    private let clock: any EngineClock
    /// Empty groups are removed by a sweep this often (Alertmanager 0.25: 30s).
    private let maintenanceInterval: TimeInterval
    /// How long `run()` lets flushes in flight finish after `stop()` before cancelling them.
    private let drainLimit: Duration

    /// Creates a dispatcher for a routing tree.
    public init(
        route: Route,
        logger: Logger,
        clock: any EngineClock,
        maxConcurrentFlushes: Int = 1024,
        maintenanceInterval: TimeInterval = 30,
        drainLimit: Duration = Dispatcher.defaultDrainLimit,
        flush: @escaping FlushHandler
    ) {
        self.route = route
        self.shards = (0..<64).map { _ in Shard() }
        self.flush = flush
        self.logger = logger
        self.clock = clock
        self.maxConcurrentFlushes = maxConcurrentFlushes
        self.maintenanceInterval = maintenanceInterval
        self.drainLimit = drainLimit
    }

    /// 15 s: inside the grace period of common supervisors (Kubernetes gives 30 s, systemd 90 s before SIGKILL).
    public static let defaultDrainLimit: Duration = .seconds(15)

    private func shard(_ id: GroupID) -> Shard {
        shards[Int((id.labels.rawValue ^ UInt64(truncatingIfNeeded: id.routePath.hashValue)) & 63)]
    }

    /// Routes one alert (as stored) into the groups of every route it matches.
    public func process(_ alert: Alert, now: Date) {
        process(alert, now: now, observe: nil)
    }

    /// Routes one alert and tells `observe` each route it went to, with the group labels there (for the dispatch
    /// span; nil when tracing is off).
    func process(_ alert: Alert, now: Date, observe: ((Route, LabelSet) -> Void)?) {
        for matched in route.match(alert.labels) {
            let groupLabels = matched.groupBy.groupLabels(of: alert.labels)
            observe?(matched, groupLabels)
            let id = GroupID(routePath: matched.path, labels: groupLabels.fingerprint)
            let reschedule: Date? = shard(id).groups.withLock { groups in
                if groups[id] != nil {
                    return groups[id]?.insert(alert, now: now) == true ? groups[id]?.nextFlush : nil
                }
                let group = AggregationGroup(route: matched, labels: groupLabels, first: alert, now: now)
                groups[id] = group
                return group.nextFlush
            }
            if let reschedule { scheduler.schedule(id, at: reschedule) }
        }
    }

    /// A copy of every group (for the groups API and metrics).
    public func groups() -> [AggregationGroup] {
        var result: [AggregationGroup] = []
        for shard in shards { shard.groups.withLock { result.append(contentsOf: $0.values) } }
        return result
    }

    /// The number of aggregation groups.
    public var groupCount: Int {
        shards.reduce(0) { $0 + $1.groups.withLock { $0.count } }
    }

    /// Flushes groups as they come due until cancelled or `stop()` is called. After `stop()` (graceful shutdown, or a
    /// reload swapping this dispatcher out) the flushes in flight finish, so a notification being sent is delivered
    /// rather than cut off; those still running after `drainLimit` are cancelled (their groups are notified after
    /// the restart, the notification log having no record of them). Cancelling `run()` cancels them at once.
    public func run() async {
        await withDiscardingTaskGroup { tasks in
            let (scheduler, clock, drainLimit) = (self.scheduler, self.clock, self.drainLimit)
            tasks.addTask { await scheduler.run(clock: clock) }  // allowed: structured child task of a task group
            tasks.addTask { await self.maintain() }  // allowed: structured child task of a task group
            // `running` counts started flushes whose end has not been consumed yet, so it never undercounts: at the
            // limit, wait for one to end (usually already buffered).
            var running = 0
            let (events, eventContinuation) = AsyncStream.makeStream(of: FlushEvent.self)
            var eventIterator = events.makeAsyncIterator()
            for await id in scheduler.due {
                if Task.isCancelled { break }
                if running >= maxConcurrentFlushes {
                    _ = await eventIterator.next()
                    running -= 1
                }
                running += 1
                tasks.addTask {  // allowed: structured child task of a task group
                    await self.flushGroup(id)
                    eventContinuation.yield(.flushEnded)
                }
            }
            if running > 0, !Task.isCancelled {
                tasks.addTask {  // allowed: structured child task of a task group
                    try? await clock.sleep(for: drainLimit)
                    eventContinuation.yield(.drainLimitReached)
                }
                while running > 0, await eventIterator.next() == .flushEnded {
                    running -= 1
                }
                if running > 0 {
                    logger.warning(
                        "Flushes still running at shutdown were cancelled",
                        metadata: ["count": "\(running)", "waited": "\(drainLimit)"])
                }
            }
            eventContinuation.finish()
            tasks.cancelAll()
        }
    }

    /// What `run()` waits for while flushes are in flight.
    private enum FlushEvent {
        case flushEnded
        case drainLimitReached
    }

    /// Stops the timers; `run()` returns once running flushes end.
    public func stop() {
        scheduler.stop()
    }

    private func flushGroup(_ id: GroupID) async {
        let shard = shard(id)
        let now = clock.now
        let started: (AggregationGroup, [Alert])? = shard.groups.withLock { groups in
            guard var group = groups[id], group.nextFlush <= now else { return nil }
            let snapshot = group.beginFlush(now: now)
            groups[id] = group
            return snapshot.map { (group, $0) }
        }
        guard let (group, snapshot) = started else {
            // Not due (stale deadline), running, or empty: keep its real deadline armed.
            if let next = shard.groups.withLock({ groups in groups[id].map { $0.isFlushing ? nil : $0.nextFlush } }),
                let next
            {
                if next > now { scheduler.schedule(id, at: next) }
            }
            return
        }
        scheduler.schedule(id, at: group.nextFlush)
        let succeeded = await flush(group, snapshot, now)
        let finished = clock.now
        let next: Date? = shard.groups.withLock { groups in
            guard var current = groups[id] else { return nil }
            current.endFlush(snapshot: snapshot, succeeded: succeeded, now: finished)
            groups[id] = current
            return current.nextFlush
        }
        // A tick that came due while flushing runs now.
        if let next, next <= finished { scheduler.schedule(id, at: next) }
    }

    private func maintain() async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: .seconds(maintenanceInterval)) } catch { return }
            let now = clock.now
            for shard in shards {
                shard.groups.withLock { groups in
                    for (id, group) in groups where group.isEmpty && !group.isFlushing {
                        if let since = group.emptySince, now.timeIntervalSince(since) >= 0 { groups[id] = nil }
                    }
                }
            }
        }
    }
}
