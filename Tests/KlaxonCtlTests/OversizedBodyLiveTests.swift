import Foundation
import KlaxonTestSupport
import Testing

/// A client that writes its whole request body before reading the answer (Python's urllib, many scripts) gets the
/// 413 for an oversized alert POST promptly instead of blocking on its own write until it times out.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
struct OversizedBodyLive {
    @Test func aClientThatWritesA40MBBodyBeforeReadingGetsThe413() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let script = """
            import urllib.request, urllib.error
            body = b'[{"labels":{"alertname":"' + b'x' * (40 << 20) + b'"}}]'
            request = urllib.request.Request("\(server.url)/api/v2/alerts", data=body,
                                             headers={"Content-Type": "application/json"})
            try:
                print("status", urllib.request.urlopen(request, timeout=20).status)
            except urllib.error.HTTPError as e:
                print("status", e.code, e.read().decode())
            except Exception as e:
                print("failed", type(e).__name__, e)
            """
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script])
        #expect(
            result.stdout.hasPrefix(#"status 413 {"code":413,"message":"request body is larger than 33554432 bytes"}"#),
            "\(result)")
        // The server still serves.
        #expect(try curl("\(server.url)/-/ready").status == 200)
    }
}
