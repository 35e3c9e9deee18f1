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

/// An HTTP/1.0 client that does not ask for keep-alive gets its connection closed after the response, as Go's
/// net/http (and so Alertmanager) closes it; one that asks for keep-alive, and any HTTP/1.1 client, keeps it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
struct HTTP10ConnectionLive {
    @Test func anHTTP10ClientHasItsConnectionClosedAfterTheResponse() throws {
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        // Sends each request on its own connection and reports the status line and whether the server closed the
        // connection within 2 s of the response.
        let script = """
            import socket, sys
            host, port = "127.0.0.1", int(sys.argv[1])
            for version, extra in (("1.0", ""), ("1.0", "Connection: keep-alive\\r\\n"), ("1.1", "")):
                s = socket.create_connection((host, port), timeout=2)
                s.sendall(f"GET /-/healthy HTTP/{version}\\r\\nHost: {host}\\r\\n{extra}\\r\\n".encode())
                data = b""
                closed = False
                try:
                    while True:
                        chunk = s.recv(65536)
                        if not chunk:
                            closed = True
                            break
                        data += chunk
                except socket.timeout:
                    pass
                s.close()
                status = data.split(b" ")[1].decode() if data else "none"
                print(version, extra.strip() or "-", status, "closed" if closed else "open")
            """
        let port = String(server.url.split(separator: ":").last ?? "")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, port])
        #expect(
            result.stdout == """
                1.0 - 200 closed
                1.0 Connection: keep-alive 200 open
                1.1 - 200 open

                """, "\(result)")
    }
}
