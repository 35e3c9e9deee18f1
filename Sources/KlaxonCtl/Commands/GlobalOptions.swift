import ArgumentParser
import Foundation
import KlaxonGoCompat
import KlaxonHTTP

/// The output formats of amtool's `-o/--output`.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Tables.
    case simple
    /// Tables with every column.
    case extended
    /// Raw API JSON.
    case json
}

/// amtool's global flags, shared by every subcommand. Each falls back to the config file (any flag name as key,
/// see ``ConfigFile``), then to amtool's default; `--alertmanager.url` also reads `ALERTMANAGER_URL`.
public struct GlobalOptions: ParsableArguments {
    /// `--alertmanager.url` as given on the command line.
    @Option(
        name: .customLong("alertmanager.url"),
        help: ArgumentHelp("Alertmanager to talk to (default: http://localhost:9093/).", valueName: "url"))
    public var alertmanagerURLFlag: String?

    /// `-o/--output` as given on the command line.
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp("Output formatter (simple, extended, json).", valueName: "format"))
    public var outputFlag: String?

    /// `--timeout` as given on the command line.
    @Option(
        name: .customLong("timeout"),
        help: ArgumentHelp("Timeout for the executed command (default: 30s).", valueName: "duration"))
    public var timeoutFlag: String?

    /// `--http.config.file` as given on the command line.
    @Option(
        name: .customLong("http.config.file"),
        help: ArgumentHelp(
            "HTTP client configuration file for klaxonctl to connect to Alertmanager (Prometheus http_config).",
            valueName: "filename"))
    public var httpConfigFileFlag: String?

    /// `--date.format` as given on the command line.
    @Option(
        name: .customLong("date.format"),
        help: ArgumentHelp("Format of date output (default: \"2006-01-02 15:04:05 MST\").", valueName: "layout"))
    public var dateFormatFlag: String?

    /// `-v/--verbose`: accepted for amtool compatibility.
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Verbose running information.")
    public var verbose = false

    /// `--[no-]version-check`: accepted for amtool compatibility; klaxonctl does not check versions.
    @Flag(inversion: .prefixedNo, help: .hidden)
    public var versionCheck = true

    /// Creates the options.
    public init() {}

    /// The config file(s) found in the usual places; replaced in tests.
    public var configFile: ConfigFile {
        get { configFileOverride ?? ConfigFile.load() }
        set { configFileOverride = newValue }
    }

    private var configFileOverride: ConfigFile?

    /// The environment used for `ALERTMANAGER_URL`; replaced in tests.
    public var environment: [String: String] {
        get { environmentOverride ?? ProcessInfo.processInfo.environment }
        set { environmentOverride = newValue }
    }

    private var environmentOverride: [String: String]?

    private enum CodingKeys: String, CodingKey {
        case alertmanagerURLFlag, outputFlag, timeoutFlag, httpConfigFileFlag, dateFormatFlag, verbose, versionCheck
    }

    /// The Alertmanager URL: flag, then `ALERTMANAGER_URL`, then config file, then `http://localhost:9093/`.
    public var alertmanagerURL: String {
        alertmanagerURLFlag ?? environment["ALERTMANAGER_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? configFile.value("alertmanager.url") ?? "http://localhost:9093/"
    }

    /// The output format: flag, then config file, then `simple` (an unknown name counts as `simple` here;
    /// ``validatedOutput()`` rejects it).
    public var output: OutputFormat {
        (try? validatedOutput()) ?? .simple
    }

    /// The output format, or amtool's error for an unknown one.
    public func validatedOutput() throws -> OutputFormat {
        let text = outputFlag ?? configFile.value("output") ?? "simple"
        guard let format = OutputFormat(rawValue: text) else {
            throw APIClientError.message("enum value must be one of simple,extended,json, got '\(text)'")
        }
        return format
    }

    /// The timeout text: flag, then config file, then `30s`.
    public var timeout: String {
        timeoutFlag ?? configFile.value("timeout") ?? "30s"
    }

    /// The Go date layout for table output.
    public var dateFormat: String {
        dateFormatFlag ?? configFile.value("date.format") ?? GoTime.amtoolLayout
    }

    /// The `--http.config.file` path, if any.
    public var httpConfigFile: String? {
        httpConfigFileFlag ?? configFile.value("http.config.file")
    }

    /// A client for the configured server, with `--timeout` and `--http.config.file` applied.
    public func makeClient() throws -> AlertmanagerClient {
        if let problem = configFile.problem { throw APIClientError.message(problem) }
        let timeout = try GoDuration(parsing: timeout).duration
        var options = HTTPClientOptions()
        if let path = httpConfigFile {
            if let components = URLComponents(string: alertmanagerURL),
                components.user != nil || components.password != nil
            {
                throw APIClientError.message(
                    "basic authentication in the Alertmanager URL conflicts with --http.config.file")
            }
            options = try HTTPConfigFile.load(path: path).options
        }
        return try AlertmanagerClient(baseURL: alertmanagerURL, options: options, timeout: timeout)
    }
}
