import Foundation

/// Certificates made for one test with the openssl command line, in a scratch folder: a CA, a server certificate for
/// 127.0.0.1 signed by it, and client certificates signed by it or by a second CA that the server does not trust.
/// Bcrypt hashes come from Apache's `htpasswd -B`, as an operator makes them.
struct TestPKI {
    let folder: URL

    static var toolsInstalled: Bool {
        ["/usr/bin/openssl", "/usr/bin/htpasswd", "/usr/bin/curl"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try makeCA("ca", subject: "/CN=Klaxon Test CA")
        try makeCA("rogue-ca", subject: "/CN=Klaxon Rogue CA")
        try makeLeaf(
            "server", ca: "ca", subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost")
        try makeLeaf("client", ca: "ca", subject: "/CN=client", extensions: "extendedKeyUsage=clientAuth")
        try makeLeaf("rogue-client", ca: "rogue-ca", subject: "/CN=rogue", extensions: "extendedKeyUsage=clientAuth")
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes `text` to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// A new server certificate signed by `ca`, replacing `server.crt` and `server.key`.
    func reissueServerCertificate(ca: String) throws {
        try makeLeaf(
            "server", ca: ca, subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost")
    }

    /// `htpasswd -nbB` for `user`: the bcrypt hash part of the line (cost 5 keeps the tests quick).
    static func bcryptHash(user: String, password: String) throws -> String {
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/htpasswd"), ["-nbB", "-C", "5", user, password])
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.exitCode == 0, let colon = line.firstIndex(of: ":") else {
            throw LiveServerError("htpasswd failed: \(result)")
        }
        return String(line[line.index(after: colon)...])
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    private func openssl(_ arguments: [String]) throws {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), arguments)
        guard result.exitCode == 0 else { throw LiveServerError("openssl \(arguments) failed: \(result)") }
    }

    private func makeCA(_ name: String, subject: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path(name + ".key"), "-out", path(name + ".crt"), "-days", "2", "-subj", subject,
        ])
    }

    private func makeLeaf(_ name: String, ca: String, subject: String, extensions: String) throws {
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path(name + ".key"), "-out", path(name + ".csr"), "-subj", subject,
        ])
        let ext = try write(name + ".ext", extensions + "\n")
        try openssl([
            "x509", "-req", "-in", path(name + ".csr"), "-CA", path(ca + ".crt"), "-CAkey", path(ca + ".key"),
            "-CAcreateserial", "-out", path(name + ".crt"), "-days", "2", "-extfile", ext,
        ])
    }
}

/// What curl saw: the status (0 when no HTTP response came), the negotiated HTTP version and the response headers.
struct CurlResult {
    var status: Int
    var httpVersion: String
    var headers: [String: String]
    var body: String
    var stderr: String
}

/// One request with the curl command line (a real TLS and HTTP/2 client).
func curl(_ url: String, _ options: [String] = []) throws -> CurlResult {
    let result = try runProcess(
        URL(fileURLWithPath: "/usr/bin/curl"),
        ["-sS", "--max-time", "10", "-D", "-", "-w", "\n%{http_code} %{http_version}"] + options + [url])
    // "\r\n" is one Character in Swift: normalise it before splitting into lines.
    var lines = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let summary = (lines.popLast() ?? "").split(separator: " ")
    var headers: [String: String] = [:]
    var bodyLines: [String] = []
    var inHeaders = true
    for line in lines {
        if inHeaders {
            if line.isEmpty {
                inHeaders = false
                continue
            }
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
        } else {
            bodyLines.append(line)
        }
    }
    return CurlResult(
        status: summary.first.flatMap { Int($0) } ?? 0, httpVersion: summary.count > 1 ? String(summary[1]) : "",
        headers: headers, body: bodyLines.joined(separator: "\n"), stderr: result.stderr)
}
