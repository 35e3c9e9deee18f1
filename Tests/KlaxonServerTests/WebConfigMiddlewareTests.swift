import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import KlaxonServer

private let htpasswdInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/htpasswd")

/// The basic-auth front of `--web.config.file` through the router (no sockets); users come from `htpasswd -B`.
@Suite(.enabled(if: htpasswdInstalled, "needs htpasswd (apache2-utils)"))
struct WebConfigMiddlewareTests {
    private func withRouter(users: [String: String], _ body: @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var yaml = "basic_auth_users:\n"
        for (user, password) in users.sorted(by: { $0.key < $1.key }) {
            yaml += "  \(user): '\(try htpasswdHash(user: user, password: password))'\n"
        }
        let path = folder.appendingPathComponent("web.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let router = Router()
        router.add(
            middleware: WebConfigMiddleware(
                webConfig: try WebConfigFile(path: path), passwords: BasicAuthPasswords(), logger: Logger(label: "t")))
        router.get("/-/healthy") { _, _ in "OK" }
        try await Application(router: router).test(.router) { client in try await body(client) }
    }

    private func htpasswdHash(user: String, password: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/htpasswd")
        process.arguments = ["-nbB", "-C", "4", user, password]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(output.trimmingCharacters(in: .whitespacesAndNewlines).drop { $0 != ":" }.dropFirst())
    }

    private func basic(_ credentials: String, scheme: String = "Basic") -> HTTPFields {
        [.authorization: "\(scheme) \(Data(credentials.utf8).base64EncodedString())"]
    }

    @Test func passwordsMayContainColonsAndTheSchemeIsCaseInsensitive() async throws {
        try await withRouter(users: ["alice": "a:b:c"]) { client in
            let ok = try await client.execute(uri: "/-/healthy", method: .get, headers: basic("alice:a:b:c"))
            #expect(ok.status == .ok)
            let lower = try await client.execute(
                uri: "/-/healthy", method: .get, headers: basic("alice:a:b:c", scheme: "basic"))
            #expect(lower.status == .ok)
            let prefix = try await client.execute(uri: "/-/healthy", method: .get, headers: basic("alice:a:b"))
            #expect(prefix.status == .unauthorized)
        }
    }

    @Test func malformedCredentialsAreUnauthorizedNotErrors() async throws {
        try await withRouter(users: ["alice": "secret"]) { client in
            for header in ["Basic", "Basic !!!", "Bearer secret", "Basic \(Data("alice".utf8).base64EncodedString())"] {
                let response = try await client.execute(
                    uri: "/-/healthy", method: .get, headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header)")
                #expect(response.headers[.wwwAuthenticate] == "Basic")
            }
        }
    }

    @Test func aRepeatedWrongPasswordStaysRefused() async throws {
        // Outcomes are cached (as in exporter-toolkit); a cached refusal must not turn into an acceptance.
        try await withRouter(users: ["alice": "secret", "bob": "hunter2"]) { client in
            for _ in 0..<3 {
                let wrong = try await client.execute(uri: "/-/healthy", method: .get, headers: basic("alice:hunter2"))
                #expect(wrong.status == .unauthorized)
                let right = try await client.execute(uri: "/-/healthy", method: .get, headers: basic("bob:hunter2"))
                #expect(right.status == .ok)
            }
        }
    }
}
