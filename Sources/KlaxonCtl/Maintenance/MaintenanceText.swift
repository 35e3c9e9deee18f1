import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// The sentences and tables the maintenance commands print; pure, so they are golden-tested.
enum MaintenanceText {
    /// `Opened maintenance window KEY (silence ID) until 2026-12-01 09:30:00 UTC.` and friends.
    static func started(_ key: MaintenanceKey, _ result: MaintenanceService<some SilenceAPI>.StartResult) -> String {
        let until = date(result.endsAt)
        var text: String
        switch result.outcome {
        case .opened:
            text = "opened maintenance window \(key) (silence \(result.silenceID)) until \(until)"
        case .extended:
            text = "extended maintenance window \(key) (silence \(result.silenceID)) until \(until)"
        case .unchanged:
            text =
                "maintenance window \(key) (silence \(result.silenceID)) already lasts until \(until); "
                + "not shortened"
        case .replaced:
            text = "replaced maintenance window \(key) with silence \(result.silenceID) (new matchers) until \(until)"
        }
        if !result.expired.isEmpty {
            text +=
                "; expired \(result.expired.count == 1 ? "silence" : "silences") "
                + result.expired.joined(separator: ", ")
        }
        if result.openWindows > 1 {
            text += "; warning: \(result.openWindows) silences still carry this key (another pipeline is changing it)"
        }
        return text
    }

    /// `closed maintenance window KEY (expired silence ID)` or `no open maintenance window KEY; nothing to close`.
    static func ended(_ key: MaintenanceKey, _ expired: [String]) -> String {
        if expired.isEmpty { return "no open maintenance window \(key); nothing to close" }
        return "closed maintenance window \(key) (expired \(expired.count == 1 ? "silence" : "silences") "
            + expired.joined(separator: ", ") + ")"
    }

    /// The hint after a start that failed once a silence may have been posted.
    static func mayBeOpen(_ key: MaintenanceKey, _ error: MaintenanceStartError) -> String {
        let posted =
            error.posted.isEmpty
            ? "a silence was posted but no reply came back"
            : "posted \(error.posted.count == 1 ? "silence" : "silences") " + error.posted.joined(separator: ", ")
        return "\(posted); check with `\(KlaxonCtl.programName) maintenance list` and close it with "
            + "`\(KlaxonCtl.programName) maintenance end --key \(key)` if it should not stay open"
    }

    /// amtool's default date format, in UTC.
    static func date(_ date: Date) -> String {
        GoTime(date: date).format(GoTime.amtoolLayout)
    }

    /// `1h30m`, `29m58s`, `5s`; whole seconds, rounded up so that a window ending in 0.4 s is not shown as `0s`.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int64(max(0, seconds.rounded(.up)))
        return PromDuration.seconds(whole).description
    }

    /// The `list` table: `Key  ID  Matchers  Ends In  Created By`, columns aligned by amtool's tabwriter.
    static func table(_ windows: [MaintenanceWindow], now: Date) -> String {
        var rows = [["Key", "ID", "Matchers", "Ends In", "Created By"]]
        for window in windows {
            let silence = window.silence
            let endsIn =
                silence.state == .pending
                ? "\(duration(silence.endsAt.timeIntervalSince(now))) (starts in "
                    + "\(duration(silence.startsAt.timeIntervalSince(now))))"
                : duration(silence.endsAt.timeIntervalSince(now))
            rows.append([
                window.key, silence.id, silence.matchers.map(\.description).joined(separator: " "), endsIn,
                silence.createdBy,
            ])
        }
        // The last column is not tab-terminated, so it is not padded.
        var writer = TabWriter()
        for row in rows { writer.write(row.joined(separator: "\t") + "\n") }
        return writer.flush()
    }

    /// `-o json` of `list`: one object per window.
    static func json(_ windows: [MaintenanceWindow]) -> String {
        var w = GoJSONWriter()
        w.raw(UInt8(ascii: "["))
        for (index, window) in windows.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            let s = window.silence
            w.raw("{\"key\":")
            w.string(window.key)
            w.raw(",\"id\":")
            w.string(s.id)
            w.raw(",\"status\":{\"state\":")
            w.string(s.state?.rawValue ?? "")
            w.raw("},\"matchers\":")
            s.matchers.encode(to: &w)
            w.raw(",\"startsAt\":")
            w.timeRFC3339Millis(s.startsAt)
            w.raw(",\"endsAt\":")
            w.timeRFC3339Millis(s.endsAt)
            w.raw(",\"createdBy\":")
            w.string(s.createdBy)
            w.raw(",\"comment\":")
            w.string(s.comment)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "]"))
        return String(decoding: w.bytes, as: UTF8.self) + "\n"
    }
}
