import Foundation
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

@Suite struct GlobalOptionsResolution {
    private func options(_ args: [String], file: [String: String] = [:], env: [String: String] = [:]) throws
        -> GlobalOptions
    {
        var options = try GlobalOptions.parse(args)
        options.configFile = ConfigFile(values: file)
        options.environment = env
        return options
    }

    @Test func urlComesFromFlagThenEnvironmentThenFileThenDefault() throws {
        let file = ["alertmanager.url": "http://file:9093/"]
        let env = ["ALERTMANAGER_URL": "http://env:9093/"]
        #expect(
            try options(["--alertmanager.url", "http://flag/"], file: file, env: env).alertmanagerURL == "http://flag/")
        #expect(try options([], file: file, env: env).alertmanagerURL == "http://env:9093/")
        #expect(try options([], file: file).alertmanagerURL == "http://file:9093/")
        #expect(try options([]).alertmanagerURL == "http://localhost:9093/")
    }

    @Test func outputTimeoutAndDateFormatFallBackToTheFile() throws {
        let file = ["output": "extended", "timeout": "5s", "date.format": "15:04"]
        let fromFile = try options([], file: file)
        #expect(fromFile.output == .extended)
        #expect(fromFile.timeout == "5s")
        #expect(fromFile.dateFormat == "15:04")
        let fromFlags = try options(["-o", "json", "--timeout", "1m", "--date.format", "2006"], file: file)
        #expect(fromFlags.output == .json)
        #expect(fromFlags.timeout == "1m")
        #expect(fromFlags.dateFormat == "2006")
        #expect(try options([]).dateFormat == "2006-01-02 15:04:05 MST")
    }

    @Test func unknownOutputIsRejectedWithAmtoolsMessage() throws {
        #expect(throws: APIClientError.message("enum value must be one of simple,extended,json, got 'xml'")) {
            try options(["-o", "xml"]).validatedOutput()
        }
        #expect(throws: APIClientError.message("enum value must be one of simple,extended,json, got 'yaml'")) {
            try options([], file: ["output": "yaml"]).validatedOutput()
        }
    }

    @Test func makeClientAppliesTimeoutAndRejectsBadOnes() throws {
        let client = try options(["--alertmanager.url", "http://h:1/", "--timeout", "1m30s"]).makeClient()
        #expect(client.timeout == .seconds(90))
        #expect(client.baseURL == "http://h:1")
        #expect(throws: GoParseError("time: unknown unit \"x\" in duration \"5x\"")) {
            try options(["--timeout", "5x"]).makeClient()
        }
    }

    @Test func rootFlagsBeforeTheSubcommandReachIt() throws {
        let command = try #require(
            try KlaxonCtl.parseAsRoot(["-o", "json", "--alertmanager.url=http://x/", "silence", "query", "-q"])
                as? SilenceQueryCommand)
        #expect(command.global.output == .json)
        #expect(command.global.alertmanagerURLFlag == "http://x/")
        #expect(command.quiet)
        #expect(try KlaxonCtl.parseAsRoot(["silence"]) is SilenceQueryCommand)
        #expect(try KlaxonCtl.parseAsRoot(["alert"]) is AlertQueryCommand)
        #expect(
            try KlaxonCtl.parseAsRoot(["--no-version-check", "-v", "silence", "expire", "a"]) is SilenceExpireCommand)
    }
}

