import ArgumentParser
import Foundation

/// `klaxonctl template`: amtool's `template` commands.
public struct TemplateCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Render template files.", subcommands: [TemplateRenderCommand.self])

    /// Creates the command.
    public init() {}
}

/// `klaxonctl template render`: renders `--template.text` with the default templates, the `--template.glob` files
/// and either `--template.data` or amtool's sample data.
public struct TemplateRenderCommand: ParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a given definition in a template file to standard output.",
        discussion: """
            Klaxon's default templates (slack.default.title, pagerduty.default.description, __subject, ...) are \
            always available; the --template.glob files are added to them and may override their defines.
            """)

    @OptionGroup var global: GlobalOptions

    /// `--template.glob`, repeatable.
    @Option(
        name: .customLong("template.glob"),
        help: "Glob of paths that will be expanded and used for rendering (required; repeatable).")
    var globs: [String] = []

    /// `--template.text`; an array only so that a repeated flag is reported like amtool does.
    @Option(name: .customLong("template.text"), help: "The template that will be rendered (required).")
    var texts: [String] = []

    /// `--template.type`.
    @Option(
        name: .customLong("template.type"),
        help: "The type of the template. Can be either text (default) or html.")
    var type: String?

    /// `--template.data`.
    @Option(
        name: .customLong("template.data"),
        help: ArgumentHelp(
            """
            Full path to a file which contains the data of the alert(-s) with which the --template.text will be \
            rendered. Must be in JSON, laid out like Alertmanager's template.Data. If none has been specified \
            then a predefined, simple alert will be used for rendering.
            """))
    var data: String?

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// The command's output for its parsed flags.
    public func output(directory: String = FileManager.default.currentDirectoryPath, now: Date = Date())
        -> CommandOutput
    {
        TemplateRender.render(globs: globs, texts: texts, type: type, dataFile: data, directory: directory, now: now)
    }

    /// Renders and exits like amtool.
    public func run() throws {
        try emit(output())
    }
}
