import Foundation
import KlaxonCore
import Yams

extension Config {
    /// Reads and parses an alertmanager.yml; relative paths resolve against the file's directory.
    public static func load(file: String) throws(ConfigError) -> Config {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError(message: "open \(file): no such file or directory")
        }
        return try parse(yaml: text, baseDirectory: FilePath.directory(of: file))
    }

    /// Parses alertmanager.yml text with Alertmanager 0.25's rules and messages.
    public static func parse(yaml: String, baseDirectory: String) throws(ConfigError) -> Config {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error)
        }
        let decoder = ConfigDecoder(baseDirectory: baseDirectory)
        guard let root, !decoder.isNull(YNode(node: root, path: "")) else {
            throw ConfigError(message: "no route provided in config")
        }
        var config = try decoder.decodeConfig(YNode(node: root, path: ""), original: yaml)
        config.original = yaml
        return config
    }

    private static func syntaxError(_ error: any Error) -> ConfigError {
        guard let yamlError = error as? YamlError else { return ConfigError(message: "yaml: \(error)") }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let line = context?.mark.line ?? mark.line
            let message = "yaml: line \(line): \(problem)"
            return ConfigError(message: message, diagnostics: [.init(path: "", line: mark.line, message: problem)])
        case .reader(let problem, _, _, _):
            return ConfigError(message: "yaml: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let message = "yaml: line \(context.mark.line): duplicated keys \(duplicates.joined(separator: ", "))"
            return ConfigError(message: message)
        default:
            return ConfigError(message: "yaml: \(yamlError)")
        }
    }
}

private let topLevelKeys = [
    "global", "route", "inhibit_rules", "receivers", "templates", "mute_time_intervals", "time_intervals",
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
                    templates = (f.stringList("templates") ?? []).map { FilePath.join(baseDirectory, $0) }
                case "mute_time_intervals":
                    for item in sequence(f["mute_time_intervals"], goType: "[]config.MuteTimeInterval") ?? [] {
                        if let named = try decodeNamedInterval(item) { muteIntervals.append(named) }
                    }
                case "time_intervals":
                    for item in sequence(f["time_intervals"], goType: "[]config.TimeInterval") ?? [] {
                        if let named = try decodeNamedInterval(item) { timeIntervals.append(named) }
                    }
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
            routeDisplay: routeDisplay)
    }

    private func checkReceivers(_ route: RouteSpec, names: Set<String>, path: String) throws(ConfigError) {
        if let receiver = route.receiver, !receiver.isEmpty, !names.contains(receiver) {
            throw ConfigError(
                "undefined receiver \(GoQuote.quote(receiver)) used in route", path: path + ".receiver", line: nil)
        }
        for (i, child) in route.routes.enumerated() {
            try checkReceivers(child, names: names, path: path + ".routes[\(i)]")
        }
    }

    private func checkTimeIntervals(_ route: RouteSpec, names: Set<String>, path: String) throws(ConfigError) {
        for name in route.muteTimeIntervals + route.activeTimeIntervals where !names.contains(name) {
            throw ConfigError("undefined time interval \(GoQuote.quote(name)) used in route", path: path, line: nil)
        }
        for (i, child) in route.routes.enumerated() {
            try checkTimeIntervals(child, names: names, path: path + ".routes[\(i)]")
        }
    }
}
