import Foundation
import KlaxonTestSupport
import Testing

/// The integration tests' own plumbing: servers start on loopback, answer, and are gone after stop().
@Suite struct LiveServerPlumbing {
    @Test func everyInstalledServerStartsOnLoopbackAndStops() throws {
        let servers = try LiveServer.all()
        for server in servers {
            let status = try httpRequest(port: server.port, method: "GET", path: "/api/v2/status")
            #expect(status.status == 200, "\(server.kind)")
            #expect(status.body.contains("\"config\""), "\(server.kind)")
            server.stop()
            #expect(throws: (any Error).self) { try httpGet(port: server.port, path: "/-/ready") }
        }
    }

    @Test func klaxonctlBinaryIsBuiltAndAnswersHelp() throws {
        let result = try runProcess(Binaries.klaxonctl, ["--help"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("silence"))
    }
}
