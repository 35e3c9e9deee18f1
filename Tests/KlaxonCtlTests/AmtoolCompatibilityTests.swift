import Foundation
import KlaxonTestSupport
import Testing

private let amtoolInstalled = Binaries.amtool != nil
private let alertmanagerInstalled = Binaries.alertmanager != nil

/// klaxonctl against live servers on loopback: the amtool scenario (Fixtures/amtool/scenario.tsv) must print what
/// amtool 0.25 printed (the recorded fixtures, and amtool itself when installed), and leave the server in the state
/// the commands asked for.
@Suite(.serialized) struct AmtoolCompatibility {
    /// Runs the scenario with klaxonctl; for steps that do not change state, also with amtool when `withAmtool`.
    /// Returns the mismatches (step, expected, got) and checks the server state after the state-changing steps.
    private func runScenario(on server: LiveServer, withAmtool amtool: URL?) throws -> [String] {
        let scenario = try AmtoolScenario()
        var normalizer = OutputNormalizer()
        var mismatches: [String] = []
        let url = "--alertmanager.url=\(server.url)"
        for step in scenario.steps {
            let arguments = normalizer.substitute(step.arguments)
            let result = try runProcess(Binaries.klaxonctl, [url] + arguments)
            normalizer.record(step: step.name, result: result)
            let got = normalizer.render(result)
            let recorded = try AmtoolScenario.fixture(step.name)
            if got != recorded {
                mismatches.append(
                    "\(server.kind) \(step.name) vs fixture:\n--- amtool 0.25\n\(recorded)--- klaxonctl\n\(got)")
            }
            if let amtool, !(step.mutates && result.exitCode == 0) {
                // Same server, same state: amtool must print the same (its version warning aside).
                let live = try runProcess(amtool, [url, "--no-version-check"] + arguments)
                let expected = normalizer.render(live)
                if got != expected {
                    mismatches.append(
                        "\(server.kind) \(step.name) vs live amtool:\n--- amtool\n\(expected)--- klaxonctl\n\(got)")
                }
            }
            try checkState(after: step.name, result: result, normalizer: normalizer, server: server)
        }
        return mismatches
    }

