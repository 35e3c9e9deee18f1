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

/// A silence whose regex backtracks exponentially in a backtracking engine (`(a+)+$`) cannot stall the server:
/// matching takes time linear in the label value, as in Alertmanager (Go's RE2 engine).
@Suite struct CatastrophicRegexLive {
    @Test func aSilenceWithANestedRepetitionDoesNotStallAlertListingOrIngest() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        let json = ["-X", "POST", "-H", "Content-Type: application/json"]
        let silence = """
            {"matchers":[{"name":"alertname","value":"(a+)+$","isRegex":true}],"startsAt":"2026-01-01T00:00:00Z",
            "endsAt":"2036-01-01T00:00:00Z","createdBy":"attacker","comment":"backtracking"}
            """
        #expect(try curl("\(server.url)/api/v2/silences", json + ["-d", silence]).status == 200)
        let value = String(repeating: "a", count: 64) + "!"
        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            json + ["--max-time", "10", "-d", #"[{"labels":{"alertname":"\#(value)"}}]"#])
        #expect(posted.status == 200, "\(posted)")
        let listed = try curl("\(server.url)/api/v2/alerts", ["--max-time", "10"])
        #expect(listed.status == 200 && listed.body.contains(value), "\(listed)")
    }
}
