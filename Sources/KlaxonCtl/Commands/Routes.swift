import ArgumentParser
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat

/// `klaxonctl config`: configuration commands.
public struct ConfigCommand: ParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "View and test the Alertmanager configuration.",
        subcommands: [ConfigShowCommand.self, RoutesCommand.self, DiffRoutesCommand.self],
        defaultSubcommand: ConfigShowCommand.self)

    /// Creates the command.
    public init() {}
}

/// `klaxonctl config show`: the running configuration from `/api/v2/status`, as amtool prints it. Klaxon
/// extension: with `--config.file` it renders a local file the way Alertmanager's `/api/v2/status` would
/// (defaults filled in, secrets masked).
public struct ConfigShowCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "View current config.",
        discussion: """
            The amount of output is controlled by the output selection flag: simple prints the configuration, \
            extended adds the version fields and uptime, json prints the whole status.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("config.file"), help: "Render this local config file instead of asking the server.")
    var configFile: String?

    /// Creates the command.
    public init() {}

    /// Prints the config.
    public func run() async throws {
        if let configFile {
            try emit(Self.show(configFile: configFile))
            return
        }
        let global = global
        try emit(
            await apiCommand {
                try await Self.show(
                    api: global.makeClient(),
                    formatter: Formatter(format: try global.validatedOutput(), dateFormat: global.dateFormat))
            })
    }

    /// `config show` against a server.
    public static func show(api: some StatusAPI, formatter: Formatter) async -> CommandOutput {
        await apiCommand { CommandOutput(stdout: formatter.status(try await api.status())) }
    }

    /// The masked YAML of a local config file.
    public static func show(configFile: String) -> CommandOutput {
        do {
            return CommandOutput(stdout: try Config.load(file: configFile).maskedYAML())
        } catch {
            return .fatal(error.description)
        }
    }
}

/// `klaxonctl config routes`: show or test the routing tree of a config file or of the server's running config.
public struct RoutesCommand: ParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Print the alert routing tree.",
        discussion: """
            Routing is loaded from a local configuration file (--config.file) or, without one, from the running \
            configuration of the Alertmanager at --alertmanager.url (GET /api/v2/status).
            """,
        subcommands: [RoutesShowCommand.self, RoutesTestCommand.self],
        defaultSubcommand: RoutesShowCommand.self)

    /// Creates the command.
    public init() {}
}

/// Options shared by the routes commands.
struct RoutesOptions: ParsableArguments {
    @Option(
        name: .customLong("config.file"),
        help: "Config file to be tested (default: the running config of --alertmanager.url).")
    var configFile: String?
}

/// Where the routes commands get their config: amtool loads `--config.file` (after warning that it overrides
/// `--alertmanager.url`) or parses the server's `config.original`, which has its secrets masked already.
enum RoutesSource {
    /// Why no config was loaded, and how amtool ends the message.
    struct Failure: Error {
        var message: String
        /// What follows the message's own newline: a fixed text for errors amtool reports before the command runs,
        /// nil where the command decides (`show` adds nothing, `test` a blank line).
        var trailer: String?

        init(_ error: any Error, trailer: String? = nil) {
            message = "\(error)"
            self.trailer = trailer
        }
    }

    /// A loaded config or the failure, with the stderr text printed before either.
    struct Loaded {
        var config: Result<Config, Failure>
        var stderr: String
    }

    /// amtool warns on stderr that --config.file wins over --alertmanager.url whenever it reads a local file.
    static let overrideWarning = "Warning: --config.file flag overrides the --alertmanager.url.\n"

    /// Reads a local file.
    static func load(configFile: String) -> Loaded {
        do {
            return Loaded(config: .success(try Config.load(file: configFile)), stderr: overrideWarning)
        } catch {
            return Loaded(config: .failure(Failure(error)), stderr: overrideWarning)
        }
    }

    /// Asks the server; no warning.
    static func load(api: some StatusAPI) async -> Loaded {
        do {
            let status = try await api.status()
            return Loaded(config: .success(try Config.parse(yaml: status.configYAML, baseDirectory: "")), stderr: "")
        } catch {
            return Loaded(config: .failure(Failure(error)), stderr: "")
        }
    }

    /// The local file when given, else the server the global options name. Like amtool, a broken amtool config
    /// file or `--timeout` fails first, with a blank line, even with a local file; `--http.config.file` is read
    /// only to reach the server, and its error ends in a single newline.
    static func load(configFile: String?, global: GlobalOptions) async -> Loaded {
        func failed(_ error: any Error, trailer: String? = nil) -> Loaded {
            Loaded(config: .failure(Failure(error, trailer: trailer)), stderr: "")
        }
        if let problem = global.configFile.problem { return failed(APIClientError.message(problem), trailer: "\n") }
        do {
            _ = try GoDuration(parsing: global.timeout)
        } catch {
            return failed(error, trailer: "\n")
        }
        if let configFile { return load(configFile: configFile) }
        if let path = global.httpConfigFile {
            do {
                _ = try HTTPConfigFile.load(path: path)
            } catch {
                return failed(error, trailer: "")
            }
        }
        let client: AlertmanagerClient
        do {
            client = try global.makeClient()
        } catch {
            return failed(error)
        }
        return await load(api: client)
    }
}

/// `klaxonctl config routes [show]`.
public struct RoutesShowCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the alert routing tree as an ASCII tree.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RoutesOptions

    /// Creates the command.
    public init() {}

    /// Prints the tree.
    public func run() async throws {
        try emit(Self.show(await RoutesSource.load(configFile: options.configFile, global: global)))
    }

    /// amtool's `config routes show` output for a config file.
    public static func show(configFile: String) -> CommandOutput {
        show(RoutesSource.load(configFile: configFile))
    }

    /// amtool's `config routes show` output for the server's running config.
    public static func show(api: some StatusAPI) async -> CommandOutput {
        show(await RoutesSource.load(api: api))
    }

    static func show(_ loaded: RoutesSource.Loaded) -> CommandOutput {
        let config: Config
        switch loaded.config {
        case .success(let loaded): config = loaded
        // amtool ends this error with a single newline, from a file or from the server.
        case .failure(let failure): return .fatal(failure.message + (failure.trailer ?? ""), stderr: loaded.stderr)
        }
        let tree = TreePrinter()
        func add(_ route: Route, to parent: TreePrinter.Node) {
            let branch = parent.addBranch(slug(route, showContinue: true, showReceiver: true))
            for child in route.routes { add(child, to: branch) }
        }
        add(config.routeTree, to: tree.root)
        return CommandOutput(stdout: "Routing tree:\n" + tree.string + "\n", stderr: loaded.stderr)
    }

    static func slug(_ route: Route, showContinue: Bool, showReceiver: Bool) -> String {
        var s = route.matchers.isEmpty ? "default-route" : route.matchers.description
        if route.continueMatching && showContinue { s += "  continue: true" }
        if showReceiver { s += "  receiver: " + route.receiver }
        return s
    }
}

/// `klaxonctl config routes test`: which receivers a label set routes to.
public struct RoutesTestCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Test alert routing.",
        discussion: """
            Prints the receiver names the alert with the given labels resolves to, comma-separated, in the order \
            of the routing tree.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RoutesOptions

    @Option(
        name: .customLong("verify.receivers"),
        help: "Checks if specified receivers matches resolved receivers; fails if they differ.")
    var verifyReceivers: String?

    @Flag(help: "Prints out matching routes tree.")
    var tree = false

    @Argument(help: "List of labels (name=value) to be tested against the configured routes.")
    var labels: [String] = []

    /// Creates the command.
    public init() {}

    /// Prints the receivers.
    public func run() async throws {
        let loaded = await RoutesSource.load(configFile: options.configFile, global: global)
        try emit(Self.test(loaded, labels: labels, verifyReceivers: verifyReceivers, tree: tree))
    }

    /// amtool's `config routes test` output for a config file.
    public static func test(
        configFile: String, labels: [String], verifyReceivers: String? = nil, tree: Bool = false
    ) -> CommandOutput {
        test(RoutesSource.load(configFile: configFile), labels: labels, verifyReceivers: verifyReceivers, tree: tree)
    }

    /// amtool's `config routes test` output for the server's running config.
    public static func test(
        api: some StatusAPI, labels: [String], verifyReceivers: String? = nil, tree: Bool = false
    ) async -> CommandOutput {
        test(await RoutesSource.load(api: api), labels: labels, verifyReceivers: verifyReceivers, tree: tree)
    }

    static func test(
        _ loaded: RoutesSource.Loaded, labels: [String], verifyReceivers: String?, tree: Bool
    ) -> CommandOutput {
        let warning = loaded.stderr
        let config: Config
        switch loaded.config {
        case .success(let loaded): config = loaded
        // amtool ends this error with a blank line; the config is read before the labels are parsed.
        case .failure(let failure): return .fatal(failure.message + (failure.trailer ?? "\n"), stderr: warning)
        }
        let labelSet: LabelSet
        switch Self.labelSet(labels) {
        case .success(let parsed): labelSet = parsed
        case .failure(let failure): return .fatal(failure.message + "\n", stderr: warning)
        }
        var out = ""
        if tree {
            let printer = TreePrinter()
            matchingTree(config.routeTree, parent: printer.root, labels: labelSet)
            out += "Matching routes:\n" + printer.string + "\n\n"
        }
        let receivers = config.routeTree.match(labelSet).map(\.receiver).joined(separator: ",")
        out += receivers + "\n"
        if let verifyReceivers, !verifyReceivers.isEmpty, verifyReceivers != receivers {
            out += "WARNING: Expected receivers did not match resolved receivers.\n"
            return CommandOutput(stdout: out, stderr: warning, exitCode: 1)
        }
        return CommandOutput(stdout: out, stderr: warning)
    }

    /// Why command-line labels do not parse, in amtool's words.
    struct LabelsError: Error {
        var message: String
    }

    /// `name=value` arguments as a label set (amtool's `parseLabels`: matcher syntax, `=` only).
    static func labelSet(_ arguments: [String]) -> Result<LabelSet, LabelsError> {
        var pairs: [String: String] = [:]
        for text in arguments {
            let matcher: Matcher
            do {
                matcher = try Matcher.parse(text)
            } catch {
                return .failure(LabelsError(message: "Failed to parse labels: \(error.description)"))
            }
            guard matcher.type == .equal else {
                return .failure(
                    LabelsError(message: "Failed to parse labels: labels must be specified as key=value pairs"))
            }
            pairs[matcher.name] = matcher.value
        }
        return .success(LabelSet(pairs))
    }

    /// amtool's matching tree: a child is shown when its own matchers match (stopping after the first one
    /// without `continue`); routes where descent ends show their receiver.
    private static func matchingTree(_ route: Route, parent: TreePrinter.Node, labels: LabelSet) {
        let branch = parent.addBranch(RoutesShowCommand.slug(route, showContinue: false, showReceiver: false))
        var final = true
        for child in route.routes where child.matchers.matches(labels) {
            matchingTree(child, parent: branch, labels: labels)
            final = false
            if !child.continueMatching { break }
        }
        if final { branch.value = RoutesShowCommand.slug(route, showContinue: false, showReceiver: true) }
    }
}
