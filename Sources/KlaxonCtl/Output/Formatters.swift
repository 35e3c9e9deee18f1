import Foundation
import KlaxonGoCompat

extension GoTime {
    /// amtool's default `--date.format`.
    public static let amtoolLayout = "2006-01-02 15:04:05 MST"
}

/// amtool 0.25's `simple`, `extended` and `json` formatters for silences, alerts and the server status.
public struct Formatter: Sendable {
    /// The output format.
    public var format: OutputFormat
    /// The Go layout for dates (`--date.format`).
    public var dateFormat: String

    /// Creates a formatter.
    public init(format: OutputFormat, dateFormat: String = GoTime.amtoolLayout) {
        self.format = format
        self.dateFormat = dateFormat
    }

    func date(_ date: Date) -> String { GoTime(date: date).format(dateFormat) }

    /// Silences as `silence query` prints them: tables sorted by end time, or the API objects as JSON.
    public func silences(_ silences: [APISilence]) -> String {
        if format == .json { return JSONValue.array(silences.map(\.json)).rendered + "\n" }
        let sorted = silences.enumerated().sorted {
            $0.element.endsAt != $1.element.endsAt ? $0.element.endsAt < $1.element.endsAt : $0.offset < $1.offset
        }.map(\.element)
        var w = TabWriter()
        if format == .extended {
            w.row(["ID", "Matchers", "Starts At", "Ends At", "Updated At", "Created By", "Comment"])
            for s in sorted {
                w.row([
                    s.id, "{" + s.matchers.map(\.description).joined(separator: ",") + "}", date(s.startsAt),
                    date(s.endsAt), date(s.updatedAt), s.createdBy, s.comment,
                ])
            }
        } else {
            w.row(["ID", "Matchers", "Ends At", "Created By", "Comment"])
            for s in sorted {
                w.row([
                    s.id, s.matchers.map(\.description).joined(separator: " "), date(s.endsAt), s.createdBy, s.comment,
                ])
            }
        }
        return w.flush()
    }

    /// Alerts as `alert query` prints them: tables sorted by start time, or the API objects as JSON.
    public func alerts(_ alerts: [APIAlert]) -> String {
        if format == .json { return JSONValue.array(alerts.map(\.json)).rendered + "\n" }
        let sorted = alerts.enumerated().sorted {
            $0.element.startsAt != $1.element.startsAt
                ? $0.element.startsAt < $1.element.startsAt : $0.offset < $1.offset
        }.map(\.element)
        var w = TabWriter()
        if format == .extended {
            w.row(["Labels", "Annotations", "Starts At", "Ends At", "Generator URL", "State"])
            for a in sorted {
                w.row([
                    Self.pairs(a.labels), Self.pairs(a.annotations), date(a.startsAt), date(a.endsAt),
                    a.generatorURL ?? "", a.state,
                ])
            }
        } else {
            w.row(["Alertname", "Starts At", "Summary", "State"])
            for a in sorted {
                w.row([a.labels["alertname"] ?? "", date(a.startsAt), a.annotations["summary"] ?? "", a.state])
            }
        }
        return w.flush()
    }

    /// `k="v"` pairs sorted and space-separated (amtool's `extendedFormatLabels`; values are not escaped).
    static func pairs(_ map: [String: String]) -> String {
        map.map { "\($0.key)=\"\($0.value)\"" }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .joined(separator: " ")
    }

    /// The status as `config show` prints it. `extended` adds the version fields and uptime (amtool 0.25 printed
    /// pointer addresses for the version fields; klaxonctl prints their values).
    public func status(_ status: APIStatus) -> String {
        switch format {
        case .json:
            return status.json.rendered + "\n"
        case .simple:
            return status.config + "\n"
        case .extended:
            var out = status.config + "\n"
            for key in ["buildUser", "goVersion", "revision", "version", "branch", "buildDate"] {
                out += "\(key) \(status.versionInfo[key] ?? "")\n"
            }
            out += "uptime \(GoTime.rfc3339Millis(status.uptime))\n"
            return out
        }
    }
}

extension APIStatus {
    /// The status as Go marshals `models.AlertmanagerStatus`.
    public var json: JSONValue {
        var cluster: [JSONValue.Field] = []
        if !clusterName.isEmpty { cluster.append(.init("name", .string(clusterName))) }
        cluster.append(
            .init(
                "peers",
                .array(peers.map { .object([.init("address", .string($0.address)), .init("name", .string($0.name))]) })
            ))
        cluster.append(.init("status", .string(clusterStatus)))
        return .object([
            .init("cluster", .object(cluster)), .init("config", .object([.init("original", .string(config))])),
            .init("uptime", .string(GoTime.rfc3339Millis(uptime))),
            .init(
                "versionInfo",
                .object(
                    ["branch", "buildDate", "buildUser", "goVersion", "revision", "version"].map {
                        .init($0, .string(versionInfo[$0] ?? ""))
                    })),
        ])
    }
}

/// Runs an API command body; any error becomes amtool's `<program>: error: <message>` and exit 1.
func apiCommand(_ body: () async throws -> CommandOutput) async -> CommandOutput {
    do {
        return try await body()
    } catch {
        return .fatal("\(error)\n")
    }
}
