import Foundation

/// Certificates made for one test with the openssl command line, in a scratch folder: a CA, a server certificate for
/// 127.0.0.1 signed by it, and client certificates signed by it or by a second CA that the server does not trust.
/// The TLS tests of klaxon's web config and of the SMTP client share it. Bcrypt hashes come from Apache's
/// `htpasswd -B`, as an operator makes them.
public struct TestPKI {
    public let folder: URL

    public static var toolsInstalled: Bool {
        ["/usr/bin/openssl", "/usr/bin/htpasswd", "/usr/bin/curl"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try makeCA("ca", subject: "/CN=Klaxon Test CA")
        try makeCA("rogue-ca", subject: "/CN=Klaxon Rogue CA")
        try makeLeaf(
            "server", ca: "ca", subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost")
        try makeLeaf("client", ca: "ca", subject: "/CN=client", extensions: "extendedKeyUsage=clientAuth")
        try makeLeaf("rogue-client", ca: "rogue-ca", subject: "/CN=rogue", extensions: "extendedKeyUsage=clientAuth")
    }

    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes `text` to a file in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// A new server certificate signed by `ca`, replacing `server.crt` and `server.key`.
    public func reissueServerCertificate(ca: String) throws {
        try makeLeaf(
            "server", ca: ca, subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost")
    }

    /// `htpasswd -nbB` for `user`: the bcrypt hash part of the line (cost 5 keeps the tests quick).
    public static func bcryptHash(user: String, password: String) throws -> String {
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/htpasswd"), ["-nbB", "-C", "5", user, password])
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.exitCode == 0, let colon = line.firstIndex(of: ":") else {
            throw TestServerError("htpasswd failed: \(result)")
        }
        return String(line[line.index(after: colon)...])
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }

    private func openssl(_ arguments: [String]) throws {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), arguments)
        guard result.exitCode == 0 else { throw TestServerError("openssl \(arguments) failed: \(result)") }
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
