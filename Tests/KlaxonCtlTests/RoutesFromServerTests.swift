import Foundation
import KlaxonAPIModels
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

/// A small routing config: a `continue` route and a regex route under the default one.
private let routingConfig = """
    route:
      receiver: default
      group_by: [alertname]
      routes:
        - matchers: [team="db"]
          receiver: db-pager
          continue: true
        - matchers: [severity=~"critical|page"]
          receiver: oncall
    receivers:
      - name: default
      - name: db-pager
      - name: oncall
    """

/// What amtool 0.25 printed for `routingConfig` served by Alertmanager 0.25 (`--alertmanager.url`, no
/// `--config.file`): the arguments after `config routes`, stdout, and the exit code. stderr was empty each time.
private let recordedAmtool: [(arguments: [String], stdout: String, exitCode: Int32)] = [
    (
        [],
        """
        Routing tree:
        .
        └── default-route  receiver: default
            ├── {team="db"}  continue: true  receiver: db-pager
            └── {severity=~"critical|page"}  receiver: oncall


        """, 0
    ),
    (
        ["show"],
        """
        Routing tree:
        .
        └── default-route  receiver: default
            ├── {team="db"}  continue: true  receiver: db-pager
            └── {severity=~"critical|page"}  receiver: oncall


        """, 0
    ),
    (["test"], "default\n", 0),
    (["test", "team=db", "severity=page"], "db-pager,oncall\n", 0),
    (
        ["test", "--tree", "team=db", "severity=page"],
        """
        Matching routes:
        .
        └── default-route
            ├── {team="db"}  receiver: db-pager
            └── {severity=~"critical|page"}  receiver: oncall


        db-pager,oncall

        """, 0
    ),
    (
        ["test", "--verify.receivers=x", "team=db"],
        "db-pager\nWARNING: Expected receivers did not match resolved receivers.\n", 1
    ),
]

/// A config whose running copy has masked secrets (`slack_api_url: <secret>`, passwords), which must load again.
private let configWithSecrets = """
    global:
      slack_api_url: https://hooks.slack.com/services/T/B/hunter2
      smtp_auth_password: hunter2
    route:
      receiver: slack
      routes:
        - matchers: [team="db"]
          receiver: mail
    receivers:
      - name: slack
        slack_configs:
          - channel: '#a'
            http_config:
              basic_auth: {username: u, password: hunter2}
      - name: mail
        email_configs:
          - to: a@b.c
            from: x@y.z
            smarthost: 127.0.0.1:25
            auth_password: hunter2
    """

/// amtool 0.25's `config routes` for `configWithSecrets` served by Alertmanager 0.25.
private let recordedSecretsTree = """
    Routing tree:
    .
    └── default-route  receiver: slack
        └── {team="db"}  receiver: mail


    """

/// A status endpoint that answers with a fixed config, or fails.
private struct FixedStatus: StatusAPI {
    var result: Result<String, APIClientError>

    func status() async throws -> AlertmanagerStatus {
        AlertmanagerStatus(configYAML: try result.get(), uptime: Date(timeIntervalSince1970: 0))
    }
}

@Suite struct RoutesFromTheServer {
    @Test func showPrintsTheTreeOfTheServersConfigWithoutTheOverrideWarning() async {
        let output = await RoutesShowCommand.show(api: FixedStatus(result: .success(routingConfig)))
        #expect(output == CommandOutput(stdout: recordedAmtool[1].stdout))
    }

    @Test func testResolvesReceiversWithTheServersConfig() async {
        let api = FixedStatus(result: .success(routingConfig))
        let output = await RoutesTestCommand.test(api: api, labels: ["team=db", "severity=page"])
        #expect(output == CommandOutput(stdout: "db-pager,oncall\n"))
        let tree = await RoutesTestCommand.test(api: api, labels: ["team=db", "severity=page"], tree: true)
        #expect(tree == CommandOutput(stdout: recordedAmtool[4].stdout))
        let verified = await RoutesTestCommand.test(api: api, labels: ["team=db"], verifyReceivers: "x")
        #expect(verified == CommandOutput(stdout: recordedAmtool[5].stdout, exitCode: 1))
    }

