/// A template parse or execution error, worded as Go's `text/template` words it
/// (`template: NAME:LINE:COL: executing "NAME" at <.Foo>: ...`).
public struct TemplateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The full message.
    public let message: String

    /// Creates an error with a full message.
    public init(message: String) {
        self.message = message
    }

    /// The full message.
    public var description: String { message }
}
