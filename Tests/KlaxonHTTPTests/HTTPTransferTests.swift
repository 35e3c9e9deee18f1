import Testing

@testable import KlaxonHTTP

@Suite struct HTTPTransferTests {
    @Test(arguments: [
        (Duration.seconds(2), 2000), (.milliseconds(1500), 1500), (.microseconds(10), 1), (.zero, 1),
        (.seconds(-3), 1),
    ])
    func durationsBecomeWholeMillisecondsOfAtLeastOne(duration: Duration, expected: Int) {
        #expect(CurlEasy.milliseconds(duration) == expected)
    }

    @Test func redactionRemovesEverySecretOccurrence() {
        let message = "failed for https://h/x?k=s and again https://h/x?k=s via http://u:p@proxy"
        let redacted = HTTPTransfer.redact(message, secrets: ["https://h/x?k=s", "http://u:p@proxy", ""])
        #expect(redacted == "failed for <redacted> and again <redacted> via <redacted>")
    }

    @Test(arguments: [
        (HTTPHeader("A", "b"), "A: b"),
        (HTTPHeader("Empty", ""), "Empty;"),
    ])
    func headerLinesKeepEmptyValues(header: HTTPHeader, line: String) {
        #expect(HTTPTransfer.headerLine(header) == line)
    }

    @Test func serverNameRewritesHostAndDialsTheOriginalAddress() throws {
        let target = try #require(
            HTTPTransfer.serverNameTarget(url: "https://10.0.0.7:8443/api/v1?x=1", serverName: "am.example"))
        #expect(target.url == "https://am.example:8443/api/v1?x=1")
        #expect(target.connectTo == "am.example:8443:10.0.0.7:8443")
        #expect(target.hostHeader == "10.0.0.7:8443")
        let defaultPort = try #require(
            HTTPTransfer.serverNameTarget(url: "https://10.0.0.7/", serverName: "am.example"))
        #expect(defaultPort.connectTo == "am.example:443:10.0.0.7:443")
        #expect(defaultPort.hostHeader == "10.0.0.7")
    }

    @Test func serverNameIsIgnoredForPlainHTTPAndForTheSameHost() {
        #expect(HTTPTransfer.serverNameTarget(url: "http://10.0.0.7/", serverName: "am.example") == nil)
        #expect(HTTPTransfer.serverNameTarget(url: "https://am.example/", serverName: "am.example") == nil)
    }

    @Test func tlsVersionBoundsCombine() {
        #expect(CurlEasy.sslVersion(min: nil, max: nil) == 0)
        let minOnly = CurlEasy.sslVersion(min: .tls12, max: nil)
        let both = CurlEasy.sslVersion(min: .tls12, max: .tls13)
        #expect(minOnly != 0)
        #expect(both != minOnly)
        #expect(both & 0xFFFF == minOnly)
    }
}
