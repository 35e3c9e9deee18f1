import Foundation
import KlaxonTestSupport
import Testing

/// Scripts branch on klaxonctl's exit status: usage errors exit 1 as amtool's do, and a wrapped command's status
/// comes through unchanged, whatever its value.
@Suite struct ExitStatus {
    @Test func usageErrorsExitOneWithAmtoolsPrefix() throws {
        let result = try runProcess(Binaries.klaxonctl, ["--bogus"])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.hasPrefix("klaxonctl: error: "), "\(result)")
    }

    @Test(arguments: [0, 1, 2, 64, 65, 77, 78, 126])
    func maintenanceRunPassesTheCommandsStatusThrough(status: Int32) throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let result = try runProcess(
            Binaries.klaxonctl,
            [
                "maintenance", "run", "--alertmanager.url=\(server.url)", "--for=5m", "--key=exit-\(status)",
                "tenant=acme", "--", "sh", "-c", "exit \(status)",
            ])
        #expect(result.exitCode == status, "\(result)")
    }
}
