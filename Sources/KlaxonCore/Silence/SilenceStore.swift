import Foundation

/// What `SilenceStore.set` did.
public struct SilenceSetResult: Hashable, Sendable {
    /// The ID of the silence written (the posted ID when updated in place, a new one otherwise).
    public var id: String
    /// The silence as stored.
    public var silence: Silence
    /// The previous silence, expired because it could not be updated in place (nil when none was expired).
    public var expired: Silence?

    /// Every silence the call wrote, for persistence: the expired one first.
    public var written: [Silence] { (expired.map { [$0] } ?? []) + [silence] }
}

/// Silences written or removed since the last `SilenceStore.takeChanges()`.
public struct SilenceChanges: Hashable, Sendable {
    /// Silences created or modified (their current values), sorted by ID.
    public var written: [Silence]
    /// IDs of silences garbage-collected, sorted.
    public var removed: [String]

    /// Whether nothing changed.
    public var isEmpty: Bool { written.isEmpty && removed.isEmpty }
}

/// The number of silences in each state.
public struct SilenceCounts: Hashable, Sendable {
    /// Active silences.
    public var active = 0
    /// Pending silences.
    public var pending = 0
    /// Expired silences not yet garbage-collected.
    public var expired = 0

    /// The count for one state.
    public subscript(state: SilenceState) -> Int {
        switch state {
        case .active: active
        case .pending: pending
        case .expired: expired
        }
    }
}

/// Alertmanager 0.25's silence state (`silence.Silences`) without I/O or clock: create, update, expire,
/// query, garbage-collect and mute. Every call that depends on time takes `now`.
public struct SilenceStore: Sendable {
    private var silences: [String: Silence] = [:]
    private var index = SilenceMuteIndex()
    private var dirty: Set<String> = []
    private var removed: Set<String> = []

    /// Bumped by every change (set, expire, merge, and a GC that removed something).
    public private(set) var version: UInt64 = 0

    /// An empty store.
    public init() {}

    /// The number of stored silences, expired ones included.
    public var count: Int { silences.count }

    /// Every stored silence, in no particular order.
    public var all: [Silence] { Array(silences.values) }

    /// The silence with `id`, if stored.
    public func get(id: String) -> Silence? { silences[id] }

    // MARK: Set

    /// `POST /api/v2/silences`: validates and creates or updates a silence, as Alertmanager 0.25 does.
    ///
    /// Checks in order: `startsAt >= endsAt`, `endsAt < now`, unknown non-empty ID, then (when the silence
    /// cannot be updated in place) the previous silence is expired *before* the new one is validated, so an
    /// invalid replacement still expires the old silence (observed in 0.25; see `takeChanges()`).
    ///
    /// An existing silence is updated in place (same ID) when its matchers are identical and: it is active,
    /// the new `startsAt` is in the same Unix second and the new `endsAt` is not before `now`; or it is pending
    /// and the new `startsAt` is not before `now`. Otherwise a new silence is created with `newID()`, its
    /// `startsAt` raised to `now`.
    public mutating func set(
        _ postable: PostableSilence,
        now: Date,
        newID: () -> String
    ) throws(SilenceError) -> SilenceSetResult {
        guard postable.startsAt < postable.endsAt else { throw .startNotBeforeEnd }
        guard !(postable.endsAt < now) else { throw .endInPast }
        var expired: Silence?
        if !postable.id.isEmpty {
            guard let previous = silences[postable.id] else { throw .notFound }
            if Self.canUpdate(previous, with: postable, now: now) {
                let matchers = try Self.validate(postable.matchers)
                var updated = Silence(postable, matchers: matchers, updatedAt: now)
                updated.id = previous.id
                write(updated)
                return SilenceSetResult(id: updated.id, silence: updated, expired: nil)
            }
            expired = expireSilence(previous, now: now)
        }
        let matchers = try Self.validate(postable.matchers)
        var created = Silence(postable, matchers: matchers, updatedAt: now)
        created.id = newID()
        if created.startsAt < now { created.startsAt = now }
        write(created)
        return SilenceSetResult(id: created.id, silence: created, expired: expired)
    }

    /// Sets an already-built silence (see `set(_:now:newID:)` for the rules).
    public mutating func set(
        _ silence: Silence,
        now: Date,
        newID: () -> String
    ) throws(SilenceError) -> SilenceSetResult {
        try set(PostableSilence(silence), now: now, newID: newID)
    }

    /// Alertmanager's `canUpdate`: whether `postable` may overwrite `previous` in place.
    static func canUpdate(_ previous: Silence, with postable: PostableSilence, now: Date) -> Bool {
        guard previous.matchers.count == postable.matchers.count else { return false }
        for (old, new) in zip(previous.matchers, postable.matchers) where SilenceMatcherSpec(old) != new {
            return false
        }
        switch previous.state(at: now) {
        case .active:
            let sameSecond =
                previous.startsAt.timeIntervalSince1970.rounded(.down)
                == postable.startsAt.timeIntervalSince1970.rounded(.down)
            return sameSecond && !(postable.endsAt < now)
        case .pending:
            return !(postable.startsAt < now)
        case .expired:
            return false
        }
    }

    // MARK: Expire

    /// `DELETE /api/v2/silence/{id}`: an active silence ends at `now`, a pending one starts and ends at `now`,
    /// an expired one is left alone (returns nil). Returns the silence written.
    @discardableResult
    public mutating func expire(id: String, now: Date) throws(SilenceError) -> Silence? {
        guard let silence = silences[id] else { throw .notFound }
        return expireSilence(silence, now: now)
    }

