import KlaxonAPIModels
import KlaxonCore

/// A command-line matcher that did not parse: which argument, and Alertmanager's reason.
public struct CommandLineMatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The argument as given.
    public var argument: String
    /// The argument's position among the matchers, from 0.
    public var position: Int
    /// Alertmanager's message, e.g. `bad matcher format: b` (it names the matcher).
    public var message: String

    /// The message as amtool prints it.
    public var description: String { message }
}

/// amtool's rule for the first matcher argument: when it does not parse as a matcher (`foo`, or `foo=~(` with a
/// bad regex), it is taken as the alert name and becomes `alertname=<arg>`. Returns the arguments to use.
public func normalizeCommandLineMatchers(_ args: [String], firstArgIsAlertname: Bool) -> [String] {
    guard firstArgIsAlertname, let first = args.first else { return args }
    var result = args
    if (try? Matcher.parse(first)) == nil { result[0] = "alertname=" + first }
    return result
}

/// Parses command-line matchers (`name=value`, `name!=value`, `name=~regex`, `name!~regex`, values optionally
/// double-quoted) with Alertmanager 0.25's parser, one matcher per argument, applying amtool's alertname rule when
/// `firstArgIsAlertname`. Throws ``CommandLineMatcherError`` for the first bad argument.
public func parseCommandLineMatchers(_ args: [String], firstArgIsAlertname: Bool) throws -> [SilenceMatcherSpec] {
    let normalized = normalizeCommandLineMatchers(args, firstArgIsAlertname: firstArgIsAlertname)
    var result: [SilenceMatcherSpec] = []
    for (position, text) in normalized.enumerated() {
        do {
            let matcher = try Matcher.parse(text)
            result.append(
                SilenceMatcherSpec(
                    name: matcher.name, value: matcher.value, isRegex: matcher.type.isRegex,
                    isEqual: matcher.type.isEqual))
        } catch {
            throw CommandLineMatcherError(argument: args[position], position: position, message: error.description)
        }
    }
    return result
}