@Suite struct ConfigFiles {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func write(_ text: String, _ path: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func klaxonctlsFileWinsOverAmtoolsWhichWinsOverDebians() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        try write("alertmanager.url: http://klaxonctl/\n", ".config/klaxonctl/config.yml", in: home)
        try write("alertmanager.url: http://amtool/\nauthor: amy\n", ".config/amtool/config.yml", in: home)
        try write("author: debian\nrequire-comment: false\noutput: json\n", ".config/prometheus/amtool.yml", in: home)
        let file = ConfigFile.load(paths: Array(ConfigFile.searchPaths(home: home.path).prefix(3)))
        #expect(
            file.values == [
                "alertmanager.url": "http://klaxonctl/", "author": "amy", "require-comment": "false", "output": "json",
            ])
        #expect(file.bool("require-comment") == false)
        #expect(file.problem == nil)
    }

    @Test func legacyCommentRequiredKeyIsHonoured() throws {
        #expect(try ConfigFile.parse(yaml: "comment_required: false\n").bool("require-comment") == false)
    }

    @Test func aFileThatIsNotAMappingIsReportedInAmtoolsWords() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        try write("- just\n- a list\n", ".config/amtool/config.yml", in: home)
        let file = ConfigFile.load(paths: ConfigFile.searchPaths(home: home.path).prefix(2).map { $0 })
        // Recorded with amtool 0.25 and the same file as ~/.config/prometheus/amtool.yml.
        let expected =
            "could not load config file: yaml: unmarshal errors:\n"
            + "  line 1: cannot unmarshal !!seq into map[string]string"
        #expect(file.problem == expected)
    }

    @Test func amtoolsConfigFileInHomeIsUsedByTheBinaryAndFlagsWin() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        try write(
            "alertmanager.url: \(server.url)\nauthor: from-file\nrequire-comment: false\noutput: extended\n",
            ".config/amtool/config.yml", in: home)
        let env = ["HOME": home.path]
        let added = try runProcess(Binaries.klaxonctl, ["silence", "add", "alertname=cfg"], environment: env)
        #expect(added.exitCode == 0, "\(added)")
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let stored = try #require(try liveSilences(server)[id])
        #expect(stored["createdBy"] as? String == "from-file")
        let extended = try runProcess(Binaries.klaxonctl, ["silence", "query"], environment: env)
        #expect(extended.stdout.hasPrefix("ID  "))
        #expect(extended.stdout.contains("Updated At"))
        let simple = try runProcess(Binaries.klaxonctl, ["silence", "query", "-o", "simple", "-q"], environment: env)
        #expect(simple.stdout == id + "\n")
        let unreachable = try runProcess(
            Binaries.klaxonctl, ["--alertmanager.url=http://127.0.0.1:\(try freePort())", "silence"], environment: env)
        #expect(unreachable.exitCode == 1)
        let viaEnv = try runProcess(
            Binaries.klaxonctl, ["silence", "-q"], environment: ["ALERTMANAGER_URL": server.url])
        #expect(viaEnv.stdout == id + "\n", "\(viaEnv)")
    }
}

