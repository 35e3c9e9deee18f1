import ArgumentParser
import KlaxonAPIModels

/// `klaxonctl`: an amtool-compatible command line for Klaxon. Subcommands nest like amtool's;
/// `maintenance` is Klaxon's own.
public struct KlaxonCtl: AsyncParsableCommand {
    /// The name used in error messages.
    public static let programName = "klaxonctl"

    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: programName,
        abstract: "View and modify the current Alertmanager (Klaxon) state.",
        // amtool's `--version`, under the name it was invoked by (Alertmanager's acceptance tests run it as amtool).
        version: KlaxonVersion.banner(program: KlaxonVersion.invokedName(default: programName)),
        subcommands: [
            AlertCommand.self, SilenceCommand.self, CheckConfigCommand.self, ConfigCommand.self,
            TemplateCommand.self, MaintenanceCommand.self, AuditCommand.self,
        ])

    /// amtool's global flags may come before the subcommand (`klaxonctl -o json silence query`); subcommands that
    /// declare the same option group see these values.
    @OptionGroup(visibility: .hidden) var global: GlobalOptions

    /// Creates the command.
    public init() {}
}
