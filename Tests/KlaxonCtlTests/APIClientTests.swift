import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonHTTP
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

@Suite struct APIClientErrors {
    @Test func unreachableServerNamesMethodURLAndAddress() async throws {
        let refusing = try RefusingPort()
        let port = refusing.port
        let client = try AlertmanagerClient(baseURL: "http://127.0.0.1:\(port)/", timeout: .seconds(5))
        let error = await #expect(throws: APIClientError.self) { try await client.silences(filter: ["a=b", "c!=d"]) }
        #expect(
            error?.description == """
                Get "http://127.0.0.1:\(port)/api/v2/silences?filter=a%3Db&filter=c%21%3Dd": \
                dial tcp 127.0.0.1:\(port): connect: connection refused
                """)
        #expect(error?.isTransportFailure == true)
        let deleteError = await #expect(throws: APIClientError.self) { try await client.expireSilence(id: "abc") }
        #expect(deleteError?.description.hasPrefix("Delete \"http://127.0.0.1:\(port)/api/v2/silence/abc\": ") == true)
        withExtendedLifetime(refusing) {}
    }

    @Test func aServerThatDoesNotAnswerInTimeFailsWithGosWordingAndTheClientHangsUp() async throws {
        // The server answers after 20 s: before the 30 s default limit, long after the 300 ms one. Had the 300 ms
        // limit not applied, the answer would have arrived and the error would not be a deadline. Nothing here
        // depends on how quickly this task is resumed on a loaded runner: the server itself sees the client hang up
        // (the connection closes while it waits to answer), which only a client that gave up does.
        let server = try TestHTTPServer { _ in
            TestHTTPServer.Reply(
                headers: [HTTPHeader("Content-Type", "application/json")], body: Array("{}".utf8), delay: .seconds(20))
        }
        defer { server.stop() }
        let client = try AlertmanagerClient(baseURL: server.baseURL, timeout: .milliseconds(300))
        let error = await #expect(throws: APIClientError.self) { try await client.status() }
        #expect(error?.description == "Get \"\(server.baseURL)/api/v2/status\": context deadline exceeded")
        #expect(await server.waitUntil { $0.abortedCount == 1 }, "the client did not hang up on the slow server")
    }

    @Test func timeoutFlagBoundsTheWholeCommand() throws {
        let server = try SilentServer()
        let result = try runProcess(
            Binaries.klaxonctl, ["--alertmanager.url=http://127.0.0.1:\(server.port)", "--timeout=500ms", "alert"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasSuffix(": context deadline exceeded\n\n"), "\(result)")
    }

    @Test func alertQueryParametersAreSentLikeAmtool() async throws {
        let port = try freePort()
        let client = try AlertmanagerClient(baseURL: "http://127.0.0.1:\(port)/prefix/")
        let query = AlertQueryCommand.query(
            matchers: ["foo", "a=~b"], active: false, silenced: false, inhibited: false, unprocessed: false,
            receiver: nil)
        let error = await #expect(throws: APIClientError.self) { try await client.alerts(query) }
        #expect(
            error?.description.hasPrefix(
                """
                Get "http://127.0.0.1:\(port)/prefix/api/v2/alerts?active=true&filter=alertname%3Dfoo&filter=a%3D~b\
                &inhibited=false&silenced=false&unprocessed=false": 
                """) == true)
    }

    @Test func documentedStatusShowsOperationAndServerMessage() {
        let body = Array("\"silence not found\"\n".utf8)
        #expect(
            APIClientError.status(500, endpoint: .deleteSilence, body: body).description
                == "[DELETE /silence/{silenceID}][500] deleteSilenceInternalServerError  silence not found")
        #expect(
            APIClientError.status(400, endpoint: .postAlerts, body: Array("\"at least one label pair required\"".utf8))
                .description == "[POST /alerts][400] postAlertsBadRequest  at least one label pair required")
    }

    @Test func documentedStatusWithoutPayloadEndsInOneSpace() {
        #expect(
            APIClientError.status(404, endpoint: .getSilence, body: []).description
                == "[GET /silence/{silenceID}][404] getSilenceNotFound ")
    }

    @Test func undocumentedStatusKeepsAmtoolsWordingAndAddsTheServerMessage() {
        let prefix =
            "response status code does not match any response statuses defined for this endpoint in the "
            + "swagger spec (status 422): "
        let validation = Array(#"{"code":602,"message":"silenceID in path must be of type uuid: \"x\""}"#.utf8)
        #expect(
            APIClientError.status(422, endpoint: .deleteSilence, body: validation).description
                == prefix + #"silenceID in path must be of type uuid: "x""#)
        #expect(APIClientError.status(422, endpoint: .deleteSilence, body: []).description == prefix + "{}")
        #expect(
            APIClientError.status(400, endpoint: .getSilences, body: Array("bad matcher format: b\n".utf8))
                .description == prefix.replacingOccurrences(of: "422", with: "400") + "bad matcher format: b")
    }

    @Test func invalidBaseURLIsRejected() {
        #expect(throws: APIClientError.self) { try AlertmanagerClient(baseURL: "localhost:9093") }
        #expect(throws: APIClientError.self) { try AlertmanagerClient(baseURL: "ftp://host/") }
    }

    @Test func userinfoInTheURLBecomesBasicAuthAndLeavesTheURL() throws {
        let client = try AlertmanagerClient(baseURL: "http://user:pa%20ss@am.example:9093/am/")
        #expect(client.baseURL == "http://am.example:9093/am")
        #expect(client.options.basicAuth == HTTPClientOptions.BasicAuth(username: "user", password: "pa ss"))
        #expect(client.url("/silences") == "http://am.example:9093/am/api/v2/silences")
    }

}

