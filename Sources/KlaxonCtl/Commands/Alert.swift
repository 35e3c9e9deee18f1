import ArgumentParser
import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// `klaxonctl alert`: amtool's alert commands; `query` is the default.
public struct AlertCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Add or query alerts.",
        discussion: "For more information and additional flags see query help.",
        subcommands: [AlertQueryCommand.self, AlertAddCommand.self],
        defaultSubcommand: AlertQueryCommand.self)

    /// Creates the command.
    public init() {}
}

/// `klaxonctl alert query` (the default of `alert`).
public struct AlertQueryCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "query", abstract: "View and search through current alerts.",
        discussion: """
            The non-option arguments are matchers that every listed alert must satisfy:

              klaxonctl alert query alertname=foo node=bar
              klaxonctl alert query foo node=bar
                  a first argument that is not a matcher is taken as the value of alertname.
              klaxonctl alert query 'alertname=~foo.*'
                  =~ (and !~) match a regular expression, anchored at both ends.

            The state flags (inhibited, silenced, active, unprocessed) select which alerts are shown; without any, \
            only active alerts are.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: [.customShort("i"), .customLong("inhibited")], help: "Show inhibited alerts.")
    var inhibited = false

    @Flag(name: [.customShort("s"), .customLong("silenced")], help: "Show silenced alerts.")
    var silenced = false

    @Flag(name: [.customShort("a"), .customLong("active")], help: "Show active alerts.")
    var active = false

    @Flag(name: [.customShort("u"), .customLong("unprocessed")], help: "Show unprocessed alerts.")
    var unprocessed = false

    @Option(
        name: [.customShort("r"), .customLong("receiver")],
        help: "Show alerts matching receiver (Supports regex syntax).")
    var receiver: String?

    @Argument(help: "Query filter.")
    var matchers: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// The query `alert query` sends for these flags: without a state flag, only active alerts.
    public static func query(
        matchers: [String], active: Bool, silenced: Bool, inhibited: Bool, unprocessed: Bool, receiver: String?
    ) -> AlertQuery {
        let none = !active && !silenced && !inhibited && !unprocessed
        return AlertQuery(
            active: active || none, silenced: silenced, inhibited: inhibited, unprocessed: unprocessed,
            filter: normalizeCommandLineMatchers(matchers, firstArgIsAlertname: true), receiver: receiver ?? "")
    }

    /// Lists the alerts.
    public func run() async throws {
        let global = global
        let query = Self.query(
            matchers: matchers, active: active, silenced: silenced, inhibited: inhibited, unprocessed: unprocessed,
            receiver: receiver)
        try emit(
            await apiCommand {
                try await Self.run(
                    api: global.makeClient(), query: query,
                    formatter: Formatter(format: try global.validatedOutput(), dateFormat: global.dateFormat))
            })
    }

    /// `alert query`: the server filters; the table is sorted by start time.
    public static func run(api: some AlertAPI, query: AlertQuery, formatter: Formatter) async -> CommandOutput {
        await apiCommand { CommandOutput(stdout: formatter.alerts(try await api.alerts(query))) }
    }
}

/// `klaxonctl alert add`.
public struct AlertAddCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a new alert.",
        discussion: """
            The non-option arguments are the alert's labels as name=value; a first argument without = is the \
            alertname:

              klaxonctl alert add alertname=foo node=bar
              klaxonctl alert add foo node=bar --annotation=runbook='http://runbook.biz' \\
                  --annotation=summary='summary of the alert' --generator-url='http://prometheus:9090/graph'

            Without --end the server applies resolve_timeout.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Set when the alert should start. RFC3339 format 2006-01-02T15:04:05-07:00.")
    var start: String?

    @Option(help: "Set when the alert should end. RFC3339 format 2006-01-02T15:04:05-07:00.")
    var end: String?

    @Option(name: .customLong("generator-url"), help: "Set the URL of the source that generated the alert.")
    var generatorURL: String?

    @Option(help: "Set an annotation to be included with the alert (name=value, repeatable).")
    var annotation: [String] = []

    @Argument(help: "List of labels to be included with the alert.")
    var labels: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Posts the alert.
    public func run() async throws {
        let global = global
        let (labels, annotation, start, end, generatorURL) = (labels, annotation, start, end, generatorURL)
        try emit(
            await apiCommand {
                try await Self.add(
                    api: global.makeClient(), labels: labels, annotations: annotation, start: start, end: end,
                    generatorURL: generatorURL)
            })
    }

    /// amtool's `parseLabels`: `name=value` pairs; other operators are an error.
    static func parseLabels(_ args: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for (position, text) in args.enumerated() {
            let matcher: Matcher
            do {
                matcher = try Matcher.parse(text)
            } catch {
                throw CommandLineMatcherError(argument: text, position: position, message: error.description)
            }
            guard matcher.type == .equal else {
                throw APIClientError.message("labels must be specified as key=value pairs")
            }
            result[matcher.name] = matcher.value
        }
        return result
    }

    /// The alert `alert add` would post, or amtool's error.
    public static func alert(
        labels args: [String], annotations: [String], start: String?, end: String?, generatorURL: String?
    ) throws -> PostableAlert {
        var args = args
        if let first = args.first, (try? parseLabels([first])) == nil { args[0] = "alertname=" + first }
        let labels = try parseLabels(args)
        let annotations = try parseLabels(annotations)
        let startsAt = try start.map { text throws(GoParseError) in try GoTime.parseRFC3339(text).date }
        let endsAt = try end.map { text throws(GoParseError) in try GoTime.parseRFC3339(text).date }
        return PostableAlert(
            labels: LabelSet(labels), annotations: LabelSet(annotations), startsAt: startsAt, endsAt: endsAt,
            generatorURL: generatorURL ?? "")
    }

    /// `alert add`: posts one alert; prints nothing.
    public static func add(
        api: some AlertAPI, labels: [String], annotations: [String], start: String?, end: String?,
        generatorURL: String?
    ) async -> CommandOutput {
        await apiCommand {
            let alert = try alert(
                labels: labels, annotations: annotations, start: start, end: end, generatorURL: generatorURL)
            try await api.postAlerts([alert])
            return CommandOutput()
        }
    }
}
