import Foundation

/// A real SMTP server for one test: `scripts/smtp-sink.py` (aiosmtpd from PyPI) on 127.0.0.1 at a port the test
/// picked, recording each message and its envelope into a scratch folder. `stop()` (or deinit) ends the process and
/// removes the folder.
public final class SMTPSink: @unchecked Sendable {
    // Safe: every stored property is set once in init; Process is only terminated and waited for.
    public let port: Int
    public let folder: URL
    private let process: Process

    /// Whether python3 with aiosmtpd is installed (scripts/test.sh installs it); tests that need it are skipped
    /// otherwise.
    public static let available: Bool = {
        guard let result = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import aiosmtpd"])
        else { return false }
        return result.exitCode == 0
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/smtp-sink.py").standardizedFileURL

    /// Starts the sink with smtp-sink.py's options (`--starttls CERT KEY`, `--implicit-tls CERT KEY`,
    /// `--auth USER:PASSWORD`, `--auth-exclude MECHS`, `--fail STAGE:CODE`) and waits until it listens.
    public init(_ options: [String] = []) throws {
        port = try freePort()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("sink.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", Self.script.path, String(port), folder.appendingPathComponent("mail").path] + options
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
        let deadline = ContinuousClock.now + .seconds(20)
        while !((try? String(contentsOf: log, encoding: .utf8))?.contains("ready") ?? false) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                stop()
                throw TestServerError("smtp-sink.py did not start: \(output)")
            }
            usleep(20_000)
        }
    }

    deinit { stop() }

    /// `127.0.0.1:<port>`, as a `smarthost`.
    public var smarthost: String { "127.0.0.1:\(port)" }

    /// The n-th message received for `case` (the first recipient's local part), byte for byte as sent after DATA.
    public func message(_ name: String, _ index: Int = 0) -> [UInt8]? {
        FileManager.default.contents(atPath: folder.appendingPathComponent("mail/\(name).\(index).eml").path)
            .map { Array($0) }
    }

    /// The envelope of that message: `hello`, `mail_from`, `rcpt_tos`, and with TLS or AUTH options `tls`,
    /// `auth_login`, `auth_mechanism`.
    public func envelope(_ name: String, _ index: Int = 0) -> [String: Any]? {
        let path = folder.appendingPathComponent("mail/\(name).\(index).envelope").path
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// What the sink printed (aiosmtpd's errors).
    public var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("sink.log"), encoding: .utf8)) ?? ""
    }

    /// Ends the process and removes the folder; idempotent.
    public func stop() {
        stopProcess(process)
        try? FileManager.default.removeItem(at: folder)
    }
}
