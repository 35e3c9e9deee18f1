import ArgumentParser
import Foundation
import KlaxonAPIModels
import KlaxonCore

/// `klaxonctl maintenance`: maintenance windows that CI opens and closes safely. A window is a silence keyed by
/// `--key` (see ``MaintenanceKey``): `start` is idempotent (a second start extends the window, never shortens it),
/// `end` expires it, `run` wraps a command in it, `list` shows the open ones. `--for` is the hard ceiling: if the
/// pipeline dies, the silence still ends by itself.
public struct MaintenanceCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Open and close maintenance windows (silences keyed for CI).",
        discussion: """
            A maintenance window is a silence whose comment starts with [klaxon-maintenance key=KEY] and whose \
            author is "klaxonctl-maintenance (<actor>)"; the comment also names the CI pipeline, commit and actor \
            (GitHub Actions, GitLab CI, Jenkins, Buildkite). Windows are found by key, so re-running a pipeline \
            step is safe. A window that could silence every tenant is refused unless --all-tenants is given: one \
            without matchers, one with a matcher whose value is empty (tenant= from an unset CI variable), and one \
            where no positive matcher (= or =~) fails to match an empty value (tenant!=acme alone, tenant=~".*").
            """,
        subcommands: [Start.self, End.self, Run.self, List.self])

    /// Creates the command.
    public init() {}
}

/// The window flags of `start` and `run`.
public struct MaintenanceWindowOptions: ParsableArguments {
    /// `--for`.
    @Option(
        name: .customLong("for"),
        help: ArgumentHelp(
            "How long the window lasts from now; it ends by itself then even if nobody closes it (e.g. 30m, 1h30m).",
            valueName: "duration"))
    public var duration: String

    /// `--key`.
    @Option(
        help: ArgumentHelp(
            "The window's key, e.g. derived from the pipeline (letters, digits and . _ - : / @ + #).",
            valueName: "key"))
    public var key: String

    /// `-c/--comment`.
    @Option(name: [.customShort("c"), .customLong("comment")], help: "What the maintenance is about.")
    public var comment: String = ""

    /// `-a/--author`.
    @Option(
        name: [.customShort("a"), .customLong("author")],
        help: "Who opens the window (default: the CI actor, or $USER).")
    public var author: String?

    /// `--all-tenants`.
    @Flag(
        name: .customLong("all-tenants"),
        help: """
            Allow a window that may silence every tenant: without matchers (it then matches alertname=~".+"), with \
            empty matcher values, or without a positive matcher that selects specific alerts.
            """)
    public var allTenants = false

    /// Creates the options.
    public init() {}
}

extension MaintenanceCommand {
    /// Builds the request from the flags, matcher arguments and environment; every mistake is one sentence.
    public static func request(
        _ options: MaintenanceWindowOptions, matchers arguments: [String], environment: [String: String]
    ) throws(MaintenanceError) -> MaintenanceRequest {
        let key = try MaintenanceKey(validating: options.key)
        let duration = try positiveDuration(options.duration, flag: "--for")
        var matchers: [SilenceMatcherSpec] = []
        for (index, argument) in arguments.enumerated() {
            do {
                matchers += try parseCommandLineMatchers([argument], firstArgIsAlertname: false)
            } catch {
                let reason = (error as? CommandLineMatcherError)?.message ?? "\(error)"
                throw MaintenanceError(
                    .invalidMatcher, "invalid matcher at position \(index + 1) (\"\(argument)\"): \(reason)")
            }
        }
        if !options.allTenants { try refuseUnselective(matchers, key: key) }
        if matchers.allSatisfy(matchesEmptyValue) {
            // Only with --all-tenants. Alertmanager requires a matcher that does not match the empty string; every
            // alert has an alertname.
            matchers.append(SilenceMatcherSpec(name: "alertname", value: ".+", isRegex: true, isEqual: true))
        }
        return MaintenanceRequest(
            key: key, matchers: matchers, duration: duration, comment: options.comment,
            context: CIContext(environment: environment), author: options.author)
    }