    @Test func aServerErrorIsReportedLikeAmtool() async {
        let reason = "Get \"http://127.0.0.1:1/api/v2/status\": dial tcp 127.0.0.1:1: connect: connection refused"
        let api = FixedStatus(result: .failure(.message(reason)))
        // amtool 0.25 ends the error with one newline for show and with a blank line for test.
        #expect(await RoutesShowCommand.show(api: api).stderr == "klaxonctl: error: \(reason)\n")
        let test = await RoutesTestCommand.test(api: api, labels: ["a"])
        #expect(test == CommandOutput(stderr: "klaxonctl: error: \(reason)\n\n", exitCode: 1))
    }

    @Test func theBinaryAsksTheURLWhenThereIsNoConfigFile() throws {
        let port = try freePort()
        let url = "--alertmanager.url=http://127.0.0.1:\(port)/"
        let reason =
            "Get \"http://127.0.0.1:\(port)/api/v2/status\": dial tcp 127.0.0.1:\(port): connect: connection refused"
        let show = try runProcess(Binaries.klaxonctl, [url, "config", "routes"])
        #expect(show.exitCode == 1)
        #expect(show.stderr == "klaxonctl: error: \(reason)\n", "\(show)")
        let test = try runProcess(Binaries.klaxonctl, [url, "config", "routes", "test", "a=b"])
        #expect(test.stderr == "klaxonctl: error: \(reason)\n\n", "\(test)")
        if let amtool = Binaries.amtool {
            #expect(try runProcess(amtool, [url, "config", "routes"]).stderr == "amtool: error: \(reason)\n")
            #expect(
                try runProcess(amtool, [url, "config", "routes", "test", "a=b"]).stderr
                    == "amtool: error: \(reason)\n\n")
        }
    }

    /// Errors amtool 0.25 meets before asking the server: its config file and `--timeout` end in a blank line
    /// (even with a local --config.file), `--http.config.file` in a single newline; no override warning.
    @Test func setupErrorsEndLikeAmtools() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-routes-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let brokenHome = folder.appendingPathComponent("home")
        let amtoolConfig = brokenHome.appendingPathComponent(".config/prometheus/amtool.yml")
        try FileManager.default.createDirectory(
            at: amtoolConfig.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "alertmanager.url: http://127.0.0.1:1/\npassword: hunter2:x: y\n".write(
            to: amtoolConfig, atomically: true, encoding: .utf8)
        let httpConfig = folder.appendingPathComponent("http.yml")
        try "basic_auth:\n  username: u\n  password: hunter2:x: y\n".write(
            to: httpConfig, atomically: true, encoding: .utf8)
        let configFile = folder.appendingPathComponent("alertmanager.yml")
        try routingConfig.write(to: configFile, atomically: true, encoding: .utf8)
        let homeError = "could not load config file: yaml: line 2: mapping values are not allowed in this context\n\n"
        let httpError =
            "failed to load HTTP config file: yaml: line 3: mapping values are not allowed in this context\n"
        let timeoutError = "time: unknown unit \"x\" in duration \"5x\"\n\n"
        let cases: [(arguments: [String], home: URL?, error: String)] = [
            (["config", "routes"], brokenHome, homeError),
            (["config", "routes", "test", "a=b"], brokenHome, homeError),
            (["config", "routes", "test", "--config.file=\(configFile.path)", "a=b"], brokenHome, homeError),
            (["--timeout=5x", "config", "routes"], nil, timeoutError),
            (["--timeout=5x", "config", "routes", "--config.file=\(configFile.path)"], nil, timeoutError),
            (["--http.config.file=\(httpConfig.path)", "config", "routes"], nil, httpError),
            (["--http.config.file=\(httpConfig.path)", "config", "routes", "test", "a=b"], nil, httpError),
        ]
        for (arguments, home, error) in cases {
            let environment = home.map { ["HOME": $0.path] } ?? [:]
            let result = try runProcess(Binaries.klaxonctl, arguments, environment: environment)
            #expect(result.exitCode == 1 && result.stdout.isEmpty, "\(arguments): \(result)")
            #expect(result.stderr == "klaxonctl: error: " + error, "\(arguments): \(result)")
            if let amtool = Binaries.amtool {
                let reference = try runProcess(amtool, arguments, environment: environment)
                #expect(reference.stderr == "amtool: error: " + error, "\(arguments): \(reference)")
            }
        }
    }

    /// amtool 0.25 prints `parse "http://u:hunter2@[::1": missing ']' in host`; klaxonctl leaves the userinfo out.
    @Test func aBadURLInALocalConfigFileIsShownWithoutItsPassword() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-routes-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("alertmanager.yml")
        try "route:\n  receiver: a\nreceivers:\n- name: a\n  webhook_configs:\n  - url: 'http://u:hunter2@[::1'\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try runProcess(Binaries.klaxonctl, ["config", "routes", "--config.file=\(file.path)"])
        #expect(result.exitCode == 1)
        #expect(
            result.stderr
                == "Warning: --config.file flag overrides the --alertmanager.url.\n"
                + "klaxonctl: error: parse \"http://[::1\": missing ']' in host\n", "\(result)")
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test func aLocalConfigFileStillWinsAndWarns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-routes-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("alertmanager.yml")
        try routingConfig.write(to: file, atomically: true, encoding: .utf8)
        let arguments = [
            "--alertmanager.url=http://127.0.0.1:\(try freePort())/", "config", "routes", "test",
            "--config.file=\(file.path)", "team=db",
        ]
        let result = try runProcess(Binaries.klaxonctl, arguments)
        #expect(result.stdout == "db-pager\n", "\(result)")
        #expect(result.stderr == "Warning: --config.file flag overrides the --alertmanager.url.\n")
        if let amtool = Binaries.amtool {
            let reference = try runProcess(amtool, arguments)
            #expect(reference.stdout == result.stdout && reference.stderr == result.stderr, "\(reference)")
        }
    }
}

