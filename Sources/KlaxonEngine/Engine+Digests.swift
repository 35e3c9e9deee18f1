import Foundation
import KlaxonCore
import ServiceLifecycle

/// A tenant's `max_notifications_per_minute` as the engine applies it: which label names the tenant of a group,
/// the limit of a tenant (nil: unlimited), and where held groups and sent digests are reported (the server's
/// per-tenant metrics). Both are read at each flush, so a reloaded access file applies at once.
public struct TenantNotificationPolicy: Sendable {
    /// The label naming an alert's tenant.
    public var tenantLabel: @Sendable () -> String
    /// The tenant's notifications per receiver per minute; nil is unlimited.
    public var limit: @Sendable (_ tenant: String) -> Int?
    /// Told of every held group and every digest sent.
    public var observe: @Sendable (TenantNotificationEvent) -> Void

    /// Creates a policy.
    public init(
        tenantLabel: @escaping @Sendable () -> String, limit: @escaping @Sendable (_ tenant: String) -> Int?,
        observe: @escaping @Sendable (TenantNotificationEvent) -> Void = { _ in }
    ) {
        self.tenantLabel = tenantLabel
        self.limit = limit
        self.observe = observe
    }
}

/// What the notification limit did.
public enum TenantNotificationEvent: Sendable, Equatable {
    /// A group's notification was held for the tenant's next digest to the receiver.
    case held(tenant: String, receiver: String)
    /// A digest carrying `groups` held groups went out to every integration of the receiver that accepted it.
    case digestSent(tenant: String, receiver: String, groups: Int)
}

/// The notification limit's state: the budget and, per held group, what its notification-log entries need.
struct DigestState {
    struct Held {
        var hashes: (firing: Set<UInt64>, resolved: Set<UInt64>)
        var repeatInterval: PromDuration
        var limit: Int
    }

    var budget = NotificationBudget()
    /// By receiver, then group key.
    var held: [String: [String: Held]] = [:]
}

extension Engine {
    /// The tenant a flushed batch belongs to: the tenant label's value when every alert has the same one. A batch
    /// of several tenants (a group across tenants) or with platform alerts has no tenant limit.
    func soleTenant(of batch: [Alert], label: String) -> String? {
        guard let tenant = batch.first?.labels[label] else { return nil }
        return batch.allSatisfy { $0.labels[label] == tenant } ? tenant : nil
    }

    /// Whether a notification that would go out now must instead wait for the tenant's digest (the limit of the
    /// minute is spent); then it is held. Notifications that would not go out at all (deduplicated by the
    /// notification log) neither spend the budget nor are held.
    func holdsForDigest(
        _ notification: GroupNotification, hashes: (firing: Set<UInt64>, resolved: Set<UInt64>),
        notifiers: [any Notifier], repeatInterval: PromDuration
    ) -> Bool {
        guard let policy = tenantPolicy, let tenant = soleTenant(of: notification.alerts, label: policy.tenantLabel()),
            let limit = policy.limit(tenant)
        else { return false }
        let due = notifiers.enumerated().contains { index, notifier in
            needsDelivery(
                notification, hashes: hashes, notifier: notifier, index: index, repeatInterval: repeatInterval)
        }
        guard due else { return false }
        let held = digestState.withLock { state in
            guard !state.budget.admit(notification, tenant: tenant, limit: limit) else { return false }
            state.held[notification.receiver, default: [:]][notification.groupKey] = DigestState.Held(
                hashes: hashes, repeatInterval: repeatInterval, limit: limit)
            return true
        }
        if held { policy.observe(.held(tenant: tenant, receiver: notification.receiver)) }
        return held
    }

    /// Sends every digest due at `now`, each as one notification to every integration of its receiver; for each
    /// integration that delivered it, the held groups' notification-log entries are written, so a group is not
    /// notified again within its `repeat_interval` unless it changes. A digest an integration fails to deliver
    /// (after retries) writes nothing for it: its groups go out again at their next flush.
    public func sendDueDigests(now: Date) async {
        guard let policy = tenantPolicy else { return }
        let due = digestState.withLock { state in
            state.budget.takeDueDigests(now: now).map { digest in
                let held = digest.groups.compactMap { group in
                    state.held[digest.key.receiver]?.removeValue(forKey: group.groupKey).map { (group.groupKey, $0) }
                }
                return (digest, held)
            }
        }
        let receivers = config.receivers
        await withTaskGroup(of: Void.self) { tasks in
            for (digest, held) in due {
                tasks.addTask {  // allowed: structured child task of a task group
                    let sent = await self.deliverDigest(
                        digest, held: held, notifiers: receivers[digest.key.receiver] ?? [], policy: policy, now: now)
                    if sent {
                        policy.observe(
                            .digestSent(
                                tenant: digest.key.tenant, receiver: digest.key.receiver, groups: digest.groups.count))
                    }
                }
            }
        }
    }

    private func deliverDigest(
        _ digest: NotificationBudget.Digest, held: [(String, DigestState.Held)], notifiers: [any Notifier],
        policy: TenantNotificationPolicy, now: Date
    ) async -> Bool {
        let limit = held.map(\.1.limit).max() ?? 0
        let deadline = now.addingTimeInterval(60)
        let notification = digest.notification(
            tenantLabel: policy.tenantLabel(), limit: limit, now: now, deadline: deadline)
        return await withTaskGroup(of: Bool.self) { tasks in
            for (index, notifier) in notifiers.enumerated() {
                tasks.addTask {  // allowed: structured child task of a task group
                    var toSend = notification
                    if !notifier.sendResolved { toSend.alerts = notification.alerts.filter { !$0.isResolved(at: now) } }
                    if !toSend.alerts.isEmpty {
                        let integration = self.metrics.integration(notifier.integrationName)
                        let failure = await self.send(
                            toSend, notifier: notifier, metrics: integration, deadline: deadline)
                        self.metrics.notified(
                            receiver: digest.key.receiver, integration: integration, failed: failure != nil)
                        if failure != nil { return false }
                    }
                    let key = ReceiverKey(
                        groupName: digest.key.receiver, integration: notifier.integrationName, index: index)
                    for (groupKey, group) in held {
                        let written = self.nflogState.withLock {
                            $0.log(
                                groupKey: groupKey, receiver: key, firing: group.hashes.firing,
                                resolved: group.hashes.resolved, now: now, retention: self.options.retention,
                                repeatInterval: group.repeatInterval)
                        }
                        if let written { await self.nflogWriter.write(written) }
                    }
                    return true
                }
            }
            var any = false
            for await sent in tasks where sent { any = true }
            return any
        }
    }
}

/// Sends the digests of tenants over `max_notifications_per_minute` at the start of each minute, until graceful
/// shutdown (groups still held then were not logged as notified, so they go out again after a restart).
struct DigestService: Service {
    let engine: Engine

    func run() async {
        _ = await cancelWhenGracefulShutdown { await sendUntilCancelled() }
    }

    private func sendUntilCancelled() async {
        let clock = engine.clock
        while !Task.isCancelled {
            let minute = (clock.now.timeIntervalSince1970 / 60).rounded(.down)
            do { try await clock.sleep(until: Date(timeIntervalSince1970: (minute + 1) * 60)) } catch { return }
            await engine.sendDueDigests(now: clock.now)
        }
    }
}
