import Foundation
import KlaxonGoCompat
import Logging

/// Alertmanager-style log lines on stderr: `ts=... caller=... level=info msg="..." key=value`
/// (`--log.format=logfmt`, the default) or one JSON object per line (`--log.format=json`).
public struct LogfmtHandler: LogHandler {
    /// Output formats of `--log.format`.
    public enum Format: String, Sendable, CaseIterable {
        case logfmt
        case json
    }

    /// Minimum level.
    public var logLevel: Logger.Level
    /// Handler metadata.
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: Format

    /// Creates a handler.
    public init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var metadata = event.metadata
        if let error = event.error { metadata = (metadata ?? [:]).merging(["err": "\(error)"]) { $1 } }
        write(level: event.level, message: event.message, metadata: metadata, file: event.file, line: event.line)
    }

    private func write(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, file: String, line: UInt
    ) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("caller", "\((file as NSString).lastPathComponent):\(line)"),
            ("level", Self.levelName(level)), ("msg", message.description),
        ]
        let merged = explicit.map { metadata.merging($0) { $1 } } ?? metadata
        for key in merged.keys.sorted() {
            if let value = merged[key] { fields.append((key, "\(value)")) }
        }
        let out = Self.line(fields, format: format) + "\n"
        FileHandle.standardError.write(Data(out.utf8))
    }

    /// One log line, without its newline, from fields in the order logfmt writes them.
    static func line(_ fields: [(String, String)], format: Format) -> String {
        switch format {
        case .logfmt:
            return fields.map { "\($0.0)=\(GoLogfmt.value($0.1))" }.joined(separator: " ")
        case .json:
            // go-kit's JSON logger encodes a map: keys sorted, HTML characters left as they are.
            let members = fields.sorted { $0.0 < $1.0 }.map {
                GoJSONWriter.quoted($0.0, escapeHTML: false) + ":" + GoJSONWriter.quoted($0.1, escapeHTML: false)
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    private static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    private static func timestamp() -> String {
        let now = Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: now)
    }
}
