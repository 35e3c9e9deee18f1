import Foundation
import KlaxonCore
import KlaxonGoCompat
import Yams

extension Config {
    /// Reads and parses an alertmanager.yml; relative paths resolve against the file's directory.
    public static func load(file: String) throws(ConfigError) -> Config {
        try parse(yaml: readFile(file), baseDirectory: GoFilePath.directory(of: file))
    }

    /// A config file's text; a file that cannot be read fails as Go's `os.ReadFile` does for a missing one.
    static func readFile(_ file: String) throws(ConfigError) -> String {
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError(message: "open \(file): no such file or directory")
        }
    }

    /// Parses alertmanager.yml text with Alertmanager 0.25's rules and messages.
    public static func parse(yaml: String, baseDirectory: String) throws(ConfigError) -> Config {
        let root: Node?
        do {
            // Like yaml.v2, decode the first document only.
            root = try Parser(yaml: yaml).nextRoot()
        } catch {
            throw syntaxError(error, yamlText: yaml)
        }
        let decoder = ConfigDecoder(baseDirectory: baseDirectory)
        guard let root, !decoder.isNull(YNode(node: root, path: "")) else {
            throw ConfigError(message: "no route provided in config")
        }
        var config = try decoder.decodeConfig(YNode(node: root, path: ""), original: yaml)
        config.original = yaml
        return config
    }

    private static func located(_ problem: String, line: Int, mark: Mark) -> ConfigError {
        let message = line > 0 ? "yaml: line \(line): \(problem)" : "yaml: \(problem)"
        return ConfigError(message: message, diagnostics: [.init(path: "", line: mark.line, message: problem)])
    }

    /// yaml.v2 reports a repeated struct field as a type error at the second occurrence; Yams rejects the
    /// document, so find that line in the text (best effort: first repeat after the mapping's start).
    /// Keys whose values are Go maps (a repeated key there is reported as `key "x" already set in map`).
    static let mapKeys: Set<String> = [
        "match", "match_re", "source_match", "source_match_re", "target_match", "target_match_re", "details",
        "headers", "endpoint_params", "custom_fields", "attributes",
    ]

    private static func duplicateKeys(
        _ keys: [String], from line: Int, in text: String, structType: (String) -> String, mapKeys: Set<String>
    ) -> ConfigError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var found: [(line: Int, key: String, parent: String)] = []
        for key in keys {
            var seen = 0
            for (index, content) in lines.enumerated() where index + 1 >= line {
                var body = content.drop { $0 == " " }
                if body.hasPrefix("- ") { body = body.dropFirst(2).drop { $0 == " " } }
                let bare = body.hasPrefix(key + ":")
                let quoted = body.hasPrefix("'" + key + "':") || body.hasPrefix("\"" + key + "\":")
                guard bare || quoted else { continue }
                seen += 1
                if seen == 2 {
                    let indent = content.prefix { $0 == " " || $0 == "-" }.count
                    let parent = lines[..<index].last { line in
                        let lead = line.prefix { $0 == " " || $0 == "-" }.count
                        return lead < indent && !line.trimmingCharacters(in: .whitespaces).isEmpty
                    }
                    let parentKey = parent.map { $0.drop { $0 == " " || $0 == "-" }.prefix { $0 != ":" } } ?? ""
                    found.append((index + 1, key, String(parentKey)))
                    break
                }
            }
        }
        let entries = found.sorted { $0.line < $1.line }.map { entry in
            mapKeys.contains(entry.parent)
                ? "  line \(entry.line): key \(GoQuote.quote(entry.key)) already set in map"
                : "  line \(entry.line): field \(entry.key) already set in type \(structType(entry.parent))"
        }
        return ConfigError(
            message: "yaml: unmarshal errors:\n" + entries.joined(separator: "\n"),
            diagnostics: found.map { .init(path: "", line: $0.line, message: "field \($0.key) already set") })
    }

    /// A YAML syntax error as yaml.v2 words it. `structType` (the Go struct type under a parent key, "" at the top)
    /// and `mapKeys` name the Go types of the file being read (the web config's differ from alertmanager.yml's), for
    /// repeated keys.
    static func syntaxError(
        _ error: any Error, yamlText: String, structType: (String) -> String = { _ in "config.plain" },
        mapKeys: Set<String> = Config.mapKeys
    ) -> ConfigError {
        guard let yamlError = error as? YamlError else { return ConfigError(message: "yaml: \(error)") }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _):
            // yaml.v2 reports a scanner error at the problem's 1-based line, else at the context's 0-based line.
            let line = mark.line > 1 ? mark.line : max((context?.mark.line ?? 1) - 1, 0)
            return located(problem, line: line, mark: mark)
        case .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            // Parser errors use the 0-based line of the problem (or of the context when that is 0).
            let line = mark.line > 1 ? mark.line - 1 : max((context?.mark.line ?? 1) - 1, 0)
            return located(problem, line: line, mark: mark)
        case .reader(let problem, _, _, _):
            return ConfigError(message: "yaml: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return duplicateKeys(
                duplicates, from: context.mark.line, in: yamlText, structType: structType, mapKeys: mapKeys)
        default:
            return ConfigError(message: "yaml: \(yamlError)")
        }
    }
}

private let topLevelKeys = [
    "global", "route", "inhibit_rules", "receivers", "templates", "mute_time_intervals", "time_intervals",
    // Alertmanager 0.30's; Alertmanager 0.25 refuses it.
    "tracing",
]

