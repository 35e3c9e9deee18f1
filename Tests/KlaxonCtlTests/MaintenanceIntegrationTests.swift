import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

#if canImport(Glibc)
    import Glibc
#endif

/// `klaxonctl maintenance` against Klaxon from this build and, where installed, Debian's Alertmanager 0.25, both on
/// loopback; the server's silences are checked after each command.
@Suite struct MaintenanceOnALiveServer {
    @Test(arguments: maintenanceServerKinds)
    func startTwiceKeepsOneSilenceAndEndTwiceIsHarmless(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let before = Date()
        let first = try server.maintenance(["start", "--for", "30m", "--key", "ci-1", "tenant=acme", "-c", "deploy"])
        #expect(first.exitCode == 0, "\(first)")
        let opened = try server.openWindows("ci-1")
        try #require(opened.count == 1, "\(opened)")
        // startsAt is posted a minute early (clock skew); the server starts a new silence at its own time instead.
        #expect(opened[0].state == .active)
        #expect(opened[0].startsAt >= before - 1, "\(opened[0].startsAt) is before \(before)")
        #expect(first.stdout.hasPrefix("Opened maintenance window ci-1 (silence \(opened[0].id)) until "))
        #expect(opened[0].matchers == [SilenceMatcherSpec(name: "tenant", value: "acme")])
        #expect(opened[0].comment.hasPrefix("[klaxon-maintenance key=ci-1] deploy via local"))

        let second = try server.maintenance(["start", "--for", "45m", "--key", "ci-1", "tenant=acme"])
        #expect(second.exitCode == 0, "\(second)")
        let extended = try server.openWindows("ci-1")
        #expect(extended.count == 1, "\(extended)")
        #expect(extended.first?.id == opened[0].id)
        #expect((extended.first?.endsAt ?? .distantPast) > opened[0].endsAt)
        #expect(try server.silences().filter { $0.state == .active }.count == 1)

        let shorter = try server.maintenance(["start", "--for", "5m", "--key", "ci-1", "tenant=acme"])
        #expect(shorter.stdout.contains("not shortened"), "\(shorter)")
        #expect(try server.openWindows("ci-1").map(\.endsAt) == extended.map(\.endsAt))

        let prefixed = try server.maintenance(["start", "--for", "30m", "--key", "ci-12", "tenant=globex", "env=prod"])
        #expect(prefixed.exitCode == 0, "\(prefixed)")
        let list = try server.maintenance(["list"])
        #expect(list.exitCode == 0, "\(list)")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Key    ID") == true, "\(list)")
        #expect(lines.contains { $0.hasPrefix("ci-1   \(opened[0].id)  tenant=\"acme\"  ") }, "\(list)")
        #expect(lines.contains { $0.hasPrefix("ci-12  ") && $0.contains("tenant=\"globex\" env=\"prod\"") }, "\(list)")
        #expect(lines.allSatisfy { $0.hasSuffix("Created By") || $0.hasSuffix("klaxonctl-maintenance (unknown)") })

        let end = try server.maintenance(["end", "--key", "ci-1"])
        #expect(end.exitCode == 0, "\(end)")
        #expect(end.stdout == "Closed maintenance window ci-1 (expired silence \(opened[0].id))\n")
        #expect(try server.openWindows("ci-1").isEmpty)
        #expect(try server.openWindows("ci-12").count == 1)
        let again = try server.maintenance(["end", "--key", "ci-1"])
        #expect(again.exitCode == 0, "\(again)")
        #expect(again.stdout == "No open maintenance window ci-1; nothing to close\n")
    }

    @Test(arguments: maintenanceServerKinds)
    func pipelinesStartingTheSameKeyAtOnceConvergeToOneWindow(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let starts = try (0..<4).map { _ in
            try SpawnedCtl([
                "maintenance", "start", "--alertmanager.url", server.url, "--for", "30m", "--key", "race",
                "tenant=acme",
            ])
        }
        for start in starts {
            let result = try start.wait()
            #expect(result.exitCode == 0, "\(result)")
        }
        #expect(try server.openWindows("race").count == 1)
        #expect(try server.silences().filter { $0.state == .active }.count == 1)
    }