/// `config routes` against a live server prints what amtool 0.25 printed against Alertmanager 0.25.
@Suite(.serialized) struct RoutesFromALiveServer {
    private func check(_ server: LiveServer) throws {
        defer { server.stop() }
        for recorded in recordedAmtool {
            let arguments = ["--alertmanager.url=\(server.url)", "config", "routes"] + recorded.arguments
            let result = try runProcess(Binaries.klaxonctl, arguments)
            #expect(result.stdout == recorded.stdout, "\(server.kind) \(recorded.arguments): \(result)")
            #expect(result.stderr.isEmpty, "\(server.kind) \(recorded.arguments): \(result)")
            #expect(result.exitCode == recorded.exitCode, "\(server.kind) \(recorded.arguments): \(result)")
        }
    }

    @Test func klaxonsRunningConfigRoutesLikeAlertmanagers() throws {
        try check(try LiveServer.klaxon(config: routingConfig))
    }

    @Test func aRunningConfigWithMaskedSecretsStillLoads() throws {
        for server in try LiveServer.all(config: configWithSecrets) {
            defer { server.stop() }
            let show = try runProcess(Binaries.klaxonctl, ["--alertmanager.url=\(server.url)", "config", "routes"])
            #expect(show.stdout == recordedSecretsTree && show.stderr.isEmpty, "\(server.kind): \(show)")
            let test = try runProcess(
                Binaries.klaxonctl, ["--alertmanager.url=\(server.url)", "config", "routes", "test", "team=db"])
            #expect(test.stdout == "mail\n" && test.stderr.isEmpty, "\(server.kind): \(test)")
        }
    }

    @Test(.enabled(if: Binaries.alertmanager != nil, "Debian's prometheus-alertmanager is not installed"))
    func alertmanagersRunningConfigRoutesAsAmtoolShowedIt() throws {
        let server = try #require(try LiveServer.alertmanager(config: routingConfig))
        try check(server)
    }

    @Test(
        .enabled(
            if: Binaries.alertmanager != nil && Binaries.amtool != nil, "amtool or Alertmanager is not installed"))
    func amtoolStillPrintsTheRecordedOutput() throws {
        let server = try #require(try LiveServer.alertmanager(config: routingConfig))
        defer { server.stop() }
        let amtool = try #require(Binaries.amtool)
        for recorded in recordedAmtool {
            let arguments = ["--alertmanager.url=\(server.url)", "config", "routes"] + recorded.arguments
            let result = try runProcess(amtool, arguments)
            #expect(result.stdout == recorded.stdout, "\(recorded.arguments): \(result)")
            #expect(result.stderr.isEmpty && result.exitCode == recorded.exitCode, "\(recorded.arguments): \(result)")
        }
    }
}
