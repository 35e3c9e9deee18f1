/// A secret from the config (API URLs with tokens, keys, passwords). It never prints its value: every textual
/// form (`description`, `debugDescription`, `String(reflecting:)`, `dump`, interpolation) is `<secret>`.
/// Read the value through ``revealed``.
public struct Secret: Sendable, Hashable {
    private let storage: String

    /// Wraps a secret value.
    public init(_ value: String) { storage = value }

    /// The secret value. Use only where it is sent to its destination.
    public var revealed: String { storage }

    /// Whether the value is empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// What every textual form prints.
    public static let masked = "<secret>"
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable,
    CustomPlaygroundDisplayConvertible
{
    /// `<secret>`.
    public var description: String { Secret.masked }
    /// `<secret>`.
    public var debugDescription: String { Secret.masked }
    /// A mirror with no children, so `dump` and reflection never reach the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
    /// `<secret>`.
    public var playgroundDescription: Any { Secret.masked }
}

/// A URL read from the config, validated with Alertmanager's rules (http or https, with a host).
public struct ConfigURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL text as written.
    public let string: String

    /// Wraps a validated URL string.
    init(validated string: String) { self.string = string }

    /// The URL text.
    public var description: String { string }
}

/// A secret URL (Slack `api_url`, webhook `url`): validated like ``ConfigURL``, printed as `<secret>`.
public struct SecretURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let storage: String

    init(validated string: String) { storage = string }

    /// The URL. Use only where the request is made.
    public var revealed: String { storage }
    /// `<secret>`.
    public var description: String { Secret.masked }
    /// `<secret>`.
    public var debugDescription: String { Secret.masked }
    /// A mirror with no children.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
