/// Why a `klaxonctl maintenance` command refused to act. The message is a whole sentence meant for the terminal of
/// an on-call engineer or a CI log.
public struct MaintenanceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, stable for tests and callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The `--key` is empty, too long or contains characters that would make it confusable.
        public static let invalidKey = Code("invalid-key")
        /// A matcher argument does not parse.
        public static let invalidMatcher = Code("invalid-matcher")
        /// No matchers were given and `--all-tenants` was not.
        public static let emptyMatchers = Code("empty-matchers")
        /// A matcher has an empty value (typically an unset CI variable) and `--all-tenants` was not given.
        public static let emptyMatcherValue = Code("empty-matcher-value")
        /// No matcher selects specific alerts (every positive one also matches an empty value, or there is none)
        /// and `--all-tenants` was not given.
        public static let unselectiveMatchers = Code("unselective-matchers")
        /// `--for` or `--linger` is not a usable duration.
        public static let invalidDuration = Code("invalid-duration")

        /// The code's name.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// The message.
    public let description: String

    /// Creates an error.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
