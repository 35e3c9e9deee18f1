import Foundation
import KlaxonHTTP
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

/// Error messages about config files, URLs and requests never show a password or token, and still say what is wrong.
@Suite struct SecretsStayOutOfErrorMessages {
    private static let secret = "hunter2"

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func write(_ text: String, _ path: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func aYAMLSyntaxErrorInTheConfigFileNamesTheLineButNotTheText() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        _ = try write(
            "alertmanager.url: http://127.0.0.1:1/\nauthor: me\npassword: \(Self.secret):secret: x\n",
            ".config/amtool/config.yml", in: home)
        let file = ConfigFile.load(paths: ConfigFile.searchPaths(home: home.path).prefix(2).map { $0 })
        #expect(
            file.problem == "could not load config file: yaml: line 3: mapping values are not allowed in this context")
    }

    @Test(arguments: [
        ("author: \"abc\n  \(secret) x", "yaml: line 2: found unexpected end of stream"),
        ("author: [\(secret)\n", "yaml: line 1: did not find expected ',' or ']'"),
        ("author: \(secret)\n  - x: y\n", "yaml: line 2: mapping values are not allowed in this context"),
    ])
    func otherSyntaxErrorsInTheConfigFileAreReportedLikeYAMLv2(yaml: String, message: String) {
        let error = #expect(throws: APIClientError.self) { try ConfigFile.parse(yaml: yaml) }
        #expect(error?.description == message)
        #expect(error?.description.contains(Self.secret) == false)
    }

    /// The binary with a broken `~/.config/prometheus/amtool.yml` (a path both amtool and klaxonctl read) prints
    /// amtool's message, and neither prints the password.
    @Test func theBinaryReportsABrokenConfigFileLikeAmtoolWithoutThePassword() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        _ = try write(
            "alertmanager.url: http://127.0.0.1:1/\npassword: \(Self.secret):secret: x\n",
            ".config/prometheus/amtool.yml", in: home)
        let expected =
            "error: could not load config file: yaml: line 2: mapping values are not allowed in this context\n\n"
        let result = try runProcess(Binaries.klaxonctl, ["silence", "query"], environment: ["HOME": home.path])
        #expect(result.exitCode == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "klaxonctl: " + expected, "\(result)")
        if let amtool = Binaries.amtool {
            let reference = try runProcess(amtool, ["silence", "query"], environment: ["HOME": home.path])
            #expect(reference.stderr == "amtool: " + expected, "\(reference)")
        }
    }

    @Test func aYAMLSyntaxErrorInTheHTTPConfigFileNamesTheLineButNotTheText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(
            "basic_auth:\n  username: u\n  password: \(Self.secret):secret: x\n", "http.yml", in: folder)
        let error = #expect(throws: APIClientError.self) { try HTTPConfigFile.load(path: file.path) }
        #expect(
            error?.description
                == "failed to load HTTP config file: yaml: line 3: mapping values are not allowed in this context")
        // Through the binary: the same message, and the password nowhere.
        let result = try runProcess(
            Binaries.klaxonctl, ["--http.config.file=\(file.path)", "--alertmanager.url=http://127.0.0.1:1/", "alert"])
        #expect(result.exitCode == 1)
        #expect(
            result.stderr.hasPrefix(
                "klaxonctl: error: failed to load HTTP config file: yaml: line 3: mapping values are not allowed"),
            "\(result)")
        #expect(!result.stderr.contains(Self.secret) && !result.stdout.contains(Self.secret))
    }

    @Test(arguments: [
        (
            "basic_auth:\n  username: u\n  password: \"\(secret)\n",
            "failed to load HTTP config file: yaml: line 4: found unexpected end of stream"
        ),
        (
            "tls_config:\n  insecure_skip_verify: \(secret)\n",
            "failed to load HTTP config file: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!str into bool"
        ),
        (
            "tls_config:\n  min_version: \(secret)\n",
            "failed to load HTTP config file: unknown TLS version in tls_config.min_version"
        ),
        (
            "basic_auth:\n  username: u\n  pasword: \(secret)\n",
            "failed to load HTTP config file: yaml: unmarshal errors:\n"
                + "  line 3: field pasword not found in type config.plain"
        ),
    ])
    func httpConfigErrorsNameTheFieldButNotTheValue(yaml: String, message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(yaml, "http.yml", in: folder)
        let error = #expect(throws: APIClientError.self) { try HTTPConfigFile.load(path: file.path) }
        #expect(error?.description == message)
        #expect(error?.description.contains(Self.secret) == false)
    }

    @Test(arguments: [
        ("ftp://ci:s3cret@127.0.0.1/", "ftp://127.0.0.1/"),
        // Unparseable (a `/` in the password): everything up to the last `@` goes.
        ("http://ci:s3c/ret@127.0.0.1:1/", "http://127.0.0.1:1/"),
        ("ci:s3cret@127.0.0.1:9093", "127.0.0.1:9093"),
    ])
    func anInvalidURLIsShownWithoutItsUserinfo(url: String, shown: String) {
        let error = #expect(throws: APIClientError.self) { try AlertmanagerClient(baseURL: url) }
        #expect(error?.description == "invalid Alertmanager URL \"\(shown)\": want http(s)://host[:port][/path]")
    }

    @Test func aPasswordWithoutAUserNameIsTakenOutOfTheURLToo() throws {
        let client = try AlertmanagerClient(baseURL: "http://:s3cret@127.0.0.1:9093/")
        #expect(client.baseURL == "http://127.0.0.1:9093")
        #expect(client.options.basicAuth == HTTPClientOptions.BasicAuth(username: "", password: "s3cret"))
    }

    /// amtool 0.25 moves the userinfo to basic auth and shows the URL without it; so does klaxonctl.
    @Test func connectionRefusedShowsTheURLWithoutCredentialsLikeAmtool() throws {
        let port = try freePort()
        let arguments = ["--alertmanager.url=http://ci:s3cret@127.0.0.1:\(port)/", "silence", "query"]
        let expected = """
            error: Get "http://127.0.0.1:\(port)/api/v2/silences": dial tcp 127.0.0.1:\(port): connect: connection \
            refused\n\n
            """
        let result = try runProcess(Binaries.klaxonctl, arguments)
        #expect(result.exitCode == 1)
        #expect(result.stderr == "klaxonctl: " + expected, "\(result)")
        if let amtool = Binaries.amtool {
            #expect(try runProcess(amtool, arguments).stderr == "amtool: " + expected)
        }
    }

    /// amtool 0.25: `proxyconnect tcp: dial tcp <proxy>: connect: connection refused`, the proxy's userinfo unsaid.
    @Test func anUnreachableProxyIsNamedWithoutItsCredentialsLikeAmtool() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let proxyPort = try freePort()
        let file = try write(
            "proxy_url: http://pu:\(Self.secret)@127.0.0.1:\(proxyPort)/\n", "http.yml", in: folder)
        let port = try freePort()
        let arguments = [
            "--http.config.file=\(file.path)", "--alertmanager.url=http://127.0.0.1:\(port)/", "silence", "query",
        ]
        let expected = """
            error: Get "http://127.0.0.1:\(port)/api/v2/silences": proxyconnect tcp: dial tcp 127.0.0.1:\(proxyPort): \
            connect: connection refused\n\n
            """
        let result = try runProcess(Binaries.klaxonctl, arguments)
        #expect(result.stderr == "klaxonctl: " + expected, "\(result)")
        if let amtool = Binaries.amtool {
            #expect(try runProcess(amtool, arguments).stderr == "amtool: " + expected)
        }
    }

    @Test func anUnparseableProxyURLIsShownWithoutItsUserinfo() {
        let error = #expect(throws: APIClientError.self) {
            try HTTPConfigFile.parse(yaml: "proxy_url: 'http://pu:\(Self.secret)@[::1'\n", baseDirectory: "")
        }
        // amtool quotes the whole URL here (`parse "http://pu:...@[::1": missing ']' in host`); the reason is Go's.
        #expect(error?.description == "parse \"http://[::1\": missing ']' in host")
    }

    @Test func aTimeoutShowsTheURLWithoutCredentials() async throws {
        let server = try SilentServer()
        let client = try AlertmanagerClient(
            baseURL: "http://ci:s3cret@127.0.0.1:\(server.port)/", timeout: .milliseconds(300))
        let error = await #expect(throws: APIClientError.self) { try await client.status() }
        #expect(
            error?.description == "Get \"http://127.0.0.1:\(server.port)/api/v2/status\": context deadline exceeded")
    }

    @Test func anHTTPErrorStatusDoesNotShowTheCredentials() throws {
        let server = try TestHTTPServer.answering(status: 503, json: "unavailable")
        defer { server.stop() }
        let result = try runProcess(
            Binaries.klaxonctl, ["--alertmanager.url=http://ci:s3cret@127.0.0.1:\(server.port)/", "config", "show"])
        #expect(try #require(server.requests.first).head.contains("Authorization: Basic Y2k6czNjcmV0\r\n"))
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("(status 503): unavailable"), "\(result)")
        #expect(!result.stderr.contains("s3cret") && !result.stdout.contains("s3cret"))
    }

    /// `-v` prints no request details (amtool 0.25 prints none either), so no Authorization header value.
    @Test func verboseOutputCarriesNoAuthorizationValue() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write("authorization:\n  credentials: \(Self.secret)\n", "http.yml", in: folder)
        let server = try TestHTTPServer.answering(status: 500, json: "\"boom\"")
        defer { server.stop() }
        let result = try runProcess(
            Binaries.klaxonctl,
            [
                "-v", "--http.config.file=\(file.path)", "--alertmanager.url=http://127.0.0.1:\(server.port)/",
                "silence", "expire", "abc",
            ])
        #expect(try #require(server.requests.first).head.contains("Authorization: Bearer \(Self.secret)\r\n"))
        #expect(result.exitCode == 1)
        #expect(
            result.stderr
                == "klaxonctl: error: [DELETE /silence/{silenceID}][500] deleteSilenceInternalServerError  boom\n\n",
            "\(result)")
        #expect(!result.stdout.contains(Self.secret))
    }
}