@Suite struct APIJSONRendering {
    private let date = Date(timeIntervalSince1970: 1_764_578_602.286)  // 2025-12-01T08:43:22.286Z

    @Test func silenceJSONHasGoFieldOrderAndMillisecondTimes() {
        let silence = GettableSilence(
            id: "id1", state: .active, startsAt: date, endsAt: date + 3600, updatedAt: date, createdBy: "me",
            comment: "<x> & y", matchers: [SilenceMatcherSpec(name: "a", value: "b\"c", isRegex: true, isEqual: false)])
        #expect(
            silence.json == """
                {"id":"id1","status":{"state":"active"},"updatedAt":"2025-12-01T08:43:22.286Z",\
                "comment":"\\u003cx\\u003e \\u0026 y","createdBy":"me","endsAt":"2025-12-01T09:43:22.286Z",\
                "matchers":[{"isEqual":false,"isRegex":true,"name":"a","value":"b\\"c"}],\
                "startsAt":"2025-12-01T08:43:22.286Z"}
                """)
    }

    @Test func silenceJSONRoundTripsThroughDecoding() throws {
        let silence = GettableSilence(
            id: "id1", state: .pending, startsAt: date, endsAt: date + 60, updatedAt: date, createdBy: "me",
            comment: "line\nbreak\ttab", matchers: [SilenceMatcherSpec(name: "a", value: "é")])
        let decoded = try GettableSilence.decodeList(json: [silence].jsonBytes)
        #expect(decoded.count == 1)
        #expect(decoded.first?.json == silence.json)
    }

    @Test func alertJSONOmitsAnEmptyGeneratorURLAndSortsMaps() {
        let alert = GettableAlert(
            labels: ["b": "2", "a": "1"], annotations: [:], startsAt: date, endsAt: date, updatedAt: date,
            fingerprint: "f", receivers: ["r"], state: .active)
        #expect(
            alert.json == """
                {"annotations":{},"endsAt":"2025-12-01T08:43:22.286Z","fingerprint":"f","receivers":[{"name":"r"}],\
                "startsAt":"2025-12-01T08:43:22.286Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},\
                "updatedAt":"2025-12-01T08:43:22.286Z","labels":{"a":"1","b":"2"}}
                """)
    }

}

@Suite struct TabWriterLayout {
    @Test func cellsArePaddedToTheWidestPlusTwoIncludingTheLastTerminatedCell() {
        var w = TabWriter()
        w.row(["ID", "Comment"])
        w.row(["abc", "é"])
        #expect(w.flush() == "ID   Comment  \nabc  é        \n")
    }

    @Test func aLineWithFewerCellsEndsTheColumnBlock() {
        var w = TabWriter()
        w.write("a\tb\t\nlonger\tx\t\nno tabs\nq\tr\t\n")
        #expect(w.flush() == "a       b  \nlonger  x  \nno tabs\nq  r  \n")
    }
}

@Suite struct CommandLineMatchers {
    @Test func aFirstArgumentThatIsNotAMatcherIsTheAlertname() throws {
        #expect(
            try parseCommandLineMatchers(["foo", "sev=crit"], firstArgIsAlertname: true) == [
                SilenceMatcherSpec(name: "alertname", value: "foo"), SilenceMatcherSpec(name: "sev", value: "crit"),
            ])
        #expect(
            try parseCommandLineMatchers(["foo=~("], firstArgIsAlertname: true) == [
                SilenceMatcherSpec(name: "alertname", value: "foo=~(")
            ])
        #expect(normalizeCommandLineMatchers(["foo", "b"], firstArgIsAlertname: true) == ["alertname=foo", "b"])
        #expect(normalizeCommandLineMatchers(["foo"], firstArgIsAlertname: false) == ["foo"])
    }

    @Test func operatorsAndQuotedValuesParse() throws {
        #expect(
            try parseCommandLineMatchers(["a!=1", "b=~x.*", "c!~y", #"d="q \"x\", y""#], firstArgIsAlertname: false)
                == [
                    SilenceMatcherSpec(name: "a", value: "1", isRegex: false, isEqual: false),
                    SilenceMatcherSpec(name: "b", value: "x.*", isRegex: true, isEqual: true),
                    SilenceMatcherSpec(name: "c", value: "y", isRegex: true, isEqual: false),
                    SilenceMatcherSpec(name: "d", value: #"q "x", y"#),
                ])
    }

    @Test(arguments: [
        (["a=b", "b"], 1, "bad matcher format: b"),
        (["a=\"b"], 0, "matcher value contains unescaped double quote: a=\"b"),
        (["a=b", "c=~("], 1, "error parsing regexp"),
        (["a=b", "x", "1a=b"], 1, "bad matcher format: x"),
    ])
    func badMatchersNameTheArgumentAndItsPosition(args: [String], position: Int, message: String) {
        do {
            _ = try parseCommandLineMatchers(args, firstArgIsAlertname: true)
            Issue.record("\(args) parsed")
        } catch let error as CommandLineMatcherError {
            #expect(error.position == position)
            #expect(error.argument == args[position])
            #expect(error.description.hasPrefix(message), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func matchersPrintLikeAlertmanager() {
        #expect(
            SilenceMatcherSpec(name: "a", value: "x\"y\\\n", isRegex: true, isEqual: false).description
                == #"a!~"x\"y\\\n""#)
    }
}
