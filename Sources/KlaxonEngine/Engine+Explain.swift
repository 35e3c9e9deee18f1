import Foundation
import KlaxonCore

extension Engine {
    /// The whole decision for `labels` at `at` (KlaxonCore's `Explanation`) over the state held now: the running
    /// routing tree and time intervals, the inhibitor's source alerts and every stored silence.
    public func explain(_ labels: LabelSet, at: Date, now: Date) -> Explanation {
        let config = self.config
        let inhibitor = inhibitorState.withLock { $0 }
        let silences = silenceState.withLock { $0.all }
        return Explanation(
            labels: labels, at: at, now: now, route: config.route, timeIntervals: config.timeIntervals,
            inhibitor: inhibitor, silences: silences)
    }
}
