import ArgumentParser
import Foundation
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat

/// `klaxonctl explain`: why an alert with these labels would (not) notify, receiver by receiver. Not an amtool
/// command: `amtool config routes test` answers only the routing part.
public struct ExplainCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain why an alert with these labels would (not) notify.",
        discussion: """
            Runs the whole decision for the labels at one instant: the routes that take them (in the order \
            `amtool config routes test` prints receivers), their time intervals, the silences and inhibiting alerts \
            that mute them, and a verdict per receiver. Without --config.file the server's running config, \
            silences and alerts are used (POST /api/klaxon/v1/explain); with it the decision is made locally for \
            that file, without silences or alerts (a dry run of a config change). Examples:

              klaxonctl explain tenant_id=finance severity=critical
              klaxonctl explain --at 2026-12-24T03:00:00Z --config.file new.yml tenant_id=finance severity=critical
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("config.file"), help: "Decide locally for this config file instead of asking the server.")
    var configFile: String?

    @Option(help: "The instant to explain (RFC3339; default: now).")
    var at: String?

    @Argument(help: "The alert's labels (name=value).")
    var labels: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Checks the labels and the instant.
    public func validate() throws {
        if labels.isEmpty { throw ValidationError("Name at least one label (name=value) of the alert to explain.") }
        if case .failure(let failure) = RoutesTestCommand.labelSet(labels) { throw ValidationError(failure.message) }
        if let at, (try? GoTime.parseRFC3339(at)) == nil {
            throw ValidationError(
                "--at must be an RFC3339 time such as 2026-12-24T03:00:00Z, not \(GoQuote.quote(at)).")
        }
    }

    /// The request these arguments make.
    var request: ExplainRequest {
        let labelSet = (try? RoutesTestCommand.labelSet(labels).get()) ?? .empty
        return ExplainRequest(labels: labelSet, at: at.flatMap { try? GoTime.parseRFC3339($0).date })
    }

    /// Prints the explanation.
    public func run() async throws {
        let global = global
        let request = request
        let format = try global.validatedOutput()
        let formatter = Formatter(format: format, dateFormat: global.dateFormat)
        if let configFile {
            try emit(Self.explain(configFile: configFile, request: request, now: Date(), formatter: formatter))
            return
        }
        try emit(
            await apiCommand {
                CommandOutput(stdout: formatter.explain(try await global.makeClient().explain(request)))
            })
    }

    /// The local decision for a config file: its routes, time intervals and inhibition rules; no silences and no
    /// alerts (so no inhibiting sources).
    public static func explain(configFile: String, request: ExplainRequest, now: Date) throws -> ExplainResponse {
        let config = try Config.load(file: configFile)
        let explanation = Explanation(
            labels: request.labels, at: request.at ?? now, now: now, route: config.routeTree,
            timeIntervals: config.namedTimeIntervals, inhibitor: Inhibitor(rules: config.coreInhibitRules),
            silences: [])
        return ExplainResponse(explanation)
    }

    static func explain(configFile: String, request: ExplainRequest, now: Date, formatter: Formatter) -> CommandOutput {
        do {
            return CommandOutput(
                stdout: formatter.explain(try explain(configFile: configFile, request: request, now: now)))
        } catch {
            return .fatal("\(error)")
        }
    }
}

extension Formatter {
    /// The explanation as text (routes with their timers and intervals, silences, inhibitions, verdicts), or the
    /// API's JSON.
    func explain(_ answer: ExplainResponse) -> String {
        if format == .json { return answer.json + "\n" }
        var out = "Labels: \(answer.labels) at \(date(answer.at))\n"
        if let tenant = answer.tenant {
            let limits = tenant.limits
            let named = [
                ("max_active_alerts", limits.maxActiveAlerts), ("max_silences", limits.maxSilences),
                ("max_notifications_per_minute", limits.maxNotificationsPerMinute),
            ].compactMap { name, value in value.map { "\(name)=\($0)" } }
            out += "Tenant: \(tenant.name)" + (named.isEmpty ? "" : " (\(named.joined(separator: ", ")))") + "\n"
        }
        out += "\nRoutes:\n"
        for (index, route) in answer.routes.enumerated() {
            out += "  \(index + 1). \(route.receiver)  path: \(route.path.joined(separator: " / "))\n"
            out += "     group_by: [\(route.groupBy.joined(separator: ", "))]  group key: \(route.groupKey)\n"
            out += "     group_wait \(route.groupWait), group_interval \(route.groupInterval), "
            out += "repeat_interval \(route.repeatInterval), continue: \(route.continueMatching)\n"
            for notified in route.lastNotified {
                out += "     last notified \(notified.integration) at \(date(notified.at))\n"
            }
            if let next = route.nextFlush {
                out +=
                    "     next flush at \(date(next)) (notifies if its alerts changed or repeat_interval has passed)\n"
            }
            for (name, checks) in [("mute", route.muteTimeIntervals), ("active", route.activeTimeIntervals)]
            where !checks.isEmpty {
                let shown = checks.map { "\($0.name) (\($0.holds ? "holds" : "does not hold"))" }
                out += "     \(name)_time_intervals: \(shown.joined(separator: ", "))\n"
            }
        }
        if !answer.silencedBy.isEmpty {
            out += "\nSilenced by:\n"
            for silence in answer.silencedBy {
                if silence.hidden {
                    out += "  a silence outside your tenants (\(silence.state), until \(date(silence.endsAt)))\n"
                    continue
                }
                let key = silence.maintenanceKey.map { ", maintenance key=\($0)" } ?? ""
                out += "  \(silence.id) (\(silence.state)\(key), \(date(silence.startsAt)) to \(date(silence.endsAt)), "
                out += "by \(silence.createdBy)): \(silence.comment)\n"
            }
        }
        if !answer.inhibitedBy.isEmpty {
            out += "\nInhibited by:\n"
            for source in answer.inhibitedBy {
                out +=
                    source.hidden
                    ? "  an alert outside your tenants (inhibit_rules[\(source.rule)])\n"
                    : "  \(source.fingerprint) \(source.labels) (inhibit_rules[\(source.rule)])\n"
            }
        }
        out += "\nVerdicts:\n"
        var w = TabWriter()
        for verdict in answer.verdicts {
            w.write("  \(verdict.receiver)\t\(verdict.notify ? "notify" : "suppressed")\t\(verdict.reason)\n")
        }
        return out + w.flush()
    }
}
