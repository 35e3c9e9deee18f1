import Foundation

/// A silence's state at a given time.
public enum SilenceState: String, Hashable, Sendable, CaseIterable {
    /// Starts in the future.
    case pending
    /// Mutes matching alerts.
    case active
    /// Ended.
    case expired
}

/// A silence: alerts whose labels match every matcher are muted while it is active.
public struct Silence: Hashable, Sendable {
    /// The silence ID (a UUID string).
    public var id: String
    /// The matchers; all must match (an absent label reads as `""`).
    public var matchers: [Matcher]
    /// When the silence starts muting.
    public var startsAt: Date
    /// When the silence stops muting (at `endsAt` exactly it still mutes).
    public var endsAt: Date
    /// When the silence was last written.
    public var updatedAt: Date
    /// Who created the silence.
    public var createdBy: String
    /// Free-text comment.
    public var comment: String

    /// Creates a silence.
    public init(
        id: String,
        matchers: [Matcher],
        startsAt: Date,
        endsAt: Date,
        updatedAt: Date,
        createdBy: String,
        comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
    }

    /// Pending before `startsAt`, expired after `endsAt`, active otherwise (both ends included).
    public func state(at now: Date) -> SilenceState {
        if now < startsAt { return .pending }
        if now > endsAt { return .expired }
        return .active
    }

    /// Whether every matcher accepts `labels` (regardless of state).
    public func matches(_ labels: LabelSet) -> Bool {
        for matcher in matchers where !matcher.matches(labels) { return false }
        return true
    }
}

/// A matcher as posted to the silences API, before validation: name, operator and value.
public struct SilenceMatcherSpec: Hashable, Sendable, CustomStringConvertible {
    /// The operator.
    public var type: Matcher.MatchType
    /// The label name (validated when the silence is stored).
    public var name: String
    /// The value or regular-expression source (validated when the silence is stored).
    public var value: String

    /// Creates a spec.
    public init(type: Matcher.MatchType, name: String, value: String) {
        self.type = type
        self.name = name
        self.value = value
    }

    /// Creates a spec from the API fields (`isEqual` defaults to true in the API; `=` without either flag).
    public init(name: String, value: String, isRegex: Bool = false, isEqual: Bool = true) {
        let type: Matcher.MatchType =
            switch (isEqual, isRegex) {
            case (true, false): .equal
            case (false, false): .notEqual
            case (true, true): .regexMatch
            case (false, true): .regexNoMatch
            }
        self.init(type: type, name: name, value: value)
    }

    /// The spec of an existing matcher.
    public init(_ matcher: Matcher) {
        self.init(type: matcher.type, name: matcher.name, value: matcher.value)
    }

    /// `name="value"`, as `Matcher.description`.
    public var description: String { "\(name)\(type.rawValue)\"\(Matcher.escape(value))\"" }
}

/// A silence as posted to `POST /api/v2/silences`: an optional ID (update) and unvalidated matchers.
public struct PostableSilence: Hashable, Sendable {
    /// The ID of the silence to update, or `""` to create one.
    public var id: String
    /// The matchers, validated by `SilenceStore.set`.
    public var matchers: [SilenceMatcherSpec]
    /// Requested start.
    public var startsAt: Date
    /// Requested end.
    public var endsAt: Date
    /// Who created the silence.
    public var createdBy: String
    /// Free-text comment.
    public var comment: String

    /// Creates a postable silence.
    public init(
        id: String = "",
        matchers: [SilenceMatcherSpec],
        startsAt: Date,
        endsAt: Date,
        createdBy: String,
        comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }

    /// The postable form of a silence (its `updatedAt` is dropped; the store sets it).
    public init(_ silence: Silence) {
        self.init(
            id: silence.id,
            matchers: silence.matchers.map(SilenceMatcherSpec.init),
            startsAt: silence.startsAt,
            endsAt: silence.endsAt,
            createdBy: silence.createdBy,
            comment: silence.comment
        )
    }
}
