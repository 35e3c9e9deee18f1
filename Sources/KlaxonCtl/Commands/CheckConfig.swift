import ArgumentParser
import Foundation
import KlaxonConfig

/// `klaxonctl check-config FILE...`: amtool's `check-config`.
public struct CheckConfigCommand: ParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate alertmanager config files.",
        discussion: """
            Will validate the syntax and schema for alertmanager config file and associated templates. \
            Non existing templates will not trigger errors.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files to be validated.")
    var files: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Runs the check and exits like amtool.
    public func run() throws {
        try emit(Self.check(files: files))
    }

    /// A template checker: given the resolved template globs, an error message or nil. The default parses them
    /// with Klaxon's template engine (`TemplateValidation.validate`); nil skips the check.
    public typealias TemplateValidator = @Sendable ([String]) -> String?

    /// The output of `check-config` for these files (amtool 0.25's text and exit code). Template globs are those of
    /// the loaded config, already resolved against the config file's directory.
    public static func check(
        files: [String], templateValidator: TemplateValidator? = TemplateValidation.validate(globs:)
    ) -> CommandOutput {
        for file in files where !FileManager.default.fileExists(atPath: file) {
            return .fatal("path '\(file)' does not exist\n")
        }
        var out = ""
        var failed = 0
        for file in files {
            out += "Checking '\(file)'"
            do {
                let config = try Config.load(file: file)
                out += "  SUCCESS\n"
                out += "Found:\n"
                out += " - global config\n"
                out += " - route\n"
                out += " - \(config.inhibitRules.count) inhibit rules\n"
                out += " - \(config.receivers.count) receivers\n"
                out += " - \(config.templates.count) templates\n"
                if !config.templates.isEmpty {
                    if let message = templateValidator?(config.templates) {
                        out += "  FAILED: \(message)\n"
                        failed += 1
                    } else {
                        out += "  SUCCESS\n"
                    }
                }
            } catch {
                out += "  FAILED: \(error.description)\n"
                failed += 1
            }
            out += "\n"
        }
        if failed > 0 { return .fatal("failed to validate \(failed) file(s)\n", stdout: out) }
        return CommandOutput(stdout: out)
    }
}

/// Prints a command's output and exits with its code.
func emit(_ output: CommandOutput) throws {
    FileHandle.standardOutput.write(Data(output.stdout.utf8))
    FileHandle.standardError.write(Data(output.stderr.utf8))
    if output.exitCode != 0 { throw ExitCode(output.exitCode) }
}