@Suite struct HTTPConfigFiles {
    @Test func prometheusHTTPConfigMapsOntoClientOptions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "klaxonctl-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "s3cret\n".write(to: folder.appendingPathComponent("password"), atomically: true, encoding: .utf8)
        let config = try HTTPConfigFile.parse(
            yaml: """
                basic_auth:
                  username: admin
                  password_file: password
                tls_config:
                  ca_file: ca.pem
                  server_name: am.internal
                  insecure_skip_verify: true
                  min_version: TLS12
                proxy_url: http://proxy:3128
                follow_redirects: false
                """, baseDirectory: folder.path)
        #expect(config.options.basicAuth == HTTPClientOptions.BasicAuth(username: "admin", password: "s3cret"))
        #expect(config.options.tls.caFile == folder.path + "/ca.pem")
        #expect(config.options.tls.serverName == "am.internal")
        #expect(config.options.tls.insecureSkipVerify)
        #expect(config.options.tls.minVersion == .tls12)
        #expect(config.options.proxyURL == "http://proxy:3128")
        #expect(!config.options.followRedirects)
    }

    @Test func authorizationAndBearerTokenBecomeAnAuthorizationHeader() throws {
        let authorization = try HTTPConfigFile.parse(
            yaml: "authorization:\n  type: Token\n  credentials: abc\n", baseDirectory: "")
        #expect(
            authorization.options.authorization == HTTPClientOptions.Authorization(type: "Token", credentials: "abc"))
        let bearer = try HTTPConfigFile.parse(yaml: "bearer_token: xyz\n", baseDirectory: "")
        #expect(bearer.options.authorization == HTTPClientOptions.Authorization(type: "Bearer", credentials: "xyz"))
    }

    @Test(arguments: [
        "unknown_field: 1\n", "basic_auth:\n  username: a\nbearer_token: b\n",
        "authorization:\n  type: Basic\n  credentials: x\n", "tls_config:\n  min_version: TLS99\n",
        "follow_redirects: maybe\n",
    ])
    func invalidHTTPConfigIsRejected(yaml: String) {
        #expect(throws: APIClientError.self) { try HTTPConfigFile.parse(yaml: yaml, baseDirectory: "") }
    }

    @Test func userinfoInTheURLConflictsWithAnHTTPConfigFile() throws {
        var options = try GlobalOptions.parse([
            "--alertmanager.url", "http://u:p@h/", "--http.config.file", "/nonexistent.yml",
        ])
        options.configFile = ConfigFile()
        #expect(throws: APIClientError.self) { try options.makeClient() }
    }

    private static let statusBody = """
        {"cluster":{"peers":[],"status":"disabled"},"config":{"original":"route: {}\\n"},\
        "uptime":"2026-12-01T00:00:00.000Z","versionInfo":{}}
        """

    private func client(httpConfig: String, url: String) throws -> (AlertmanagerClient, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "klaxonctl-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("http.yml")
        try httpConfig.write(to: file, atomically: true, encoding: .utf8)
        var options = try GlobalOptions.parse(["--alertmanager.url", url, "--http.config.file", file.path])
        options.configFile = ConfigFile()
        return (try options.makeClient(), folder)
    }

    @Test func authorizationFromTheHTTPConfigFileIsSentToTheServer() async throws {
        let server = try TestHTTPServer.answering(json: Self.statusBody)
        defer { server.stop() }
        let (client, folder) = try client(
            httpConfig: "authorization:\n  credentials: tok\n", url: "http://127.0.0.1:\(server.port)/am/")
        defer { try? FileManager.default.removeItem(at: folder) }
        let status = try await client.status()
        #expect(status.configYAML == "route: {}\n")
        let request = try #require(server.requests.first).head
        #expect(request.hasPrefix("GET /am/api/v2/status HTTP/1.1\r\n"), "\(request)")
        #expect(request.contains("Authorization: Bearer tok\r\n"), "\(request)")
    }

    @Test func basicAuthFromTheURLIsSentToTheServer() async throws {
        let server = try TestHTTPServer.answering(json: Self.statusBody)
        defer { server.stop() }
        let client = try AlertmanagerClient(baseURL: "http://me:pw@127.0.0.1:\(server.port)")
        _ = try await client.status()
        #expect(try #require(server.requests.first).head.contains("Authorization: Basic bWU6cHc=\r\n"))
    }

    @Test func serverErrorsCarryTheServersMessage() async throws {
        let server = try TestHTTPServer.answering(status: 500, json: "\"silence not found\"")
        defer { server.stop() }
        let client = try AlertmanagerClient(baseURL: "http://127.0.0.1:\(server.port)")
        let error = await #expect(throws: APIClientError.self) { try await client.expireSilence(id: "x") }
        #expect(
            error?.description
                == "[DELETE /silence/{silenceID}][500] deleteSilenceInternalServerError  silence not found")
        #expect(try #require(server.requests.first).head.hasPrefix("DELETE /api/v2/silence/x HTTP/1.1"))
    }
}

@Suite struct HelpOnEveryCommand {
    @Test(arguments: [
        ["alert", "query"], ["alert", "add"], ["silence", "add"], ["silence", "query"], ["silence", "update"],
        ["silence", "expire"], ["silence", "import"], ["config", "show"],
    ])
    func helpIsPrintedAndExitsZero(path: [String]) throws {
        let result = try runProcess(Binaries.klaxonctl, path + ["--help"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("USAGE: klaxonctl " + path.joined(separator: " ")), "\(result.stdout)")
        #expect(result.stdout.contains("--alertmanager.url"))
    }

    @Test(arguments: [("alert", "query"), ("silence", "query"), ("config", "show")])
    func groupHelpNamesTheDefaultSubcommand(group: String, defaultSubcommand: String) throws {
        let result = try runProcess(Binaries.klaxonctl, [group, "--help"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("USAGE: klaxonctl \(group) <subcommand>"), "\(result.stdout)")
        #expect(result.stdout.contains("\(defaultSubcommand) (default)"), "\(result.stdout)")
    }
}
