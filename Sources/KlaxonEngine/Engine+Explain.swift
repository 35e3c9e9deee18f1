import Foundation
import KlaxonCore

extension Engine {
    /// The whole decision for `labels` at `at` (KlaxonCore's `Explanation`) over the state held now: the running
    /// routing tree and time intervals, the inhibitor's source alerts and every stored silence; and, per route, when
    /// the notification log says its group last notified each integration, and when its group next flushes.
    public func explain(_ labels: LabelSet, at: Date, now: Date) -> Explanation {
        let config = self.config
        let inhibitor = inhibitorState.withLock { $0 }
        let silences = silenceState.withLock { $0.all }
        var explanation = Explanation(
            labels: labels, at: at, now: now, route: config.route, timeIntervals: config.timeIntervals,
            inhibitor: inhibitor, silences: silences)
        let groups = dispatcher.groups()
        for index in explanation.routes.indices {
            let decision = explanation.routes[index]
            explanation.routes[index].nextFlush =
                groups.first {
                    $0.route.path == decision.route.path && $0.labels == decision.groupLabels
                }?.nextFlush
            let receiver = decision.route.receiver
            let notifiers = config.receivers[receiver] ?? []
            explanation.routes[index].lastNotified = nflogState.withLock { log in
                notifiers.enumerated().compactMap { position, notifier in
                    let key = ReceiverKey(groupName: receiver, integration: notifier.integrationName, index: position)
                    return log.query(groupKey: decision.groupKey, receiver: key).map {
                        Explanation.Notified(integration: "\(notifier.integrationName)[\(position)]", at: $0.timestamp)
                    }
                }
            }
        }
        return explanation
    }
}
