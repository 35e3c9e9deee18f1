extension GoLinearRegexp {
    /// Why Go 1.19's `regexp/syntax` refuses a pattern, and the part of the pattern it quotes (Go's `syntax.Error`):
    /// ``description`` is Go's message word for word, which is what Alertmanager shows for a bad matcher or template
    /// pattern (`error parsing regexp: missing closing ]: `[a)$``).
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Go's `syntax.ErrorCode`s, with their text.
        public enum Code: String, Sendable, CaseIterable {
            /// Go 1.19 gives this for a pattern whose program would exceed about 3.3 million instructions (or whose
            /// classes hold more than 32 million scalars); Go 1.20 calls it `expression too large`.
            case internalError = "regexp/syntax: internal error"
            /// Declared by Go 1.19 but never produced by its parser.
            case invalidCharClass = "invalid character class"
            case invalidCharRange = "invalid character class range"
            case invalidEscape = "invalid escape sequence"
            case invalidNamedCapture = "invalid named capture"
            case invalidPerlOp = "invalid or unsupported Perl syntax"
            case invalidRepeatOp = "invalid nested repetition operator"
            case invalidRepeatSize = "invalid repeat count"
            /// Not produced here: a Swift `String` is valid UTF-8 (bad bytes were replaced when it was decoded).
            case invalidUTF8 = "invalid UTF-8"
            case missingBracket = "missing closing ]"
            case missingParen = "missing closing )"
            case missingRepeatArgument = "missing argument to repetition operator"
            case trailingBackslash = "trailing backslash at end of expression"
            case unexpectedParen = "unexpected )"
            case nestingDepth = "expression nests too deeply"
        }

        /// What is wrong.
        public let code: Code
        /// The part of the pattern Go quotes (its `Error.Expr`): the whole pattern for parentheses and limits, the
        /// offending piece otherwise, empty for a trailing backslash.
        public let expression: String

        public init(_ code: Code, _ expression: String) {
            self.code = code
            self.expression = expression
        }

        public var description: String { "error parsing regexp: \(code.rawValue): `\(expression)`" }
    }
}
