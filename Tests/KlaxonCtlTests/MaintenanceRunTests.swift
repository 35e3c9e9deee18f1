import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonCtl

#if canImport(Glibc)
    import Glibc
#endif

/// Lines written by the runner, collected for assertions.
private final class Lines: @unchecked Sendable {
    // Safe: `lines` is only touched under `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }
}

/// `maintenance run`'s supervision against the fake server, with real child processes.
@Suite struct MaintenanceRunSupervision {
    private func runner(_ server: FakeSilenceServer, _ clock: TestClock, _ command: [String], log: Lines) throws
        -> MaintenanceRunner<FakeSilenceServer>
    {
        MaintenanceRunner(
            service: MaintenanceService(
                api: server, now: clock.function, retry: RetryPolicy(attempts: 2, initialDelay: .milliseconds(1))),
            closeRetry: RetryPolicy(attempts: 4, initialDelay: .milliseconds(1)),
            request: MaintenanceRequest(
                key: try MaintenanceKey(validating: "deploy-7"),
                matchers: [SilenceMatcherSpec(name: "tenant", value: "acme")],
                duration: 1800, comment: "", context: CIContext(system: "local", actor: "ci")),
            command: command, linger: 0, log: { log.append($0) }, restoresSignals: true)
    }

    @Test func closingIsRetriedWhenTheServerHiccups() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        // start lists twice (plan, verify); the close's first two listings fail.
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 2, after: 2)
        let log = Lines()
        let status = try await runner(server, clock, ["false"], log: log).run()
        #expect(status == 1)
        #expect(await server.active.isEmpty)
        #expect(await server.log.filter { $0 == "fail list" }.count == 2)
        #expect(log.text.contains("closed maintenance window deploy-7 (expired silence silence-1)"), "\(log.text)")
    }

    @Test func aWindowThatCannotBeClosedIsReportedLoudlyWithItsSilenceAndEnd() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 20, after: 2)
        let log = Lines()
        let status = try await runner(server, clock, ["true"], log: log).run()
        #expect(status == 0)
        #expect(await server.active.count == 1)
        #expect(
            log.text.contains(
                """
                klaxonctl: error: COULD NOT CLOSE maintenance window deploy-7: Get \
                "http://127.0.0.1:9/api/v2/silences": dial tcp 127.0.0.1:9: connect: connection refused
                klaxonctl: alerts stay silenced until the window ends by itself at 2025-12-01 08:30:00 UTC; close it \
                with `klaxonctl maintenance end --key deploy-7`, which looks the key's silences up again (last seen \
                open: silence silence-1)
                """), "\(log.text)")
    }

    @Test func theCloseFailureHintSendsToEndByKeyAndNamesTheSilencesLastSeenNotAReplacedOne() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let go = scratchFile("go")
        defer { try? FileManager.default.removeItem(at: go) }
        let log = Lines()
        let wrapped = try runner(
            server, clock, ["sh", "-c", "while [ ! -e \(go.path) ]; do sleep 0.02; done"], log: log)
        async let status = wrapped.run()
        var waited = 0
        while await !server.log.contains("create silence-1") && waited < 1000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        // While the command runs, another start of the key with other matchers replaces the window (silence-2).
        let other = try MaintenanceRequest(
            key: MaintenanceKey(validating: "deploy-7"),
            matchers: [SilenceMatcherSpec(name: "tenant", value: "globex")],
            duration: 1800, comment: "", context: CIContext(system: "local", actor: "bob"))
        let replaced = try await MaintenanceService(api: server, now: clock.function, retry: .none).start(other)
        #expect(replaced.silenceID == "silence-2")
        await server.fail(.expire, with: FakeSilenceServer.connectionRefused, times: 20)
        #expect(FileManager.default.createFile(atPath: go.path, contents: nil))
        #expect(await status == 0)
        #expect(
            log.text.contains(
                "close it with `klaxonctl maintenance end --key deploy-7`, which looks the key's silences up again "
                    + "(last seen open: silence silence-2)"), "\(log.text)")
        #expect(!log.text.contains("amtool silence expire silence-1"), "\(log.text)")
        #expect(await server.active.map(\.id) == ["silence-2"])
    }

    @Test func whenTheWindowCannotBeOpenedTheCommandDoesNotRun() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.fail(.post, with: FakeSilenceServer.error(400, .postSilences, "silence invalid: no"))
        let marker = scratchFile("not-run")
        let log = Lines()
        let status = try await runner(server, clock, ["touch", marker.path], log: log).run()
        #expect(status == 1)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        #expect(log.text.contains("could not open maintenance window deploy-7: [POST /silences][400]"), "\(log.text)")
    }

    @Test func aFailureAfterTheWindowWasPostedClosesItAgainAndSaysSo() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        // The plan's listing and the post succeed; the listing that verifies the window fails (both attempts).
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 2, after: 1)
        let marker = scratchFile("not-run")
        let log = Lines()
        let status = try await runner(server, clock, ["touch", marker.path], log: log).run()
        #expect(status == 1)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        let serverLog = await server.log
        #expect(await server.active.isEmpty, "\(serverLog)")
        #expect(log.text.contains("could not open maintenance window deploy-7: Get "), "\(log.text)")
        #expect(
            log.text.contains(
                """
                klaxonctl: a silence may have been created before the failure (silence silence-1); closing the window
                klaxonctl: closed maintenance window deploy-7 (expired silence silence-1)
                """), "\(log.text)")
    }

    @Test func aPostWhoseReplyWasLostIsClosedAgain() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.loseReplies(ofPosts: 2)
        let log = Lines()
        let status = try await runner(server, clock, ["true"], log: log).run()
        #expect(status == 1)
        let serverLog = await server.log
        #expect(await server.active.isEmpty, "\(serverLog)")
        #expect(log.text.contains("(no reply to the post); closing the window"), "\(log.text)")
        #expect(log.text.contains("closed maintenance window deploy-7 (expired silences silence-1, silence-2)"))
    }

    @Test func aWindowThatMayBeOpenButCannotBeClosedSaysWhatToRun() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 30, after: 1)
        let log = Lines()
        let status = try await runner(server, clock, ["true"], log: log).run()
        #expect(status == 1)
        #expect(await server.active.count == 1)
        #expect(log.text.contains("COULD NOT CLOSE maintenance window deploy-7"), "\(log.text)")
        #expect(log.text.contains("`klaxonctl maintenance end --key deploy-7`"), "\(log.text)")
    }

    @Test func aCommandKilledBySignalExitsLikeAShell() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let log = Lines()
        let status = try await runner(server, clock, ["sh", "-c", "kill -TERM $$"], log: log).run()
        #expect(status == 128 + 15)
        #expect(await server.active.isEmpty)
        #expect(log.text.contains("the command was killed by SIGTERM"), "\(log.text)")
    }

    @Test func theCommandInheritsOnlyStdinStdoutAndStderr() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        // A descriptor the wrapper holds without close-on-exec, like libcurl's connection or a pipe.
        let leaked = open("/dev/null", O_RDONLY)
        try #require(leaked > STDERR_FILENO)
        defer { close(leaked) }
        let listing = scratchFile("fds")
        defer { try? FileManager.default.removeItem(at: listing) }
        let log = Lines()
        let status = try await runner(server, clock, ["sh", "-c", "ls /proc/self/fd > \(listing.path)"], log: log).run()
        #expect(status == 0, "\(log.text)")
        let descriptors = Set(try String(contentsOf: listing, encoding: .utf8).split(separator: "\n").map(String.init))
        // ls sees 0, 1 (the redirect), 2 and the descriptor of the directory it is listing.
        #expect(!descriptors.contains(String(leaked)), "\(descriptors.sorted())")
        #expect(descriptors.isSuperset(of: ["0", "1", "2"]), "\(descriptors.sorted())")
        #expect(descriptors.subtracting(["0", "1", "2"]).count == 1, "\(descriptors.sorted())")
    }

    @Test func waitStatusesDecodeLikeTheShell() {
        #expect(ChildTermination(waitStatus: 0).shellStatus == 0)
        #expect(ChildTermination(waitStatus: 3 << 8) == .exited(3))
        #expect(ChildTermination(waitStatus: 9) == .signaled(9))
        #expect(ChildTermination(waitStatus: 9 | 0x80) == .signaled(9))  // core dumped
        #expect(ChildTermination.signaled(2).shellStatus == 130)
    }
}
