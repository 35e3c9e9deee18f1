import Foundation

/// What a finished command printed.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public init(stdout: String, stderr: String, exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    public var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs a command to completion (with a hard timeout) and captures its output. `environment` entries are added to
/// a minimal environment (PATH and HOME only, HOME pointing at an empty folder unless given), so that the user's
/// amtool/klaxonctl config files and ALERTMANAGER_URL never leak into a test.
@discardableResult
public func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
    timeout: Duration = .seconds(60)
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": emptyHome.path]
    env.merge(environment) { _, new in new }
    process.environment = env
    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let out = PipeReader(outPipe)
    let err = PipeReader(errPipe)
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            process.terminate()
            process.waitUntilExit()
            throw TestServerError("\(executable.lastPathComponent) \(arguments) did not finish within \(timeout)")
        }
        usleep(5_000)
    }
    process.waitUntilExit()
    return ProcessResult(stdout: out.finish(), stderr: err.finish(), exitCode: process.terminationStatus)
}

/// A folder used as HOME for child processes: no config files in it.
public let emptyHome: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-tests-home-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// Collects a pipe's bytes on a background thread.
public final class PipeReader: @unchecked Sendable {
    // Safe: `data` is written only by the reading thread before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    public func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Ends a child: SIGTERM, then SIGKILL if it is still running after `grace`; returns once it has exited.
public func stopProcess(_ process: Process, grace: Duration = .seconds(5)) {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = ContinuousClock.now + grace
    while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
}