extension ConfigDecoder {
    func decodeConfig(_ n: YNode, original: String) throws(ConfigError) -> Config {
        let f = fields(n, known: topLevelKeys)
        var global = GlobalConfig()
        var routeSpec: RouteSpec?
        var routeDisplay: [[Int]: RouteDisplay] = [:]
        var receivers: [(receiver: Receiver, node: YNode)] = []
        var inhibitRules: [InhibitRuleConfig] = []
        var templates: [String] = []
        var muteIntervals: [(name: String, intervals: [TimeIntervalConfig], node: YNode)] = []
        var timeIntervals: [(name: String, intervals: [TimeIntervalConfig], node: YNode)] = []
        var globalHTTPGiven = false
        var tracing: TracingConfig?
        if let f {
            for key in f.order {
                switch key {
                case "global":
                    (global, globalHTTPGiven) = try decodeGlobal(f["global"])
                case "route":
                    if let r = f["route"], !isNull(r) {
                        routeSpec = try decodeRoute(r, routePath: [], display: &routeDisplay)
                    }
                case "receivers":
                    for item in sequence(f["receivers"], goType: "[]*config.Receiver") ?? [] {
                        if let receiver = try decodeReceiver(item) { receivers.append((receiver, item)) }
                    }
                case "inhibit_rules":
                    for item in sequence(f["inhibit_rules"], goType: "[]*config.InhibitRule") ?? [] {
                        if let rule = try decodeInhibitRule(item) { inhibitRules.append(rule) }
                    }
                case "templates":
                    templates = (f.stringList("templates") ?? []).map { GoFilePath.join(baseDirectory, $0) }
                case "mute_time_intervals":
                    for item in sequence(f["mute_time_intervals"], goType: "[]config.MuteTimeInterval") ?? [] {
                        if let named = try decodeNamedInterval(item, mute: true) { muteIntervals.append(named) }
                    }
                case "time_intervals":
                    for item in sequence(f["time_intervals"], goType: "[]config.TimeInterval") ?? [] {
                        if let named = try decodeNamedInterval(item, mute: false) { timeIntervals.append(named) }
                    }
                case "tracing":
                    tracing = try decodeTracing(f["tracing"])
                default:
                    break
                }
            }
        }
        if let error = unmarshalError() { throw error }
        _ = globalHTTPGiven

        // Receivers: unique names, global settings inherited, integration checks.
        var names = Set<String>()
        for index in receivers.indices {
            let node = receivers[index].node
            let name = receivers[index].receiver.name
            if names.contains(name) {
                throw error("notification config name \(GoQuote.quote(name)) is not unique", at: node)
            }
            try applyGlobal(global, to: &receivers[index].receiver, at: node)
            names.insert(name)
        }

        guard let routeSpec, let routeNode = f?["route"] else {
            throw ConfigError("no routes provided", path: "route", line: nil)
        }
        func rootError(_ message: String) -> ConfigError { error(message, at: routeNode) }
        guard let rootReceiver = routeSpec.receiver, !rootReceiver.isEmpty else {
            throw rootError("root route must specify a default receiver")
        }
        _ = rootReceiver
        if !routeSpec.matchers.isEmpty { throw rootError("root route must not have any matchers") }
        if !routeSpec.muteTimeIntervals.isEmpty { throw rootError("root route must not have any mute time intervals") }
        if !routeSpec.activeTimeIntervals.isEmpty {
            throw rootError("root route must not have any active time intervals")
        }
        if routeSpec.continueMatching { throw rootError("cannot have continue in root route") }

        var intervals: [String: [TimeIntervalConfig]] = [:]
        for named in muteIntervals {
            if intervals[named.name] != nil {
                throw error("mute time interval \(GoQuote.quote(named.name)) is not unique", at: named.node)
            }
            intervals[named.name] = named.intervals
        }
        for named in timeIntervals {
            if intervals[named.name] != nil {
                throw error("time interval \(GoQuote.quote(named.name)) is not unique", at: named.node)
            }
            intervals[named.name] = named.intervals
        }
        try checkReceivers(routeSpec, names: names, path: "route")
        try checkTimeIntervals(routeSpec, names: Set(intervals.keys), path: "route")

        return Config(
            global: global, route: routeSpec, routeTree: Route(root: routeSpec), receivers: receivers.map(\.receiver),
            inhibitRules: inhibitRules, timeIntervals: intervals, muteTimeIntervalNames: muteIntervals.map(\.name),
            timeIntervalNames: timeIntervals.map(\.name), templates: templates, original: original,
            routeDisplay: routeDisplay, tracing: tracing)
    }

    private func checkReceivers(_ route: RouteSpec, names: Set<String>, path: String) throws(ConfigError) {
        // Alertmanager checks the children before the route itself.
        for (i, child) in route.routes.enumerated() {
            try checkReceivers(child, names: names, path: path + ".routes[\(i)]")
        }
        if let receiver = route.receiver, !receiver.isEmpty, !names.contains(receiver) {
            throw ConfigError(
                "undefined receiver \(GoQuote.quote(receiver)) used in route", path: path + ".receiver", line: nil)
        }
    }

    private func checkTimeIntervals(_ route: RouteSpec, names: Set<String>, path: String) throws(ConfigError) {
        for (i, child) in route.routes.enumerated() {
            try checkTimeIntervals(child, names: names, path: path + ".routes[\(i)]")
        }
        for name in route.muteTimeIntervals + route.activeTimeIntervals where !names.contains(name) {
            throw ConfigError("undefined time interval \(GoQuote.quote(name)) used in route", path: path, line: nil)
        }
    }
}
