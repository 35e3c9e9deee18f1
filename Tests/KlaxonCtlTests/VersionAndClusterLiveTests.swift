import Foundation
import KlaxonTestSupport
import Testing

/// What Alertmanager's own acceptance tests check before anything else: `amtool --version` introduces itself as
/// amtool, and a server started with `--cluster.listen-address` reports itself as the one peer of its cluster.
@Suite struct VersionAndClusterLive {
    @Test func klaxonctlVersionHasAmtoolsLayoutUnderTheNameItWasInvokedBy() throws {
        let own = try runProcess(Binaries.klaxonctl, ["--version"])
        #expect(own.exitCode == 0, "\(own)")
        #expect(own.stdout.hasPrefix("klaxonctl, version 0.1.0 (branch: main, revision: "), "\(own)")
        #expect(own.stdout.contains("\n  go version:       swift6\n"), "\(own)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxonctl-as-amtool-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let amtool = folder.appendingPathComponent("amtool")
        try FileManager.default.createSymbolicLink(at: amtool, withDestinationURL: Binaries.klaxonctl)
        let asAmtool = try runProcess(amtool, ["--version"])
        // Alertmanager's test/cli/acceptance.go matches `^amtool, version (\d+\.\d+\.\d+) *`.
        let firstLine = asAmtool.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.wholeMatch(of: /amtool, version \d+\.\d+\.\d+ .*/) != nil, "\(asAmtool)")
    }

    @Test func klaxonVersionHasAlertmanagersLayout() throws {
        let result = try runProcess(Binaries.klaxon, ["--version"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.hasPrefix("klaxon, version 0.1.0 (branch: main"), "\(result)")
    }

    @Test func withAClusterListenAddressTheStatusShowsAReadyClusterOfThisOneReplica() throws {
        let clusterPort = try freePort()
        let server = try LiveServer.klaxon(arguments: ["--cluster.listen-address=127.0.0.1:\(clusterPort)"]) { port in
            (try? httpGet(port: port, path: "/-/ready")) == 200
        }
        defer { server.stop() }
        let status = try curl("\(server.url)/api/v2/status")
        let object = try JSONSerialization.jsonObject(with: Data(status.body.utf8)) as? [String: Any]
        let cluster = try #require(object?["cluster"] as? [String: Any], "\(status.body)")
        #expect(cluster["status"] as? String == "ready")
        let name = try #require(cluster["name"] as? String)
        #expect(name.count == 26)
        let peers = try #require(cluster["peers"] as? [[String: Any]])
        #expect(peers.count == 1)
        #expect(peers.first?["name"] as? String == name)
        #expect(peers.first?["address"] as? String == "127.0.0.1:\(clusterPort)")
        // Without the flag, clustering is disabled as before.
        let plain = try LiveServer.klaxon()
        defer { plain.stop() }
        let disabled = try curl("\(plain.url)/api/v2/status").body
        #expect(disabled.contains(#""cluster":{"peers":[],"status":"disabled"}"#), "\(disabled)")
    }
}

/// amtool 0.25 checks the server's version on every command and warns when it differs from its own.
@Suite(.enabled(if: Binaries.amtool != nil, "needs amtool 0.25 (apt-get install prometheus-alertmanager)"))
struct AmtoolVersionCheckLive {
    @Test func amtoolDoesNotWarnAboutTheVersionOfKlaxon() throws {
        let amtool = try #require(Binaries.amtool)
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let result = try runProcess(amtool, ["--alertmanager.url=\(server.url)", "alert", "query"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(!result.stderr.contains("Warning"), "\(result)")
        let status = try curl("\(server.url)/api/v2/status").body
        #expect(status.contains(#""version":"0.25.0""#) && status.contains(#""revision":"klaxon-0.1.0-"#), "\(status)")
    }
}
