import ArgumentParser
import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// `klaxonctl audit`: Klaxon's audit trail (who created, updated or expired which silence, who reloaded the
/// configuration), newest first. Not an amtool command; Alertmanager has no audit trail.
public struct AuditCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show Klaxon's audit trail of state changes, newest first.",
        discussion: """
            A tenant principal sees only entries that concern its tenants. Examples:

              klaxonctl audit --tenant finance --kind silence_created --since 2026-12-01T00:00:00Z
              klaxonctl -o json audit --principal ci-bot --limit 1000
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only entries concerning this tenant.")
    var tenant: String?

    @Option(help: "Only entries by this principal.")
    var principal: String?

    @Option(
        help: ArgumentHelp(
            "Only these kinds (repeatable): "
                + AuditEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ") + "."))
    var kind: [String] = []

    @Option(help: "Only entries at or after this time (RFC3339).")
    var since: String?

    @Option(help: "Only entries before this time (RFC3339).")
    var until: String?

    @Option(help: "At most this many entries (1 to 1000).")
    var limit = 100

    @Option(help: "Start after this sequence number (the `next` of a previous page).")
    var before: Int64?

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// The query parameters these flags send.
    var parameters: [(String, String)] {
        var params: [(String, String)] = []
        if let tenant { params.append(("tenant", tenant)) }
        if let principal { params.append(("principal", principal)) }
        params += kind.map { ("kind", $0) }
        if let since { params.append(("since", since)) }
        if let until { params.append(("until", until)) }
        if let before { params.append(("before", String(before))) }
        params.append(("limit", String(limit)))
        return params
    }

    /// Prints one page.
    public func run() async throws {
        let global = global
        let parameters = parameters
        try emit(
            await apiCommand {
                let page = try await global.makeClient().audit(parameters)
                let formatter = Formatter(format: try global.validatedOutput(), dateFormat: global.dateFormat)
                return CommandOutput(stdout: formatter.audit(page))
            })
    }
}

extension Formatter {
    /// The audit page as a table (time, kind, principal, tenants, object, from, message) with a hint for the next
    /// page, or the API's JSON.
    func audit(_ page: AuditPage) -> String {
        if format == .json { return page.json + "\n" }
        var w = TabWriter()
        w.row(["Time", "Kind", "Principal", "Tenants", "Object", "From", "Message"])
        for entry in page.entries {
            w.row([
                date(entry.time), entry.kind.rawValue, entry.principal, entry.tenants.joined(separator: ","),
                entry.object, entry.remoteAddress, entry.message,
            ])
        }
        var out = w.flush()
        if let next = page.next { out += "More: --before \(next)\n" }
        return out
    }
}
