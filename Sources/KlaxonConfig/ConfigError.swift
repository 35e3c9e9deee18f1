/// A config that Alertmanager would reject. ``description`` is Alertmanager's message (what `amtool check-config`
/// prints after `FAILED: `); ``diagnostics`` locate each problem in the file.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One located problem.
    public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
        /// The YAML path, e.g. `route.routes[2].matchers[0]` (empty for the document).
        public let path: String
        /// 1-based line, when known.
        public let line: Int?
        /// The problem.
        public let message: String

        /// Creates a diagnostic.
        public init(path: String, line: Int?, message: String) {
            self.path = path
            self.line = line
            self.message = message
        }

        /// `line 12: route.routes[2].matchers[0]: bad matcher format: foo`.
        public var description: String {
            var out = ""
            if let line { out += "line \(line): " }
            if !path.isEmpty { out += path + ": " }
            return out + message
        }
    }

    /// Alertmanager's message.
    public let message: String
    /// Every located problem (one for validation errors; one per field for YAML type errors).
    public let diagnostics: [Diagnostic]

    /// Creates an error.
    public init(message: String, diagnostics: [Diagnostic] = []) {
        self.message = message
        self.diagnostics = diagnostics
    }

    /// An error at one place.
    init(_ message: String, path: String, line: Int?) {
        self.init(message: message, diagnostics: [Diagnostic(path: path, line: line, message: message)])
    }

    /// Alertmanager's message.
    public var description: String { message }

    /// The message followed by the located diagnostics, for Klaxon's own logs.
    public var detailedDescription: String {
        guard !diagnostics.isEmpty else { return message }
        return message + "\n" + diagnostics.map { "  " + $0.description }.joined(separator: "\n")
    }
}