    /// What the server must hold after a state-changing step.
    private func checkState(after step: String, result: ProcessResult, normalizer: OutputNormalizer, server: LiveServer)
        throws
    {
        let id = { (name: String) in normalizer.outputs[name] ?? "" }
        switch step {
        case "silence-add-pending":
            let silence = try #require(try liveSilences(server)[id(step)], "\(server.kind): \(result)")
            #expect((silence["status"] as? [String: Any])?["state"] as? String == "pending")
            #expect(silence["createdBy"] as? String == "alice")
            #expect(silence["comment"] as? String == "first silence")
            #expect((silence["startsAt"] as? String)?.hasPrefix("2030-01-01T00:00:00") == true)
            let matchers = silence["matchers"] as? [[String: Any]] ?? []
            #expect(matchers.map { $0["name"] as? String } == ["alertname", "sev"])
            #expect(matchers.map { $0["value"] as? String } == ["foo", "crit"])
        case "silence-add-active":
            let silence = try #require(try liveSilences(server)[id(step)], "\(server.kind): \(result)")
            let matchers = silence["matchers"] as? [[String: Any]] ?? []
            #expect(matchers.map { $0["isRegex"] as? Bool } == [true, false])
            #expect(matchers.map { $0["isEqual"] as? Bool } == [true, false])
            #expect((silence["status"] as? [String: Any])?["state"] as? String == "active")
        case "silence-add-quoted":
            let silence = try #require(try liveSilences(server)[id(step)], "\(server.kind): \(result)")
            let matchers = silence["matchers"] as? [[String: Any]] ?? []
            #expect(matchers.map { $0["value"] as? String } == ["a \"b\", c", "y,z"])
        case "silence-expire":
            let silence = try #require(try liveSilences(server)[id("silence-add-to-expire")])
            #expect((silence["status"] as? [String: Any])?["state"] as? String == "expired", "\(server.kind)")
        case "silence-update":
            let silence = try #require(try liveSilences(server)[id("silence-add-active")], "\(server.kind)")
            #expect(silence["comment"] as? String == "updated comment")
            #expect((silence["endsAt"] as? String)?.hasPrefix("2031-06-01T00:00:00") == true)
        case "silence-update-duration":
            let silence = try #require(try liveSilences(server)[id("silence-add-pending")], "\(server.kind)")
            #expect((silence["endsAt"] as? String)?.hasPrefix("2030-01-01T02:00:00") == true)
        case "alert-add-silenced":
            let alerts = try apiJSON(server, "/api/v2/alerts") as? [[String: Any]] ?? []
            let alert = try #require(alerts.first { ($0["labels"] as? [String: String])?["alertname"] == "HighCPU" })
            #expect(alert["labels"] as? [String: String] == ["alertname": "HighCPU", "instance": "web1"])
            #expect(
                alert["annotations"] as? [String: String] == ["summary": "CPU is high", "runbook": "http://rb/1"])
            #expect(alert["generatorURL"] as? String == "http://gen/1")
            #expect((alert["startsAt"] as? String)?.hasPrefix("2025-01-01T00:00:00") == true)
            #expect((alert["status"] as? [String: Any])?["silencedBy"] as? [String] == [id("silence-add-active")])
        case "alert-add-explicit-name":
            let alerts = try apiJSON(server, "/api/v2/alerts") as? [[String: Any]] ?? []
            #expect(alerts.count == 3, "\(server.kind)")
        default:
            break
        }
    }

    @Test func klaxonctlPrintsWhatAmtoolRecordedAgainstKlaxon() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let mismatches = try runScenario(on: server, withAmtool: nil)
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test(.enabled(if: alertmanagerInstalled, "Debian's prometheus-alertmanager is not installed"))
    func klaxonctlPrintsWhatAmtoolRecordedAgainstAlertmanager() throws {
        let server = try #require(try LiveServer.alertmanager())
        defer { server.stop() }
        let mismatches = try runScenario(on: server, withAmtool: nil)
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test(.enabled(if: amtoolInstalled && alertmanagerInstalled, "amtool or Alertmanager is not installed"))
    func klaxonctlAndAmtoolPrintTheSameAgainstTheSameServer() throws {
        for server in try LiveServer.all() {
            defer { server.stop() }
            let mismatches = try runScenario(on: server, withAmtool: Binaries.amtool)
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    @Test func unreachableServerErrorNamesTheURLTried() throws {
        let port = try freePort()
        let result = try runProcess(Binaries.klaxonctl, ["--alertmanager.url=http://127.0.0.1:\(port)", "silence"])
        #expect(result.exitCode == 1)
        #expect(
            result.stderr == """
                klaxonctl: error: Get "http://127.0.0.1:\(port)/api/v2/silences": dial tcp 127.0.0.1:\(port): \
                connect: connection refused


                """)
    }

    @Test(.enabled(if: amtoolInstalled, "amtool is not installed"))
    func unreachableServerErrorIsWordedLikeAmtool() throws {
        let port = try freePort()
        for arguments in [
            ["silence", "query", "a=b", "c!=d"], ["alert", "query", "foo", "a=~b"], ["config", "show"],
            ["silence", "expire", "abc"], ["alert", "add", "x"], ["silence", "add", "-c", "x", "a=b"],
        ] {
            let url = "--alertmanager.url=http://127.0.0.1:\(port)/"
            let ours = try runProcess(Binaries.klaxonctl, [url] + arguments)
            let theirs = try runProcess(try #require(Binaries.amtool), [url] + arguments)
            #expect(ours.exitCode == theirs.exitCode)
            #expect(
                ours.stderr.replacingOccurrences(of: "klaxonctl:", with: "amtool:") == theirs.stderr, "\(arguments)")
        }
    }

    @Test(.enabled(if: amtoolInstalled, "amtool is not installed"))
    func timeoutIsWordedLikeAmtool() throws {
        let server = try SilentServer()
        let arguments = [
            "--alertmanager.url=http://127.0.0.1:\(server.port)", "--timeout=300ms", "--no-version-check", "silence",
            "a=b",
        ]
        let ours = try runProcess(Binaries.klaxonctl, arguments)
        let theirs = try runProcess(try #require(Binaries.amtool), arguments)
        #expect(ours.exitCode == 1)
        #expect(ours.exitCode == theirs.exitCode)
        #expect(ours.stderr.replacingOccurrences(of: "klaxonctl:", with: "amtool:") == theirs.stderr)
    }

    @Test func silenceImportRecreatesExportedSilencesOnAnotherServer() throws {
        let source = try LiveServer.klaxon()
        defer { source.stop() }
        let url = "--alertmanager.url=\(source.url)"
        for name in ["one", "two"] {
            let added = try runProcess(
                Binaries.klaxonctl,
                [
                    url, "silence", "add", "-c", name, "-a", "me", "--end=2030-01-01T00:00:00Z",
                    "alertname=\(name)",
                ])
            #expect(added.exitCode == 0, "\(added)")
        }
        let exported = try runProcess(Binaries.klaxonctl, [url, "silence", "query", "-o", "json"])
        #expect(exported.exitCode == 0)
        let targets = [try LiveServer.klaxon()] + (try LiveServer.alertmanager().map { [$0] } ?? [])
        for target in targets {
            defer { target.stop() }
            let imported = try runProcess(
                Binaries.klaxonctl, ["--alertmanager.url=\(target.url)", "silence", "import"], stdin: exported.stdout)
            #expect(imported.exitCode == 0, "\(target.kind): \(imported)")
            let ids = imported.stdout.split(separator: "\n").map(String.init)
            #expect(ids.count == 2, "\(target.kind): \(imported)")
            let silences = try liveSilences(target)
            #expect(Set(ids) == Set(silences.keys), "\(target.kind)")
            #expect(Set(silences.values.compactMap { $0["comment"] as? String }) == ["one", "two"])
            // Importing again with --force creates two more.
            let forced = try runProcess(
                Binaries.klaxonctl, ["--alertmanager.url=\(target.url)", "silence", "import", "-f", "-"],
                stdin: exported.stdout)
            #expect(forced.exitCode == 0, "\(forced)")
            #expect(try liveSilences(target).count == 4, "\(target.kind)")
        }
    }
}