    /// Refuses matchers that would silence every tenant, the typical result of an unset CI variable
    /// (`tenant=$TENANT` → `tenant=`): none at all, a matcher with an empty value, or no positive matcher (`=`,
    /// `=~`) that fails to match an empty value (`tenant!=acme` alone, `tenant=~".*"`).
    private static func refuseUnselective(_ matchers: [SilenceMatcherSpec], key: MaintenanceKey)
        throws(MaintenanceError)
    {
        guard !matchers.isEmpty else {
            throw MaintenanceError(
                .emptyMatchers,
                "refusing to open maintenance window \(key) without matchers: it would silence every "
                    + "tenant's alerts; give matchers such as tenant=acme, or --all-tenants if you mean it")
        }
        for (index, matcher) in matchers.enumerated() where matcher.value.isEmpty {
            throw MaintenanceError(
                .emptyMatcherValue,
                "refusing matcher \(matcher) at position \(index + 1) of maintenance window \(key): its value is "
                    + "empty (is a CI variable unset?), so it does not select a tenant and the window could "
                    + "silence every tenant's alerts; give the value, or --all-tenants if you mean it")
        }
        let selective = matchers.filter { $0.isEqual && !matchesEmptyValue($0) }
        guard selective.isEmpty else { return }
        let reasons = matchers.map { matcher in
            "\(matcher) " + (matcher.isEqual ? "also matches alerts without a \(matcher.name) label" : "is negative")
        }
        throw MaintenanceError(
            .unselectiveMatchers,
            "refusing to open maintenance window \(key): no matcher selects specific alerts ("
                + reasons.joined(separator: "; ") + "), so it would silence every tenant's alerts; add a positive "
                + "matcher such as tenant=acme, or --all-tenants if you mean it")
    }

    /// Whether `matcher` accepts an empty (or absent) label value, as Alertmanager decides it.
    private static func matchesEmptyValue(_ matcher: SilenceMatcherSpec) -> Bool {
        guard
            let compiled = try? Matcher(
                name: matcher.name, value: matcher.value, isRegex: matcher.isRegex, isEqual: matcher.isEqual)
        else { return false }
        return compiled.matches("")
    }

    /// Parses a positive Prometheus duration (`30m`, `1h30m`) given to `flag`.
    static func positiveDuration(_ text: String, flag: String) throws(MaintenanceError) -> TimeInterval {
        if text.hasPrefix("-") {
            throw MaintenanceError(.invalidDuration, "\(flag) must be longer than 0s, got \"\(text)\"")
        }
        let duration: PromDuration
        do {
            duration = try PromDuration(parsing: text)
        } catch {
            throw MaintenanceError(.invalidDuration, "\(flag): \(error.description) (use e.g. 30m, 1h30m, 90s)")
        }
        guard duration.milliseconds > 0 else {
            throw MaintenanceError(.invalidDuration, "\(flag) must be longer than 0s, got \"\(text)\"")
        }
        return duration.seconds
    }

    /// Parses `--linger`: any zero duration (`0`, `0s`, `0m`, `0h`, …) means no linger.
    static func lingerDuration(_ text: String) throws(MaintenanceError) -> TimeInterval {
        if text.hasPrefix("-") {
            throw MaintenanceError(
                .invalidDuration, "--linger cannot be negative, got \"\(text)\" (0s means no linger)")
        }
        do {
            return try PromDuration(parsing: text).seconds
        } catch {
            throw MaintenanceError(.invalidDuration, "--linger: \(error.description) (use e.g. 0s, 5m, 90s)")
        }
    }

    /// `maintenance start` against `api`.
    public static func start(
        _ request: MaintenanceRequest, api: some SilenceAPI, now: @escaping @Sendable () -> Date = { Date() },
        quiet: Bool = false
    ) async -> CommandOutput {
        do {
            let result = try await MaintenanceService(api: api, now: now).start(request)
            if quiet { return CommandOutput(stdout: result.silenceID + "\n") }
            return CommandOutput(stdout: MaintenanceText.started(request.key, result).capitalizedFirst + "\n")
        } catch let error as MaintenanceStartError where error.mayHaveOpened {
            // The user asked for the window, so it is not closed here; but it must not look as if nothing is open.
            return .fatal(
                "maintenance window \(request.key) may be open although the start failed: \(error)\n"
                    + "\(KlaxonCtl.programName): " + MaintenanceText.mayBeOpen(request.key, error))
        } catch {
            return .fatal("could not open maintenance window \(request.key): \(error)")
        }
    }

