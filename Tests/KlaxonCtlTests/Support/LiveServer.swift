import Foundation
import KlaxonTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Where the binaries under test live: SwiftPM builds `klaxon` and `klaxonctl` next to the test bundle
/// (`swift build --build-tests` builds every product).
enum Binaries {
    /// The build products folder (`.build/debug`), found from the test bundle's location.
    static let productsDirectory: URL = {
        let bundle = Bundle.main.bundleURL
        // `swift test` runs `<products>/KlaxonPackageTests.xctest`; the bundle's folder is the products folder.
        for candidate in [bundle.deletingLastPathComponent(), bundle] {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("klaxonctl").path) {
                return candidate
            }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../.build/debug").standardized
    }()

    /// The `klaxon` server binary.
    static var klaxon: URL { productsDirectory.appendingPathComponent("klaxon") }
    /// The `klaxonctl` binary.
    static var klaxonctl: URL { productsDirectory.appendingPathComponent("klaxonctl") }
    /// Debian's Alertmanager 0.25, when installed.
    static var alertmanager: URL? {
        installed("/usr/bin/prometheus-alertmanager") ?? installed("/usr/bin/alertmanager")
    }
    /// Debian's amtool 0.25, when installed.
    static var amtool: URL? { installed("/usr/bin/amtool") }

    private static func installed(_ path: String) -> URL? {
        FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }
}

struct LiveServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A `klaxon` or Alertmanager process on 127.0.0.1 with a port of its own and a scratch storage folder; `stop()` (or
/// deinit) terminates it and removes the folder.
final class LiveServer: @unchecked Sendable {
    // Safe: `process` is set once in init; stop() is idempotent through Process's own state.
    enum Kind: String, Sendable { case klaxon, alertmanager }

    let kind: Kind
    let port: Int
    let workdir: URL
    private let process: Process
    private let logReader: PipeReader

    /// `http://127.0.0.1:<port>`.
    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts a `klaxon` server (from this build) with `config` as its alertmanager.yml.
    static func klaxon(config: String = LiveServer.minimalConfig) throws -> LiveServer {
        try LiveServer(kind: .klaxon, binary: Binaries.klaxon, config: config)
    }

    /// Starts a `klaxon` server with extra command-line `arguments`; `ready` answers whether the server on a port is
    /// ready (for servers that the plain-HTTP probe cannot reach, such as TLS listeners).
    static func klaxon(
        config: String = LiveServer.minimalConfig, arguments: [String], ready: @escaping (Int) -> Bool
    ) throws -> LiveServer {
        try LiveServer(kind: .klaxon, binary: Binaries.klaxon, config: config, extraArguments: arguments, ready: ready)
    }

    /// Starts Debian's Alertmanager 0.25 with `config`, or returns nil when it is not installed.
    static func alertmanager(config: String = LiveServer.minimalConfig) throws -> LiveServer? {
        guard let binary = Binaries.alertmanager else { return nil }
        return try LiveServer(kind: .alertmanager, binary: binary, config: config)
    }

    /// Both servers that are available here, Klaxon first.
    static func all(config: String = LiveServer.minimalConfig) throws -> [LiveServer] {
        var servers = [try klaxon(config: config)]
        if let am = try alertmanager(config: config) { servers.append(am) }
        return servers
    }

    /// A config with one receiver and no integrations.
    static let minimalConfig = """
        route:
          receiver: default
          group_by: [alertname]
        receivers:
          - name: default
        """

    private init(
        kind: Kind, binary: URL, config: String, extraArguments: [String] = [],
        ready: (Int) -> Bool = { (try? httpGet(port: $0, path: "/-/ready")) == 200 }
    ) throws {
        self.kind = kind
        workdir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "klaxonctl-live-\(kind.rawValue)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        let configURL = workdir.appendingPathComponent("alertmanager.yml")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        port = try freePort()
        process = Process()
        process.executableURL = binary
        var arguments = [
            "--config.file=\(configURL.path)",
            "--storage.path=\(workdir.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--web.external-url=http://127.0.0.1:\(port)/",
            "--log.level=warn",
        ]
        if kind == .alertmanager { arguments.append("--cluster.listen-address=") }
        process.arguments = arguments + extraArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        logReader = PipeReader(pipe)
        try process.run()
        try waitUntilReady(ready)
    }

    deinit { stop() }

    /// Terminates the server (SIGTERM, then SIGKILL after 5 s) and removes its folder.
    func stop() {
        stopProcess(process)
        try? FileManager.default.removeItem(at: workdir)
    }

    /// The server's output so far is only available after stop; used in failure messages.
    func logs() -> String {
        stop()
        return logReader.finish()
    }

    private func waitUntilReady(_ ready: (Int) -> Bool) throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw LiveServerError("\(kind) exited with \(process.terminationStatus): \(logReader.finish())")
            }
            if ready(port) { return }
            usleep(50_000)
        }
        let output = logs()
        throw LiveServerError("\(kind) was not ready on 127.0.0.1:\(port) within 30 s: \(output)")
    }
}

/// A blocking one-shot HTTP/1.0 GET on 127.0.0.1; returns the status code. Enough for readiness probes without
/// pulling an HTTP client into the tests.
func httpGet(port: Int, path: String) throws -> Int {
    try httpRequest(port: port, method: "GET", path: path).status
}

/// A blocking one-shot HTTP/1.0 request on 127.0.0.1; returns status and body.
func httpRequest(port: Int, method: String, path: String, body: String? = nil) throws -> (status: Int, body: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LiveServerError("socket() failed") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw LiveServerError("connect to 127.0.0.1:\(port) failed") }
    let payload = body ?? ""
    var request = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    if body != nil { request += "Content-Type: application/json\r\nContent-Length: \(payload.utf8.count)\r\n" }
    request += "\r\n" + payload
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw LiveServerError("send failed") }
        sent += n
    }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        response.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: response, as: UTF8.self)
    let statusLine = text.prefix { $0 != "\r" }
    let parts = statusLine.split(separator: " ")
    guard parts.count >= 2, let status = Int(parts[1]) else {
        throw LiveServerError("no HTTP status from 127.0.0.1:\(port)\(path)")
    }
    let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, bodyText)
}