    private mutating func expireSilence(_ silence: Silence, now: Date) -> Silence? {
        var expired = silence
        switch silence.state(at: now) {
        case .expired:
            return nil
        case .active:
            expired.endsAt = now
        case .pending:
            expired.startsAt = now
            expired.endsAt = now
        }
        expired.updatedAt = now
        write(expired)
        return expired
    }

    // MARK: Query

    /// `GET /api/v2/silences`: silences holding every `filter` matcher verbatim (same name, operator and
    /// value; not label matching), in the API's order (see `apiOrder`).
    public func query(filter: [Matcher] = [], now: Date) -> [Silence] {
        let selected = silences.values.filter { silence in
            filter.allSatisfy { wanted in silence.matchers.contains(wanted) }
        }
        return Self.sortedForAPI(selected, now: now)
    }

    /// Sorts as `GET /api/v2/silences`: active by `endsAt` ascending, then pending by `startsAt` ascending, then
    /// expired by `endsAt` descending. Ties (unordered in Alertmanager) are broken by ID.
    public static func sortedForAPI(_ silences: [Silence], now: Date) -> [Silence] {
        silences.map { ($0, $0.state(at: now)) }
            .sorted { lhs, rhs in
                let (a, stateA) = lhs
                let (b, stateB) = rhs
                if stateA != stateB { return rank(stateA) < rank(stateB) }
                switch stateA {
                case .active where a.endsAt != b.endsAt: return a.endsAt < b.endsAt
                case .pending where a.startsAt != b.startsAt: return a.startsAt < b.startsAt
                case .expired where a.endsAt != b.endsAt: return a.endsAt > b.endsAt
                default: return a.id < b.id
                }
            }
            .map(\.0)
    }

    private static func rank(_ state: SilenceState) -> Int {
        switch state {
        case .active: 0
        case .pending: 1
        case .expired: 2
        }
    }

    /// The number of silences per state at `now` (the `alertmanager_silences{state}` gauge).
    public func counts(at now: Date) -> SilenceCounts {
        var counts = SilenceCounts()
        for silence in silences.values {
            switch silence.state(at: now) {
            case .active: counts.active += 1
            case .pending: counts.pending += 1
            case .expired: counts.expired += 1
            }
        }
        return counts
    }

    // MARK: Mute

    /// IDs (sorted) of the silences active at `now` whose matchers all accept `labels`.
    ///
    /// Only silences indexed under one of the alert's labels, plus those without an indexable matcher,
    /// are examined.
    public func mutes(_ labels: LabelSet, now: Date) -> [String] {
        var result: [String] = []
        func check(_ id: String) {
            guard let silence = silences[id], silence.state(at: now) == .active, silence.matches(labels) else {
                return
            }
            result.append(id)
        }
        for label in labels {
            guard let bucket = index.buckets[label] else { continue }
            for id in bucket { check(id) }
        }
        for id in index.unindexed { check(id) }
        if result.count > 1 { result.sort() }
        return result
    }

    // MARK: Maintenance

    /// Drops silences with `endsAt + retention <= now` and returns their IDs (sorted). Silences that are expired
    /// at `now` but retained leave the mute index (they can never mute again).
    @discardableResult
    public mutating func gc(now: Date, retention: PromDuration) -> [String] {
        var dropped: [String] = []
        for silence in silences.values {
            if silence.endsAt.addingTimeInterval(retention.seconds) <= now {
                dropped.append(silence.id)
            } else if silence.state(at: now) == .expired {
                index.remove(id: silence.id)
            }
        }
        for id in dropped {
            silences[id] = nil
            index.remove(id: id)
            dirty.remove(id)
            removed.insert(id)
        }
        if !dropped.isEmpty { version &+= 1 }
        return dropped.sorted()
    }

    /// Merges a silence from a snapshot (or a peer): dropped when `endsAt + retention < now`, otherwise kept when
    /// there is no stored silence with that ID or the stored one has an older `updatedAt`. Returns whether taken.
    @discardableResult
    public mutating func merge(_ silence: Silence, now: Date, retention: PromDuration) -> Bool {
        if silence.endsAt.addingTimeInterval(retention.seconds) < now { return false }
        if let previous = silences[silence.id], !(previous.updatedAt < silence.updatedAt) { return false }
        write(silence)
        return true
    }

    /// Returns and clears what was written or removed since the last call, including the previous silence that
    /// `set` expired before throwing a validation error.
    public mutating func takeChanges() -> SilenceChanges {
        let written = dirty.compactMap { silences[$0] }.sorted { $0.id < $1.id }
        let changes = SilenceChanges(written: written, removed: removed.sorted())
        dirty.removeAll()
        removed.removeAll()
        return changes
    }

    private mutating func write(_ silence: Silence) {
        silences[silence.id] = silence
        index.insert(silence)
        dirty.insert(silence.id)
        removed.remove(silence.id)
        version &+= 1
    }
}

extension Silence {
    /// A silence from a postable one with validated matchers.
    fileprivate init(_ postable: PostableSilence, matchers: [Matcher], updatedAt: Date) {
        self.init(
            id: postable.id,
            matchers: matchers,
            startsAt: postable.startsAt,
            endsAt: postable.endsAt,
            updatedAt: updatedAt,
            createdBy: postable.createdBy,
            comment: postable.comment
        )
    }
}
