import Foundation
import KlaxonAPIModels
import KlaxonCore
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
    public func silences(_ silences: [GettableSilence]) -> String {
        if format == .json { return silences.json + "\n" }
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
    public func alerts(_ alerts: [GettableAlert]) -> String {
        if format == .json { return alerts.json + "\n" }
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
                    a.generatorURL, a.state?.rawValue ?? "",
                ])
            }
        } else {
            w.row(["Alertname", "Starts At", "Summary", "State"])
            for a in sorted {
                w.row([
                    a.labels["alertname"] ?? "", date(a.startsAt), a.annotations["summary"] ?? "",
                    a.state?.rawValue ?? "",
                ])
            }
        }
        return w.flush()
    }

    /// `k="v"` pairs sorted and space-separated (amtool's `extendedFormatLabels`; values are not escaped).
    static func pairs(_ labels: LabelSet) -> String {
        labels.labels.map { "\($0.name)=\"\($0.value)\"" }.sorted {
            Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
        }
        .joined(separator: " ")
    }

    /// The status as `config show` prints it. `extended` adds the version fields and uptime (amtool 0.25 printed
    /// pointer addresses for the version fields; klaxonctl prints their values).
    public func status(_ status: AlertmanagerStatus) -> String {
        switch format {
        case .json:
            return status.json + "\n"
        case .simple:
            return status.configYAML + "\n"
        case .extended:
            var out = status.configYAML + "\n"
            let version = status.versionInfo
            for (key, value) in [
                ("buildUser", version.buildUser), ("goVersion", version.goVersion), ("revision", version.revision),
                ("version", version.version), ("branch", version.branch), ("buildDate", version.buildDate),
            ] {
                out += "\(key) \(value)\n"
            }
            out += "uptime \(GoTime.rfc3339Millis(status.uptime))\n"
            return out
        }
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
