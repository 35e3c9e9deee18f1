import Foundation
import KlaxonCore

/// Opens the state store that `--storage.path` names.
public enum StateStores {
    /// The `--storage.path` value that keeps state in memory only.
    public static let inMemoryPath = ":memory:"

    /// `:memory:` keeps silences and the notification log in memory only: nothing survives a restart, which suits a
    /// throwaway instance (a CI job, a local trial). Any other value is a directory holding the SQLite database
    /// `klaxon.db`, created if missing. The audit trail and the history are kept in the same store.
    public static func open(storagePath: String) throws -> any StateStore & AuditStore & HistoryStore {
        if storagePath == inMemoryPath { return InMemoryStateStore() }
        return try SQLiteStateStore(directory: storagePath)
    }
}
