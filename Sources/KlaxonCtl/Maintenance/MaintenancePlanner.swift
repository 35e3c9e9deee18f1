import Foundation
import KlaxonAPIModels
import KlaxonCore

/// What `maintenance start` asks for.
public struct MaintenanceRequest: Hashable, Sendable {
    /// The window's key.
    public var key: MaintenanceKey
    /// The matchers of the silence (never empty: ``MaintenanceMatchers`` fills in `--all-tenants`).
    public var matchers: [SilenceMatcherSpec]
    /// How long the window lasts from now (`--for`); the hard ceiling if nobody closes it.
    public var duration: TimeInterval
    /// The silence's `createdBy`.
    public var createdBy: String
    /// The silence's whole comment, starting with the key's marker.
    public var comment: String

    /// Creates a request; `comment` is the user's text (may be empty), `context` where it runs from.
    public init(
        key: MaintenanceKey, matchers: [SilenceMatcherSpec], duration: TimeInterval, comment: String,
        context: CIContext,
        author: String? = nil
    ) {
        self.key = key
        self.matchers = matchers
        self.duration = duration
        self.createdBy = context.createdBy(author: author)
        let userText = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        self.comment = [key.marker, userText.isEmpty ? "Maintenance window" : userText, context.summary]
            .joined(separator: " ")
    }
}

/// A maintenance window as found on the server: an open (active or pending) silence carrying a key's marker.
public struct MaintenanceWindow: Hashable, Sendable {
    /// The key from the marker.
    public var key: String
    /// The silence.
    public var silence: GettableSilence

    /// Every open window on the server, in the server's order (active ones first, by end).
    public static func open(in silences: [GettableSilence]) -> [MaintenanceWindow] {
        silences.compactMap { silence in
            guard silence.isOpen, silence.createdBy.hasPrefix(MaintenanceMarker.createdByPrefix),
                let key = MaintenanceMarker.key(inComment: silence.comment)
            else { return nil }
            return MaintenanceWindow(key: key, silence: silence)
        }
    }
}

extension GettableSilence {
    /// Active or pending: the server has not expired it.
    var isOpen: Bool { state == .active || state == .pending }
}

/// What `maintenance start` will do, decided from the silences on the server and `now` alone.
public struct MaintenanceStartPlan: Hashable, Sendable {
    /// The outcome, for the message.
    public enum Outcome: Hashable, Sendable {
        /// No window was open: a new silence.
        case opened
        /// The open window with the same matchers gets a later end (same silence ID).
        case extended
        /// The open window already lasts at least as long; nothing to post (never shortened).
        case unchanged
        /// The open window has other matchers: a new silence is created first, then the old one is expired.
        case replaced
    }

    /// The outcome.
    public var outcome: Outcome
    /// The silence to post first: `id == nil` creates, an ID extends that silence.
    public var post: PostableSilence?
    /// The window kept as is (``Outcome/unchanged``).
    public var kept: GettableSilence?
    /// Silences of the key to expire after ``post`` succeeded: replaced windows and duplicates from racing
    /// pipelines, so that exactly one window remains and there is never a gap.
    public var expire: [String]
    /// When the window ends after the plan.
    public var endsAt: Date

    /// Whether the plan changes nothing on the server.
    public var isNoop: Bool { post == nil && expire.isEmpty }
}

/// Plans `start` and `end` as pure functions of the server's silences and the time.
public enum MaintenancePlanner {
    /// The open silences that belong to `key`.
    public static func windows(of key: MaintenanceKey, in silences: [GettableSilence]) -> [GettableSilence] {
        silences.filter { $0.isOpen && key.marks($0) }
    }

    /// How far before the client's `now` a new window's `startsAt` is posted. A client whose clock is ahead of the
    /// server's would otherwise create a *pending* silence that silences nothing until the server catches up.
    /// Alertmanager (and Klaxon) raise a past `startsAt` of a new silence to their own time, so the window still
    /// starts when the server creates it; extending in place reuses the server's `startsAt` unchanged.
    public static let startBackdate: TimeInterval = 60

    /// Plans `maintenance start`.
    ///
    /// - No open window: create one from `now` (posted as ``startBackdate`` earlier) to `now + duration`.
    /// - An active window with the same matchers (in any order): keep that silence (the one ending last if there are
    ///   several) and, when it ends before `now + duration` or before another window of the key, extend it by posting
    ///   the same ID, matchers and start. Alertmanager then keeps the ID. A window is never shortened.
    /// - Open windows, none with these matchers (or only pending ones): create the new window, lasting until the
    ///   later of `now + duration` and the old windows' ends, then expire the old ones. The new matchers win, and
    ///   alerts that both match stay silenced throughout.
    /// - Every other open silence of the key is expired, so racing pipelines converge to one window.
    public static func planStart(_ request: MaintenanceRequest, silences: [GettableSilence], now: Date)
        -> MaintenanceStartPlan
    {
        let open = windows(of: request.key, in: silences)
        let wanted = now.addingTimeInterval(request.duration)
        let target = max(wanted, open.map(\.endsAt).max() ?? wanted)
        let requested = Set(request.matchers)
        let candidates = open.filter { $0.state == .active && Set($0.matchers) == requested }
        let keeper = candidates.max { ($0.endsAt, $1.id) < ($1.endsAt, $0.id) }
        guard let keeper else {
            let create = PostableSilence(
                matchers: request.matchers, startsAt: now - startBackdate, endsAt: target, createdBy: request.createdBy,
                comment: request.comment)
            return MaintenanceStartPlan(
                outcome: open.isEmpty ? .opened : .replaced, post: create, kept: nil, expire: open.map(\.id),
                endsAt: target)
        }
        let others = open.filter { $0.id != keeper.id }.map(\.id)
        guard keeper.endsAt < target else {
            return MaintenanceStartPlan(
                outcome: .unchanged, post: nil, kept: keeper, expire: others, endsAt: keeper.endsAt)
        }
        let extend = PostableSilence(
            id: keeper.id, matchers: keeper.matchers, startsAt: keeper.startsAt, endsAt: target,
            createdBy: request.createdBy, comment: request.comment)
        return MaintenanceStartPlan(outcome: .extended, post: extend, kept: nil, expire: others, endsAt: target)
    }

    /// Plans `maintenance end`: the IDs of every open silence of `key` (none when the window is already closed).
    public static func planEnd(key: MaintenanceKey, silences: [GettableSilence]) -> [String] {
        windows(of: key, in: silences).map(\.id)
    }
}
