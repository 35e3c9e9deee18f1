import ArgumentParser
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore

/// `klaxonctl config diff-routes --config.file NEW`: a dry run of a routing change against the alerts the server
/// holds now. Not an amtool command.
public struct DiffRoutesCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "diff-routes",
        abstract: "Show which receivers the server's alerts would reach under a new config.",
        discussion: """
            For every alert the server holds now, routes its labels through the running configuration \
            (GET /api/v2/status, so an admin's view) and through --config.file, and prints the alerts that would \
            gain or lose a receiver and the groups that would split or merge.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("config.file"), help: "The new configuration file.")
    var configFile: String

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Prints the difference.
    public func run() async throws {
        let global = global
        let configFile = configFile
        try emit(
            await apiCommand {
                let client = try global.makeClient()
                return try await Self.diff(api: client, alertAPI: client, configFile: configFile)
            })
    }

    /// The difference between the server's running routes and `configFile`'s for the server's alerts.
    public static func diff(api: some StatusAPI, alertAPI: some AlertAPI, configFile: String) async throws
        -> CommandOutput
    {
        let new = try Config.load(file: configFile)
        let loaded = await RoutesSource.load(api: api)
        let running: Config
        switch loaded.config {
        case .success(let config): running = config
        case .failure(let failure): return .fatal("reading the running configuration: \(failure.message)")
        }
        let alerts = try await alertAPI.alerts(AlertQuery())
        let diff = RouteDiff(before: running.routeTree, after: new.routeTree, labelSets: alerts.map(\.labels))
        return CommandOutput(stdout: render(diff))
    }

    static func render(_ diff: RouteDiff) -> String {
        let changed = diff.changed
        var out = ""
        for change in changed {
            let moves = change.lost.map { "-" + $0 } + change.gained.map { "+" + $0 }
            out += "\(change.labels)  \(moves.joined(separator: " "))\n"
        }
        for (word, groups) in [("splits", diff.splits), ("merges", diff.merges)] {
            for group in groups {
                out += "group \(group.groupKey) (\(group.receiver)) \(word): \(group.into.joined(separator: ", "))\n"
            }
        }
        let gaining = changed.filter { !$0.gained.isEmpty }.count
        let losing = changed.filter { !$0.lost.isEmpty }.count
        out +=
            "\(diff.alerts.count) alerts: \(changed.count) would change receivers (\(gaining) gain, \(losing) lose one), "
            + "\(diff.splits.count) groups would split, \(diff.merges.count) would merge\n"
        return out
    }
}
