import Foundation
import KlaxonAPIModels
import KlaxonTestSupport

@testable import KlaxonCtl

#if canImport(Glibc)
    import Glibc
#endif

/// The servers the maintenance integration tests run against: Klaxon always, Alertmanager when installed.
let maintenanceServerKinds: [LiveServer.Kind] = Binaries.alertmanager == nil ? [.klaxon] : [.klaxon, .alertmanager]

extension LiveServer {
    /// Starts a server of `kind`.
    static func start(_ kind: Kind) throws -> LiveServer {
        switch kind {
        case .klaxon: return try klaxon()
        case .alertmanager:
            guard let server = try alertmanager() else { throw LiveServerError("alertmanager is not installed") }
            return server
        }
    }

    /// Every silence on the server, straight from `GET /api/v2/silences`.
    func silences() throws -> [GettableSilence] {
        let response = try httpRequest(port: port, method: "GET", path: "/api/v2/silences")
        guard response.status == 200 else { throw LiveServerError("GET /api/v2/silences: \(response.status)") }
        return try GettableSilence.decodeList(json: Array(response.body.utf8))
    }

    /// The active or pending silences carrying `key`'s marker.
    func openWindows(_ key: String) throws -> [GettableSilence] {
        let key = try MaintenanceKey(validating: key)
        return try silences().filter { $0.state != .expired && key.marks($0) }
    }

    /// Every silence (any state) carrying `key`'s marker.
    func allWindows(_ key: String) throws -> [GettableSilence] {
        let key = try MaintenanceKey(validating: key)
        return try silences().filter { key.marks($0) }
    }

    /// Runs `klaxonctl maintenance <arguments>` against this server.
    @discardableResult
    func maintenance(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try runProcess(
            Binaries.klaxonctl,
            ["maintenance"] + arguments.prefix(1) + ["--alertmanager.url", url]
                + arguments.dropFirst(), environment: environment)
    }
}

/// A `klaxonctl` process the test controls (signals, waiting), with a clean environment like ``runProcess``.
final class SpawnedCtl: @unchecked Sendable {
    // Safe: `process` is configured in init and then only used through Process's own thread-safe API.
    let process: Process
    private let out: PipeReader
    private let err: PipeReader

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = Binaries.klaxonctl
        process.arguments = arguments
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": emptyHome.path,
        ]
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        out = PipeReader(outPipe)
        err = PipeReader(errPipe)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit (at most `timeout`), returning what it printed.
    func wait(timeout: Duration = .seconds(30)) throws -> ProcessResult {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw LiveServerError("klaxonctl did not exit within \(timeout): \(err.finish())")
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessResult(stdout: out.finish(), stderr: err.finish(), exitCode: status)
    }
}

/// Polls `condition` every 20 ms for at most `timeout`; true when it held.
func eventually(timeout: Duration = .seconds(15), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// Whether a process with this ID exists (a zombie counts until reaped).
func processExists(_ pid: pid_t) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
}

/// A scratch file path for a child to write its PID to.
func scratchFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
        "klaxonctl-maint-\(name)-\(UUID().uuidString.prefix(8))")
}

/// The PID a child wrote to `file`, once it has.
func waitForPID(in file: URL) -> pid_t? {
    var pid: pid_t?
    _ = eventually {
        pid = (try? String(contentsOf: file, encoding: .utf8)).flatMap {
            pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return pid != nil
    }
    return pid
}