    @Test(arguments: maintenanceServerKinds)
    func pipelinesStartingTheSameKeyWithOtherMatchersReportOnlyWindowsWithTheirOwnMatchers(kind: LiveServer.Kind) throws
    {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let tenants = ["acme", "globex", "acme", "globex"]
        let starts = try tenants.map { tenant in
            try SpawnedCtl([
                "maintenance", "start", "--alertmanager.url", server.url, "--for", "30m", "--key", "mixed", "-q",
                "tenant=\(tenant)",
            ])
        }
        let results = try starts.map { try $0.wait() }
        let open = try server.openWindows("mixed")
        let all = try server.allWindows("mixed")
        #expect(open.count <= 1, "\(open)")
        var reported: [String: String] = [:]
        for (tenant, result) in zip(tenants, results) {
            if result.exitCode == 0 {
                // A start that succeeded reports a window with its own matchers (a start that finished before another
                // began may since have been replaced by it, as a later start with other matchers does).
                let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                reported[id] = tenant
                let silence = all.first { $0.id == id }
                #expect(
                    silence?.matchers == [SilenceMatcherSpec(name: "tenant", value: tenant)], "\(tenant): \(result)")
            } else {
                #expect(
                    result.stderr.contains("another pipeline holds maintenance window mixed with matchers")
                        || result.stderr.contains("it was closed at the same time"), "\(tenant): \(result)")
            }
        }
        // Whatever is left open is a window some successful start reported, with that start's matchers.
        for window in open {
            let tenant = try #require(reported[window.id], "\(window) was reported by no successful start: \(results)")
            #expect(window.matchers == [SilenceMatcherSpec(name: "tenant", value: tenant)])
        }
    }

    @Test(arguments: maintenanceServerKinds)
    func newMatchersReplaceTheWindowAndJSONListsIt(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        try server.maintenance(["start", "--for", "30m", "--key", "ci-2", "tenant=acme"])
        let old = try server.openWindows("ci-2")
        let replaced = try server.maintenance(["start", "--for", "10m", "--key", "ci-2", "tenant=globex"])
        #expect(replaced.stdout.hasPrefix("Replaced maintenance window ci-2"), "\(replaced)")
        let now = try server.openWindows("ci-2")
        #expect(now.count == 1)
        #expect(now.first?.matchers == [SilenceMatcherSpec(name: "tenant", value: "globex")])
        #expect(now.first?.id != old.first?.id)
        // The replacement keeps the later end of the old window (30m, not 10m): a window is never shortened.
        #expect(abs((now.first?.endsAt ?? .distantPast).timeIntervalSince(old.first?.endsAt ?? .distantFuture)) < 1)
        let json = try server.maintenance(["list", "-o", "json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.map { $0["key"] as? String } == ["ci-2"])
        #expect(parsed?.first?["id"] as? String == now.first?.id)
    }

    @Test(arguments: maintenanceServerKinds)
    func runPassesTheCommandsStatusThroughAndClosesTheWindow(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let cases: [(key: String, command: [String], status: Int32)] = [
            ("run-true", ["true"], 0), ("run-false", ["false"], 1), ("run-exit-7", ["sh", "-c", "exit 7"], 7),
            ("run-kill-9", ["sh", "-c", "kill -9 $$"], 137), ("run-missing", ["no-such-command-klaxon"], 127),
        ]
        for (key, command, status) in cases {
            let result = try server.maintenance(
                ["run", "--for", "10m", "--key", key, "tenant=acme", "--"] + command)
            #expect(result.exitCode == status, "\(key): \(result)")
            #expect(try server.openWindows(key).isEmpty, "\(key)")
            // The window existed (it is there, expired) and was closed.
            #expect(try server.allWindows(key).count == 1, "\(key)")
            #expect(result.stderr.contains("closed maintenance window \(key) (expired silence "), "\(key): \(result)")
        }
    }

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")), arguments: maintenanceServerKinds)
    func theWindowIsOpenWhileTheCommandRuns(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        // The child asks the server itself: the window must be active while it runs.
        // The server is fresh: its only silence must be the window, carrying the key once, and active.
        let check =
            "body=$(curl -s \(server.url)/api/v2/silences); "
            + "test \"$(printf '%s' \"$body\" | grep -o 'klaxon-maintenance key=during]' | wc -l)\" -eq 1 && "
            + "printf '%s' \"$body\" | grep -q '\"state\":\"active\"'"
        let result = try server.maintenance([
            "run", "--for", "10m", "--key", "during", "tenant=acme", "--", "sh", "-c", check,
        ])
        #expect(result.exitCode == 0, "\(result)")
        #expect(try server.openWindows("during").isEmpty)
    }

    @Test(arguments: maintenanceServerKinds)
    func sigtermToTheWrapperStopsTheChildAndClosesTheWindow(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let pidFile = scratchFile("sigterm")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let ctl = try SpawnedCtl([
            "maintenance", "run", "--alertmanager.url", server.url, "--for", "10m", "--key", "sigterm", "tenant=acme",
            "--", "sh", "-c", "echo $$ > \(pidFile.path); exec sleep 60",
        ])
        let child = try #require(waitForPID(in: pidFile))
        #expect(try server.openWindows("sigterm").count == 1)
        ctl.signal(SIGTERM)
        let result = try ctl.wait()
        #expect(result.exitCode == 128 + SIGTERM, "\(result)")
        #expect(!processExists(child))
        #expect(try server.openWindows("sigterm").isEmpty)
        #expect(result.stderr.contains("forwarding SIGTERM to the command (pid \(child))"), "\(result)")
    }

    @Test(arguments: maintenanceServerKinds)
    func killingTheChildFromOutsideStillClosesTheWindow(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let pidFile = scratchFile("killchild")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let ctl = try SpawnedCtl([
            "maintenance", "run", "--alertmanager.url", server.url, "--for", "10m", "--key", "killed", "tenant=acme",
            "--", "sh", "-c", "echo $$ > \(pidFile.path); exec sleep 60",
        ])
        let child = try #require(waitForPID(in: pidFile))
        kill(child, SIGKILL)
        let result = try ctl.wait()
        #expect(result.exitCode == 128 + SIGKILL, "\(result)")
        #expect(try server.openWindows("killed").isEmpty)
    }

    @Test(arguments: maintenanceServerKinds)
    func aSignalDuringTheLingerClosesTheWindowAtOnce(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let pidFile = scratchFile("linger")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let ctl = try SpawnedCtl([
            "maintenance", "run", "--alertmanager.url", server.url, "--for", "10m", "--key", "linger", "--linger",
            "10m", "tenant=acme", "--", "sh", "-c", "echo $$ > \(pidFile.path)",
        ])
        let child = try #require(waitForPID(in: pidFile))
        // Once the wrapper has reaped the child it is lingering, with the window still open.
        #expect(eventually { !processExists(child) })
        #expect(try server.openWindows("linger").count == 1)
        ctl.signal(SIGINT)
        let result = try ctl.wait(timeout: .seconds(15))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("keeping the window open for 10m"), "\(result)")
        #expect(try server.openWindows("linger").isEmpty)
    }

    @Test(arguments: maintenanceServerKinds)
    func serverRejectionsAndBadInputFailWithClearMessages(kind: LiveServer.Kind) throws {
        let server = try LiveServer.start(kind)
        defer { server.stop() }
        let unselective = try server.maintenance(["start", "--for", "10m", "--key", "bad", "tenant=~.*"])
        #expect(unselective.exitCode != 0, "\(unselective)")
        #expect(unselective.stderr.contains("no matcher selects specific alerts (tenant=~\".*\""), "\(unselective)")

        // An unset CI variable: `tenant=$TENANT` with TENANT empty.
        let unset = try server.maintenance(["start", "--for", "10m", "--key", "bad", "tenant=", "env=prod"])
        #expect(unset.exitCode != 0, "\(unset)")
        #expect(unset.stderr.contains("refusing matcher tenant=\"\" at position 1"), "\(unset)")

        let rejected = try server.maintenance(["start", "--for", "10m", "--key", "bad", "tenant=~(", "--all-tenants"])
        #expect(rejected.exitCode != 0, "\(rejected)")

        let badMatcher = try server.maintenance(["start", "--for", "10m", "--key", "bad", "tenant=acme", "env"])
        #expect(badMatcher.exitCode != 0)
        #expect(badMatcher.stderr.contains("invalid matcher at position 2 (\"env\")"), "\(badMatcher)")

        let empty = try server.maintenance(["start", "--for", "10m", "--key", "bad"])
        #expect(empty.exitCode != 0)
        #expect(empty.stderr.contains("would silence every tenant's alerts"), "\(empty)")

        let badKey = try server.maintenance(["end", "--key", "bad key"])
        #expect(badKey.exitCode != 0)
        #expect(badKey.stderr.contains("character U+0020 at position 4 is not allowed"), "\(badKey)")
        #expect(try server.allWindows("bad").isEmpty)

        let all = try server.maintenance(["start", "--for", "10m", "--key", "everything", "--all-tenants"])
        #expect(all.exitCode == 0, "\(all)")
        #expect(
            try server.openWindows("everything").map(\.matchers) == [
                [SilenceMatcherSpec(name: "alertname", value: ".+", isRegex: true)]
            ])
        let allButOne = try server.maintenance([
            "start", "--for", "10m", "--key", "all-but-acme", "--all-tenants", "tenant!=acme",
        ])
        #expect(allButOne.exitCode == 0, "\(allButOne)")
        #expect(
            try server.openWindows("all-but-acme").map { Set($0.matchers) } == [
                [
                    SilenceMatcherSpec(name: "tenant", value: "acme", isEqual: false),
                    SilenceMatcherSpec(name: "alertname", value: ".+", isRegex: true),
                ]
            ])
    }
}

@Suite struct MaintenanceWithoutAServer {
    @Test func anUnreachableServerIsNamedAndTheCommandIsNotRun() throws {
        let url = "http://127.0.0.1:\(try freePort())"
        let start = try runProcess(
            Binaries.klaxonctl, ["maintenance", "start", "--alertmanager.url", url, "--for", "5m", "--key", "k", "a=b"])
        #expect(start.exitCode == 1)
        #expect(start.stderr.contains("Get \"\(url)/api/v2/silences\""), "\(start)")
        #expect(start.stderr.contains("connection refused"), "\(start)")

        let marker = scratchFile("not-run")
        let run = try runProcess(
            Binaries.klaxonctl,
            [
                "maintenance", "run", "--alertmanager.url", url, "--for", "5m", "--key", "k", "a=b", "--", "touch",
                marker.path,
            ])
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("the command was not run"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }
}
