import Foundation
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
        var out: String
        switch format {
        case .logfmt:
            out = fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            out = "{" + fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
        }
        out += "\n"
        FileHandle.standardError.write(Data(out.utf8))
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

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        return jsonString(value)
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
