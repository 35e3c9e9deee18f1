import Foundation
import Logging

/// A log handler that keeps every message and level in memory, for tests that check what a notifier logs.
/// `@unchecked Sendable`: the entries are guarded by `lock`.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { entries.append((event.level, event.message.description, event.metadata ?? [:])) }
    }

    var messages: [String] { lock.withLock { entries.map(\.message) } }
    var levels: [Logger.Level] { lock.withLock { entries.map(\.level) } }
    var metadataEntries: [Logger.Metadata] { lock.withLock { entries.map(\.metadata) } }
}
