import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL server (Debian's `postgresql` package: `initdb`, `postgres`, `pg_ctl`) on a temporary directory
/// and a loopback port of its own, with password authentication (scram-sha-256) for the role ``user``. When the
/// tests run as root, it runs as the unprivileged `postgres` user (PostgreSQL refuses root) through `runuser`.
/// `stop()` (or deinit) stops it at once (`pg_ctl stop -m immediate`) and removes the directory.
///
/// The server runs as a child process of the test, not daemonized by `pg_ctl start`: a daemon would inherit the
/// descriptor Foundation's `Process` watches for its child's exit, and `runProcess` would wait for the server.
public final class PostgresServer: @unchecked Sendable {
    // Safe: every stored property but `stopped` is set once in init; `stopped` is only touched under `lock`.
    /// The superuser role tests log in as.
    public let user = PostgresServer.role
    /// Its password (random per server, so a test can look for it in output).
    public let password: String
    /// The port on 127.0.0.1.
    public let port: Int
    /// The server's data directory, socket folder and log.
    public let directory: URL
    private let binaries: URL
    private let server: Process
    private let lock = NSLock()
    private var stopped = false

    private static let role = "klaxon"

    /// Why PostgreSQL tests cannot run here, or nil when its server programs are installed.
    public static var unavailableReason: String? {
        installedBinaries == nil
            ? "needs PostgreSQL's initdb, postgres and pg_ctl (apt-get install postgresql; scripts/test.sh installs it)"
            : nil
    }

    /// Whether PostgreSQL's server programs are installed.
    public static var isInstalled: Bool { installedBinaries != nil }

    /// The folder holding `initdb`, `postgres`, `pg_ctl` and `pg_isready`: Debian's
    /// /usr/lib/postgresql/<version>/bin (newest first), else where /usr/local/bin's or PATH's `initdb` points.
    private static let installedBinaries: URL? = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        var candidates = versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        candidates.append("/usr/local/bin")
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in candidates {
            let initdb = URL(fileURLWithPath: folder).appendingPathComponent("initdb").resolvingSymlinksInPath()
            let bin = initdb.deletingLastPathComponent()
            if ["initdb", "postgres", "pg_ctl", "pg_isready"].allSatisfy({
                FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent($0).path)
            }) {
                return bin
            }
        }
        return nil
    }()

    /// Initialises a cluster and starts the server; throws when PostgreSQL is not installed or does not start.
    public init() throws {
        guard let binaries = Self.installedBinaries else {
            throw TestServerError(Self.unavailableReason ?? "PostgreSQL is not installed")
        }
        self.binaries = binaries
        password = "pw-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("klaxon-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("pwfile")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if getuid() == 0 {
            // The server's files belong to the user it runs as.
            guard let account = getpwnam("postgres") else {
                throw TestServerError("running as root needs the postgres user to run PostgreSQL as")
            }
            for path in [directory.path, passwordFile.path] {
                guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                    throw TestServerError("chown \(path) to postgres failed")
                }
            }
        }
        let data = directory.appendingPathComponent("data")
        let initdb = try Self.run(
            binaries, "initdb",
            [
                "-D", data.path, "-U", Self.role, "--auth=scram-sha-256", "--pwfile=\(passwordFile.path)", "--no-sync",
                "-E", "UTF8", "--locale=C",
            ])
        guard initdb.exitCode == 0 else {
            try? FileManager.default.removeItem(at: directory)
            throw TestServerError("initdb failed: \(initdb)")
        }
        // A port picked free may be taken before the server binds it (tests run in parallel): try another.
        var started: (Process, Int)?
        var failure = ""
        for _ in 0..<3 where started == nil {
            let port = try freePort()
            do {
                started = (try Self.startServer(binaries, directory: directory, port: port), port)
            } catch {
                failure = "\(error)"
            }
        }
        guard let (server, port) = started else {
            try? FileManager.default.removeItem(at: directory)
            throw TestServerError("PostgreSQL did not start: \(failure)")
        }
        self.server = server
        self.port = port
    }

    deinit { stop() }

    /// Starts `postgres` on `port` and waits until it accepts connections (`pg_isready`).
    private static func startServer(_ binaries: URL, directory: URL, port: Int) throws -> Process {
        let log = directory.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let server = Process()
        let arguments = [
            binaries.appendingPathComponent("postgres").path, "-D", directory.appendingPathComponent("data").path,
            "-p", "\(port)", "-k", directory.path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50",
        ]
        if getuid() == 0 {
            server.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            server.arguments = ["-u", "postgres", "--"] + arguments
        } else {
            server.executableURL = URL(fileURLWithPath: arguments[0])
            server.arguments = Array(arguments.dropFirst())
        }
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = output
        server.standardError = output
        try server.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard server.isRunning else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw TestServerError("postgres exited with \(server.terminationStatus):\n\(text)")
            }
            let ready = try runProcess(
                binaries.appendingPathComponent("pg_isready"), ["-h", "127.0.0.1", "-p", "\(port)", "-t", "1"])
            if ready.exitCode == 0 { return server }
            usleep(50_000)
        }
        stopProcess(server)
        throw TestServerError("postgres was not ready on 127.0.0.1:\(port) within 30 s")
    }

    /// `postgres://klaxon:<password>@127.0.0.1:<port>/<database>?sslmode=disable`.
    public func url(database: String = "postgres", withPassword: Bool = true) -> String {
        "postgres://\(user)\(withPassword ? ":\(password)" : "")@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`) and removes its directory.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        _ = try? Self.run(
            binaries, "pg_ctl",
            ["-D", directory.appendingPathComponent("data").path, "stop", "-m", "immediate", "-w", "-t", "30"])
        stopProcess(server)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs one of PostgreSQL's programs to completion, as the postgres user when the tests run as root.
    private static func run(_ binaries: URL, _ program: String, _ arguments: [String]) throws -> ProcessResult {
        let executable = binaries.appendingPathComponent(program)
        if getuid() == 0 {
            return try runProcess(
                URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "postgres", "--", executable.path] + arguments)
        }
        return try runProcess(executable, arguments)
    }
}
