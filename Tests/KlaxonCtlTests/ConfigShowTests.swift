import Foundation
import KlaxonAPIModels
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

@Suite struct ConfigShowFromServer {
    private let status = AlertmanagerStatus(
        configYAML: "route:\n  receiver: web\n", uptime: Date(timeIntervalSince1970: 1_764_578_602.286),
        versionInfo: .init(
            branch: "main", buildDate: "20261201", buildUser: "ci", goVersion: "swift6", revision: "abc",
            version: "0.1.0"), clusterName: "", clusterStatus: "disabled")

    private func show(_ format: OutputFormat) async -> CommandOutput {
        let api = RecordingAPI()
        await api.setStatus(status)
        return await ConfigShowCommand.show(api: api, formatter: Formatter(format: format))
    }

    @Test func simplePrintsTheRunningConfigFollowedByAnEmptyLine() async {
        #expect(await show(.simple) == CommandOutput(stdout: "route:\n  receiver: web\n\n"))
    }

    @Test func extendedAddsVersionFieldsAndUptime() async {
        #expect(
            await show(.extended).stdout == """
                route:
                  receiver: web

                buildUser ci
                goVersion swift6
                revision abc
                version 0.1.0
                branch main
                buildDate 20261201
                uptime 2025-12-01T08:43:22.286Z

                """)
    }

    @Test func jsonIsTheStatusInGoFieldOrder() async {
        #expect(
            await show(.json).stdout == """
                {"cluster":{"peers":[],"status":"disabled"},"config":{"original":"route:\\n  receiver: web\\n"},\
                "uptime":"2025-12-01T08:43:22.286Z","versionInfo":{"branch":"main","buildDate":"20261201",\
                "buildUser":"ci","goVersion":"swift6","revision":"abc","version":"0.1.0"}}

                """)
    }

    @Test func configIsTheDefaultSubcommandAndConfigFileStaysLocal() throws {
        let command = try KlaxonCtl.parseAsRoot(["config", "-o", "json"])
        #expect((command as? ConfigShowCommand)?.global.output == .json)
        let local = try #require(
            try KlaxonCtl.parseAsRoot(["config", "show", "--config.file", "x.yml"]) as? ConfigShowCommand)
        #expect(local.configFile == "x.yml")
    }

    @Test func liveConfigShowMatchesTheServersStatus() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let result = try runProcess(Binaries.klaxonctl, ["--alertmanager.url=\(server.url)", "config"])
        #expect(result.exitCode == 0, "\(result)")
        let status = try #require(try apiJSON(server, "/api/v2/status") as? [String: Any])
        let original = try #require((status["config"] as? [String: Any])?["original"] as? String)
        #expect(result.stdout == original + "\n")
    }
}

extension RecordingAPI {
    func setStatus(_ status: AlertmanagerStatus) { statusValue = status }
}