    /// `maintenance end` against `api`.
    public static func end(key: MaintenanceKey, api: some SilenceAPI) async -> CommandOutput {
        do {
            let expired = try await MaintenanceService(api: api).end(key: key)
            return CommandOutput(stdout: MaintenanceText.ended(key, expired).capitalizedFirst + "\n")
        } catch {
            return .fatal("could not close maintenance window \(key): \(error)")
        }
    }

    /// `maintenance list` against `api`.
    public static func list(
        api: some SilenceAPI, now: @escaping @Sendable () -> Date = { Date() }, format: OutputFormat = .simple
    ) async -> CommandOutput {
        do {
            let windows = try await MaintenanceService(api: api, now: now).list()
            if format == .json { return CommandOutput(stdout: MaintenanceText.json(windows)) }
            return CommandOutput(stdout: MaintenanceText.table(windows, now: now()))
        } catch {
            return .fatal("could not list maintenance windows: \(error)")
        }
    }
}

extension MaintenanceCommand {
    /// `maintenance start --for D --key K [matchers...]`.
    public struct Start: AsyncParsableCommand {
        /// Command metadata.
        public static let configuration = CommandConfiguration(
            abstract: "Open a maintenance window, or extend the open one with the same key.",
            discussion: """
                Idempotent on --key: with an open window of the same matchers, its silence is extended to now + \
                --for (never shortened). With other matchers, a new silence is created first and the old one \
                expired after, so there is no gap. Duplicates left by racing pipelines are expired. If another \
                pipeline changes the key's window to other matchers while this start runs, or closes it, the start \
                fails (exit 1) and takes back what it posted: distinct deployment targets need distinct keys.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var window: MaintenanceWindowOptions

        /// `-q/--quiet`.
        @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print only the silence ID.")
        var quiet = false

        /// Matchers.
        @Argument(help: ArgumentHelp("Matchers of the silence, e.g. tenant=acme.", valueName: "matcher"))
        var matchers: [String] = []

        /// Creates the command (ArgumentParser fills the fields).
        public init() {}

        /// Checks the flags and matchers.
        public func validate() throws {
            do {
                _ = try MaintenanceCommand.request(window, matchers: matchers, environment: [:])
            } catch {
                throw ValidationError(error.description)
            }
        }

        /// Opens or extends the window.
        public func run() async throws {
            let request = try MaintenanceCommand.request(
                window, matchers: matchers, environment: ProcessInfo.processInfo.environment)
            let client: AlertmanagerClient
            do { client = try global.makeClient() } catch { return try emit(.fatal("\(error)")) }
            try emit(await MaintenanceCommand.start(request, api: client, quiet: quiet))
        }
    }

    /// `maintenance end --key K`.
    public struct End: AsyncParsableCommand {
        /// Command metadata.
        public static let configuration = CommandConfiguration(
            abstract: "Close a maintenance window: expire every silence carrying the key (idempotent).")

        @OptionGroup var global: GlobalOptions

        /// `--key`.
        @Option(help: ArgumentHelp("The window's key.", valueName: "key"))
        var key: String

        /// Creates the command (ArgumentParser fills the fields).
        public init() {}

        /// Checks the key.
        public func validate() throws {
            do { _ = try MaintenanceKey(validating: key) } catch { throw ValidationError(error.description) }
        }

        /// Expires the window.
        public func run() async throws {
            let key = try MaintenanceKey(validating: key)
            let client: AlertmanagerClient
            do { client = try global.makeClient() } catch { return try emit(.fatal("\(error)")) }
            try emit(await MaintenanceCommand.end(key: key, api: client))
        }
    }

    /// `maintenance list`.
    public struct List: AsyncParsableCommand {
        /// Command metadata.
        public static let configuration = CommandConfiguration(
            abstract: "Show the open maintenance windows: key, silence, matchers, ends in, created by.")

        @OptionGroup var global: GlobalOptions

        /// Creates the command (ArgumentParser fills the fields).
        public init() {}

        /// Lists the windows.
        public func run() async throws {
            let client: AlertmanagerClient
            do { client = try global.makeClient() } catch { return try emit(.fatal("\(error)")) }
            try emit(await MaintenanceCommand.list(api: client, format: global.output))
        }
    }

    /// `maintenance run --for D --key K [matchers...] [--linger D] -- COMMAND ARGS...`.
    public struct Run: AsyncParsableCommand {
        /// Command metadata.
        public static let configuration = CommandConfiguration(
            abstract: "Run a command inside a maintenance window, closing it when the command ends.",
            discussion: """
                One key is one window: closing expires every silence of --key, so jobs that run at the same time \
                (parallel jobs, matrix legs, other deploy targets) need distinct keys, e.g. \
                --key "gha/$GITHUB_REPOSITORY/$GITHUB_RUN_ID/$GITHUB_JOB/$TENANT".

                Opens the window as `start` does, runs COMMAND, waits for it, keeps the window for --linger so \
                that recovery alerts settle, then closes it, and exits with the command's status (128 + N if a \
                signal N killed it). SIGINT, SIGTERM and SIGHUP are forwarded to the command (SIGINT only when not \
                in the foreground of a terminal, which delivers Ctrl-C itself); a signal during the linger closes \
                the window at once. Closing is retried; if it still fails, the silence ID is printed and the \
                window ends by itself at --for. The command is not run when the window cannot be opened; if a \
                silence may have been created before the failure, the window is closed again (by key), and what \
                became of it is printed.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var window: MaintenanceWindowOptions

        /// `--linger`.
        @Option(
            help: ArgumentHelp(
                "How long to keep the window after the command ends (default: 0s).", valueName: "duration"))
        var linger: String = "0s"

        /// Matchers, `--`, the command. ArgumentParser allows one positional array only, so both come in one
        /// capture (which also keeps the command's own dash arguments intact) and are split at the first `--`.
        @Argument(
            parsing: .captureForPassthrough,
            help: ArgumentHelp(
                "Matchers of the silence (e.g. tenant=acme), then -- and the command to run.",
                valueName: "matcher ... -- command"))
        var arguments: [String] = []

        /// The matcher arguments, before `--`.
        var matchers: [String] {
            guard let terminator = arguments.firstIndex(of: "--") else { return arguments }
            return Array(arguments[..<terminator])
        }

        /// The command, after `--`.
        var command: [String] {
            guard let terminator = arguments.firstIndex(of: "--") else { return [] }
            return Array(arguments[(terminator + 1)...])
        }

        /// Creates the command (ArgumentParser fills the fields).
        public init() {}

        /// Checks the flags, matchers and command.
        public func validate() throws {
            guard arguments.contains("--") else {
                throw ValidationError("give the command to run after --, e.g. -- ./deploy.sh production")
            }
            if let misplaced = matchers.first(where: { $0.hasPrefix("-") }) {
                throw ValidationError(
                    "put options before the matchers: found \"\(misplaced)\" after a matcher (the command goes "
                        + "after --)")
            }
            do {
                _ = try MaintenanceCommand.request(window, matchers: matchers, environment: [:])
                _ = try MaintenanceCommand.lingerDuration(linger)
            } catch {
                throw ValidationError(error.description)
            }
            guard !command.isEmpty else {
                throw ValidationError("give the command to run after --, e.g. -- ./deploy.sh production")
            }
        }

        /// Runs the command in the window and exits with its status.
        public func run() async throws {
            let request = try MaintenanceCommand.request(
                window, matchers: matchers, environment: ProcessInfo.processInfo.environment)
            let lingerSeconds = try MaintenanceCommand.lingerDuration(linger)
            let client: AlertmanagerClient
            do { client = try global.makeClient() } catch { return try emit(.fatal("\(error)")) }
            let runner = MaintenanceRunner(
                service: MaintenanceService(api: client),
                closeRetry: RetryPolicy(attempts: 5, initialDelay: .seconds(1)), request: request, command: command,
                linger: lingerSeconds, log: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
            let status = await runner.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}

extension String {
    /// The string with its first character upper-cased (messages are built lower-case for log prefixes).
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
