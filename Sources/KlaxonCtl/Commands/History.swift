import ArgumentParser
import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// `klaxonctl history`: Klaxon's timeline of alert changes and notifications, oldest first. Not an amtool command;
/// Alertmanager keeps no history.
public struct HistoryCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the timeline of alert changes and notifications, oldest first.",
        discussion: """
            Matchers (as for alert query) select alerts by their labels. A tenant principal sees only its tenants' \
            alerts. Examples:

              klaxonctl history tenant_id=finance --since 2h
              klaxonctl history alertname=HighLatency --receiver finance-slack --kind notification
              klaxonctl -o json history --since 2026-12-24T03:00:00Z --until 2026-12-24T04:00:00Z
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Events from this long ago (a duration such as 2h) or this time (RFC3339).")
    var since = "2h"

    @Option(help: "Events before this time (RFC3339).")
    var until: String?

    @Option(help: "Only events of this receiver.")
    var receiver: String?

    @Option(
        help: ArgumentHelp(
            "Only these kinds (repeatable): " + HistoryEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                + "."))
    var kind: [String] = []

    @Option(help: "Only events of the alert with this fingerprint.")
    var fingerprint: String?

    @Option(help: "At most this many events.")
    var limit = 10_000

    @Argument(help: "Matchers on the alerts' labels (name=value, name=~regex, ...).")
    var matchers: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Checks the times and kinds.
    public func validate() throws {
        if (try? PromDuration(parsing: since)) == nil, (try? GoTime.parseRFC3339(since)) == nil {
            throw ValidationError(
                "--since must be a duration such as 2h or an RFC3339 time, not \(GoQuote.quote(since)).")
        }
        if let until, (try? GoTime.parseRFC3339(until)) == nil {
            throw ValidationError("--until must be an RFC3339 time, not \(GoQuote.quote(until)).")
        }
        for name in kind where HistoryEvent.Kind(rawValue: name) == nil {
            throw ValidationError("Unknown --kind \(GoQuote.quote(name)).")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    /// The query parameters of the first page at `now`.
    func parameters(now: Date) -> [(String, String)] {
        var params: [(String, String)] = []
        let start =
            (try? PromDuration(parsing: since)).map { now.addingTimeInterval(-$0.seconds) }
            ?? (try? GoTime.parseRFC3339(since).date)
        if let start { params.append(("since", GoTime.rfc3339Nano(start))) }
        if let until { params.append(("until", until)) }
        if let receiver { params.append(("receiver", receiver)) }
        if let fingerprint { params.append(("fingerprint", fingerprint)) }
        params += kind.map { ("kind", $0) }
        params += normalizeCommandLineMatchers(matchers, firstArgIsAlertname: true).map { ("filter", $0) }
        params.append(("limit", String(min(limit, 1000))))
        return params
    }

    /// Prints the timeline, following the pages up to `--limit` events.
    public func run() async throws {
        let global = global
        let first = parameters(now: Date())
        let limit = limit
        try emit(
            await apiCommand {
                let client = try global.makeClient()
                var events: [HistoryEvent] = []
                var cursor: String?
                repeat {
                    let page = try await client.history(first + (cursor.map { [("cursor", $0)] } ?? []))
                    events += page.events
                    cursor = page.next
                } while cursor != nil && events.count < limit
                let formatter = Formatter(format: try global.validatedOutput(), dateFormat: global.dateFormat)
                return CommandOutput(
                    stdout: formatter.history(HistoryPage(events: Array(events.prefix(limit)), next: cursor)))
            })
    }
}

extension Formatter {
    /// The timeline as one line per event, or the API's JSON.
    func history(_ page: HistoryPage) -> String {
        if format == .json { return page.json + "\n" }
        var w = TabWriter()
        for event in page.events {
            w.write(date(event.time) + "\t" + Self.historyLine(event) + "\n")
        }
        return w.flush()
    }

    /// `firing\tHighLatency{tenant_id="finance"}`, `notified\tfinance-slack (slack[0]) ok in 84 ms`, ...
    static func historyLine(_ event: HistoryEvent) -> String {
        var labels = event.labels
        let name = labels["alertname"] ?? ""
        labels = LabelSet(pairs: labels.labels.filter { $0.name != "alertname" }.map { ($0.name, $0.value) })
        let alert = name + labels.description
        switch event.kind {
        case .firing, .resolved, .unsilenced, .uninhibited:
            return "\(event.kind.rawValue)\t\(alert)"
        case .silenced:
            return "silenced\t\(alert) by \(event.detail)"
        case .inhibited:
            return "inhibited\t\(alert) \(event.detail)"
        case .muted:
            return "muted\t\(event.receiver) \(alert) (\(event.detail))"
        case .silence, .reload:
            return "\(event.kind.rawValue)\t\(event.detail)"
        case .notification:
            let target = "\(event.receiver) (\(event.integration))"
            let latency = event.latency.map { " in \(Int(($0 * 1000).rounded())) ms" } ?? ""
            let alerts = " [\(event.fingerprints.count) alert\(event.fingerprints.count == 1 ? "" : "s")]"
            switch event.outcome {
            case .sent: return "notified\t\(target) \(event.status)\(latency)\(alerts)"
            case .deduplicated: return "deduplicated\t\(target): already notified\(alerts)"
            case .digested: return "digested\t\(target)\(alerts)"
            case .failed:
                return "notify failed\t\(target) attempt \(event.attempt) \(event.status)\(latency): \(event.detail)"
            case .gaveUp:
                return "gave up\t\(target) attempt \(event.attempt) \(event.status)\(latency): \(event.detail)"
            case nil: return "notification\t\(target)"
            }
        }
    }
}
