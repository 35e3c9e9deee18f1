import Foundation
import PostgresNIO

/// The PostgreSQL schema as numbered migrations, applied at start under an advisory lock so that replicas starting
/// at once neither race nor apply one twice. `klaxon_schema_migrations` records each applied version.
///
/// A migration, once released, never changes: a new one is appended. A database whose schema is newer than this
/// binary knows is refused (an older replica must not write to a schema it does not understand).
enum PostgresMigrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// `pg_advisory_lock` key for the migrations: "klaxon" in ASCII, so it does not collide with other users'
    /// small integers.
    static let lockKey: Int64 = 0x6B6C_6178_6F6E

    static let all: [Migration] = [
        Migration(
            version: 1, name: "silences and notification log",
            statements: [
                """
                CREATE TABLE silence (
                    id TEXT PRIMARY KEY,
                    matchers TEXT NOT NULL,
                    starts_at DOUBLE PRECISION NOT NULL,
                    ends_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL,
                    created_by TEXT NOT NULL,
                    comment TEXT NOT NULL
                )
                """,
                // One row per (group key, receiver, integration, index), as in SQLite. The claim and lease columns
                // of docs/HA.md are added to this table by a later migration.
                """
                CREATE TABLE nflog (
                    group_key TEXT NOT NULL,
                    receiver TEXT NOT NULL,
                    integration TEXT NOT NULL,
                    idx INTEGER NOT NULL,
                    "timestamp" DOUBLE PRECISION NOT NULL,
                    firing BYTEA NOT NULL,
                    resolved BYTEA NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (group_key, receiver, integration, idx)
                )
                """,
            ]),
        Migration(
            version: 2, name: "audit trail",
            statements: [
                """
                CREATE TABLE audit (
                    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    "time" DOUBLE PRECISION NOT NULL,
                    kind TEXT NOT NULL,
                    principal TEXT NOT NULL,
                    tenants TEXT[] NOT NULL,
                    remote_address TEXT NOT NULL,
                    object TEXT NOT NULL,
                    before TEXT,
                    after TEXT,
                    message TEXT NOT NULL
                )
                """,
                #"CREATE INDEX audit_time ON audit ("time")"#,
                "CREATE INDEX audit_tenants ON audit USING GIN (tenants)",
            ]),
    ]

    /// Applies every migration the database lacks, each in its own transaction, under the advisory lock.
    static func migrate(_ link: PostgresLink) throws {
        try link.withConnection { connection in
            func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
                try link.wait(connection.query(query, logger: Logger(label: "klaxon.postgres.migrations")))
            }
            _ = try run("SELECT pg_advisory_lock(\(lockKey))")
            defer { _ = try? run("SELECT pg_advisory_unlock(\(lockKey))") }
            _ = try run(
                """
                CREATE TABLE IF NOT EXISTS klaxon_schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            var applied: Set<Int> = []
            for row in try run("SELECT version FROM klaxon_schema_migrations") {
                applied.insert(try row.decode(Int.self))
            }
            let known = Set(all.map(\.version))
            if let newer = applied.subtracting(known).max() {
                throw StorageError(
                    "the PostgreSQL schema is at version \(newer), newer than this klaxon knows "
                        + "(\(known.max() ?? 0)); run the newer klaxon")
            }
            for migration in all where !applied.contains(migration.version) {
                _ = try run("BEGIN")
                do {
                    for statement in migration.statements { _ = try run(PostgresQuery(unsafeSQL: statement)) }
                    _ = try run(
                        "INSERT INTO klaxon_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
                    )
                    _ = try run("COMMIT")
                } catch {
                    _ = try? run("ROLLBACK")
                    throw error
                }
            }
        }
    }
}
