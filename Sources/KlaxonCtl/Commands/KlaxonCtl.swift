import ArgumentParser

/// The output formats of amtool's `-o/--output`.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Tables.
    case simple
    /// Tables with every column.
    case extended
    /// Raw API JSON.
    case json
}

/// amtool's global flags, shared by every subcommand.
public struct GlobalOptions: ParsableArguments {
    /// `--alertmanager.url`.
    @Option(name: .customLong("alertmanager.url"), help: "Alertmanager to talk to.")
    public var alertmanagerURL: String?

    /// `-o/--output`.
    @Option(name: [.customShort("o"), .customLong("output")], help: "Output formatter (simple, extended, json).")
    public var output: OutputFormat = .simple

    /// `--timeout`.
    @Option(name: .customLong("timeout"), help: "Timeout for the executed command.")
    public var timeout: String = "30s"

    /// Creates the options.
    public init() {}
}

/// `klaxonctl`: an amtool-compatible command line for Klaxon. Subcommands nest like amtool's
/// (`alert`, `silence`, `template` can be added next to `config`).
public struct KlaxonCtl: ParsableCommand {
    /// The name used in error messages.
    public static let programName = "klaxonctl"

    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: programName,
        abstract: "View and modify the current Alertmanager (Klaxon) state.",
        subcommands: [CheckConfigCommand.self, ConfigCommand.self])

    /// Creates the command.
    public init() {}
}
