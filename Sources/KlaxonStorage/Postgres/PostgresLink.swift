import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Where and how to connect to PostgreSQL. The password is used only to log in; ``description`` never shows it.
public struct PostgresSettings: Sendable, CustomStringConvertible, CustomReflectable {
    /// TLS use, as libpq's `sslmode`.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, certificate not verified.
        case prefer
        /// TLS, certificate not verified.
        case require
        /// TLS, certificate verified against the system roots and the host name.
        case verifyFull = "verify-full"
    }

    /// Host name or address.
    public var host: String
    /// Port.
    public var port: Int
    /// Role.
    public var user: String
    /// Password, if any.
    public var password: String?
    /// Database.
    public var database: String
    /// TLS use.
    public var tls: TLSMode
    /// How long connecting may take.
    public var connectTimeout: Duration

    /// Creates settings.
    public init(
        host: String, port: Int = 5432, user: String, password: String?, database: String, tls: TLSMode = .prefer,
        connectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// `postgres://user:<secret>@host:port/database?sslmode=...`: the password masked.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(password == nil ? "" : ":<secret>")@\(shownHost):\(port)/\(database)"
            + "?sslmode=\(tls.rawValue)"
    }

    /// No children: reflection never reaches the password.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsConfiguration: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable:
            tlsConfiguration = .disable
        case .prefer, .require:
            var client = TLSConfiguration.makeClientConfiguration()
            client.certificateVerification = .none
            let context = try NIOSSLContext(configuration: client)
            tlsConfiguration = tls == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            tlsConfiguration = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsConfiguration)
        configuration.options.connectTimeout = TimeAmount.nanoseconds(
            connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
        return configuration
    }
}

/// One PostgreSQL connection, driven by an event loop of its own and used by one caller at a time through a blocking
/// bridge, so that the core's synchronous store protocols can be served over postgres-nio.
///
/// Why a blocking bridge, and why it is safe here:
/// - The engine calls the stores synchronously from tasks on Swift's cooperative pool (the notification-log writer's
///   batch commit, silence changes and audit appends from API handlers, the engine's start-up loads), exactly as it
///   calls SQLite, whose commits also occupy the calling thread.
/// - All network I/O runs on this link's own single-thread `MultiThreadedEventLoopGroup`, never on Hummingbird's or
///   the HTTP client's. The caller waits on a future that only that event loop completes, so a wait never needs a
///   cooperative thread to make progress: even with every cooperative thread waiting here, the event loop finishes
///   the query and wakes them, and nothing can deadlock.
/// - Calling from an event-loop thread would block that loop; `withConnection` refuses it (precondition), and
///   `EventLoopFuture.wait()` itself refuses to wait on its own loop.
/// - The cost is one round trip per store call on the caller's thread. Writes are made single statements (arrays
///   through `unnest`), so a notification-log batch of any size costs one round trip, as a SQLite commit costs one
///   write. The high-availability steps (docs/HA.md) can add async variants of the protocols if measurements ask.
final class PostgresLink: Sendable {
    let settings: PostgresSettings
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    /// The open connection, if any; held while a caller uses it, so one query runs at a time, in call order.
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)
    private let nextID = ManagedAtomicCounter()

    init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Runs `body` with the connection (connecting first when there is none or it closed), holding it until `body`
    /// returns. A failure that closed the connection makes the next call reconnect.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else {
            preconditionFailure("the PostgreSQL store blocks its caller: never call it on an event loop")
        }
        return try connection.withLockedValue { current in
            let open: PostgresConnection
            if let existing = current, !existing.isClosed {
                open = existing
            } else {
                current = nil
                open = try wait(
                    PostgresConnection.connect(
                        on: group.next(), configuration: try settings.connectionConfiguration(),
                        id: nextID.next(), logger: logger))
                current = open
            }
            return try body(open)
        }
    }

    /// Runs one statement and returns its rows.
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try withConnection { try self.wait($0.query(query, logger: self.logger)) }
    }

    /// Waits for a future of this link's event loop, turning postgres-nio's errors into ``StorageError``s that say
    /// what failed without the password.
    func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        do {
            return try future.wait()
        } catch let error as PSQLError {
            throw StorageError(Self.reason(error, settings: settings))
        }
    }

    /// Closes the connection and stops the event loop.
    func close() {
        connection.withLockedValue { current in
            if let open = current { try? open.close().wait() }
            current = nil
        }
        try? group.syncShutdownGracefully()
    }

    /// A human reason for a postgres-nio error (its `description` is deliberately generic).
    static func reason(_ error: PSQLError, settings: PostgresSettings) -> String {
        var reason = "PostgreSQL at \(settings.description): "
        if let message = error.serverInfo?[.message] {
            reason += message
            if let state = error.serverInfo?[.sqlState] { reason += " (SQLSTATE \(state))" }
        } else if let underlying = error.underlying {
            reason += "\(error.code): \(underlying)"
        } else {
            reason += "\(error.code)"
        }
        // Belt and braces: no message from below may carry the password.
        if let password = settings.password, !password.isEmpty {
            reason = reason.replacingOccurrences(of: password, with: "<secret>")
        }
        return reason
    }
}

/// Connection ids for postgres-nio's log metadata.
private final class ManagedAtomicCounter: Sendable {
    private let value = NIOLockedValueBox(0)
    func next() -> Int {
        value.withLockedValue {
            $0 += 1; return $0
        }
    }
}
