import Foundation
import KlaxonCore
import Logging

/// Opens the state store that `--storage.url` and `--storage.path` name: the one place that picks it.
public enum StateStores {
    /// The `--storage.path` value that keeps state in memory only.
    public static let inMemoryPath = ":memory:"

    /// With `postgres` (`--storage.url`), silences, the notification log and the audit trail live in that PostgreSQL
    /// database (schema created and migrated first) and the timeline stays local, in `history.db` under
    /// `storagePath` (in memory with `:memory:`). Without it, `:memory:` keeps everything in memory only: nothing
    /// survives a restart, which suits a throwaway instance (a CI job, a local trial); any other value is a
    /// directory holding the SQLite database `klaxon.db`, created if missing, with the audit trail in the same
    /// store and the timeline beside it.
    public static func open(
        storagePath: String, postgres: PostgresSettings? = nil, logger: Logger = Logger(label: "klaxon.storage")
    ) throws -> any StateStore & AuditStore & HistoryStore {
        if let postgres {
            return try PostgresStateStore(
                settings: postgres, historyDirectory: storagePath == inMemoryPath ? nil : storagePath, logger: logger)
        }
        if storagePath == inMemoryPath { return InMemoryStateStore() }
        return try SQLiteStateStore(directory: storagePath)
    }
}
