import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonServer

@Suite struct APISilencesTests {
    static let start = "2026-11-22T06:11:19Z"
    static let end = "2026-11-22T07:12:19Z"
    static let past = "2026-11-22T04:12:19Z"

    static func body(
        matchers: String = #"[{"name":"a","value":"b","isRegex":false}]"#, startsAt: String = start,
        endsAt: String = end, extra: String = ""
    ) -> String {
        #"{"matchers":"# + matchers + #","startsAt":""# + startsAt + #"","endsAt":""# + endsAt
            + #"","createdBy":"me","comment":"c""# + extra + "}"
    }

    @Test func creatingASilenceReturnsItsID() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let response = try await client.post("/api/v2/silences", Self.body())
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == #"{"silenceID":"00000000-0000-4000-8000-000000000001"}"#)
        }
        let stored = try #require(await backend.silenceStore.values.first)
        #expect(stored.matchers == [SilenceMatcherSpec(try Matcher(type: .equal, name: "a", value: "b"))])
        #expect(stored.createdBy == "me")
    }

    @Test(arguments: [
        (false, false, Matcher.MatchType.notEqual), (true, false, .equal), (true, true, .regexMatch),
        (false, true, .regexNoMatch),
    ])
    func isEqualAndIsRegexMapToOperators(isEqual: Bool, isRegex: Bool, type: Matcher.MatchType) async throws {
        let backend = FakeBackend()
        let matchers = #"[{"name":"a","value":"b","isRegex":\#(isRegex),"isEqual":\#(isEqual)}]"#
        try await withAPI(backend) { client in
            let response43 = try await client.post("/api/v2/silences", Self.body(matchers: matchers))
            #expect(response43.status == .ok)
        }
        #expect(await backend.silenceStore.values.first?.matchers.first?.type == type)
    }

    /// Handler errors recorded from Alertmanager 0.25 (status 400, bare JSON string).
    static let handlerErrors: [(String, String)] = [
        (body(startsAt: end, endsAt: start), #""Failed to create silence: start time must be before end time""#),
        (body(startsAt: past, endsAt: start), #""Failed to create silence: end time can't be in the past""#),
        (
            body(matchers: #"[{"name":"a","value":"","isRegex":false}]"#),
            #""silence invalid: at least one matcher must not match the empty string""#
        ),
        (
            body(matchers: #"[{"name":"a","value":"(","isRegex":true}]"#),
            #""silence invalid: invalid label matcher 0: invalid regular expression \"(\": "#
                + #"error parsing regexp: missing closing ): `(`""#
        ),
        (
            body(matchers: #"[{"name":"0a","value":"x","isRegex":false}]"#),
            #""silence invalid: invalid label matcher 0: invalid label name \"0a\"""#
        ),
    ]

    @Test(arguments: handlerErrors)
    func invalidSilencesAre400(body: String, expected: String) async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/silences", body)
            #expect(response.status == .badRequest)
            #expect(response.text == expected + "\n")
        }
    }

    @Test func negativeMatchersAloneAreAccepted() async throws {
        try await withAPI { client in
            let body = Self.body(matchers: #"[{"name":"a","value":"b","isRegex":false,"isEqual":false}]"#)
            let response79 = try await client.post("/api/v2/silences", body)
            #expect(response79.status == .ok)
        }
    }

    @Test func updatingAnUnknownIDIs404() async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/silences", Self.body(extra: #","id":"nope""#))
            #expect(response.status == .notFound)
            #expect(response.text == #""silence not found""# + "\n")
        }
    }

    /// Decoding and schema errors recorded from Alertmanager 0.25.
    static let bodyErrors: [(String, Int, String)] = [
        (
            body(matchers: "[]"), 422,
            #"{"code":612,"message":"matchers in body should have at least 1 items"}"#
        ),
        (
            body(matchers: #"[{"name":"a","value":"x"}]"#), 422,
            #"{"code":602,"message":"matchers.0.isRegex in body is required"}"#
        ),
        (
            body(matchers: #"[{"value":"x","isRegex":false}]"#), 422,
            #"{"code":602,"message":"matchers.0.name in body is required"}"#
        ),
        (
            #"{"matchers":[{"name":"a","value":"x","isRegex":false}],"startsAt":"\#(start)","endsAt":"\#(end)","comment":"c"}"#,
            422, #"{"code":602,"message":"createdBy in body is required"}"#
        ),
        ("{}", 422, #"{"code":602,"message":"comment in body is required"}"#),
        ("", 422, #"{"code":602,"message":"silence in body is required"}"#),
        (
            "x", 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because invalid character 'x' looking for beginning of value"}"#
        ),
        (
            "[]", 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because json: cannot unmarshal array into Go value of type struct { ID string \"json:\\\"id,omitempty\\\"\" }"}"#
        ),
        (
            #"{"matchers":"x"}"#, 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because json: cannot unmarshal string into Go struct field Silence.matchers of type models.Matchers"}"#
        ),
        (
            body(matchers: #"[{"name":"a","value":"x","isRegex":"no"}]"#), 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because json: cannot unmarshal string into Go struct field Matcher.matchers.isRegex of type bool"}"#
        ),
        (
            body(matchers: #"[{"name":"a","value":5,"isRegex":false}]"#), 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because json: cannot unmarshal number into Go struct field Matcher.matchers.value of type string"}"#
        ),
        (
            body(startsAt: "bad"), 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because parsing time \"bad\" as \"2006-01-02 15:04:05\": cannot parse \"bad\" as \"2006\""}"#
        ),
        (
            body(extra: #","id":5"#), 400,
            #"{"code":400,"message":"parsing silence body from \"\" failed, because json: cannot unmarshal number into Go struct field .id of type string"}"#
        ),
    ]

    @Test(arguments: bodyErrors)
    func malformedSilenceBodiesMatchAlertmanager(body: String, status: Int, expected: String) async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/silences", body)
            #expect(response.status.code == status)
            #expect(response.text == expected)
        }
    }

    @Test func startsAtAsNumberIsATypeError() async throws {
        let body =
            #"{"matchers":[{"name":"a","value":"x","isRegex":false}],"startsAt":5,"endsAt":"\#(Self.end)","createdBy":5,"comment":"c"}"#
        try await withAPI { client in
            let response = try await client.post("/api/v2/silences", body)
            #expect(
                response.text
                    == #"{"code":400,"message":"parsing silence body from \"\" failed, because json: cannot unmarshal number into Go struct field Silence.startsAt of type string"}"#
            )
        }
    }

    static func silence(_ id: String, _ state: SilenceState, starts: TimeInterval, ends: TimeInterval, _ m: [Matcher])
        -> GettableSilence
    {
        GettableSilence(
            id: id, state: state, startsAt: fixedNow.addingTimeInterval(starts),
            endsAt: fixedNow.addingTimeInterval(ends),
            updatedAt: fixedNow, createdBy: "me", comment: "<&>", matchers: m.map(SilenceMatcherSpec.init))
    }

    @Test func silencesAreFilteredVerbatimAndSortedByStateAndTime() async throws {
        let backend = FakeBackend()
        let upd = try Matcher(type: .equal, name: "upd", value: "1")
        let other = try Matcher(type: .regexMatch, name: "upd", value: "1")
        for s in [
            Self.silence("expired-old", .expired, starts: -100, ends: -50, [upd]),
            Self.silence("active-late", .active, starts: -10, ends: 500, [upd]),
            Self.silence("pending", .pending, starts: 100, ends: 500, [upd]),
            Self.silence("expired-new", .expired, starts: -100, ends: -5, [upd]),
            Self.silence("active-soon", .active, starts: -10, ends: 50, [upd]),
            Self.silence("regex", .active, starts: -10, ends: 50, [other]),
        ] {
            await backend.addSilence(s)
        }
        try await withAPI(backend) { client in
            let text = try await client.get("/api/v2/silences?filter=upd%3D%221%22").text
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            let ids = json.compactMap { $0["id"] as? String }
            #expect(ids == ["active-soon", "active-late", "pending", "expired-new", "expired-old"])
            let all = try await client.get("/api/v2/silences").text
            #expect(all.contains(#""id":"regex""#))
        }
    }

    @Test func silenceIsRenderedExactly() async throws {
        let backend = FakeBackend()
        let matcher = try Matcher(type: .notEqual, name: "a", value: "b")
        await backend.addSilence(
            GettableSilence(
                id: "ea212336-e0d8-4bea-aa59-2e9c35ad71f3", state: .pending,
                startsAt: Date(timeIntervalSince1970: 1_893_456_000),
                endsAt: Date(timeIntervalSince1970: 1_893_542_400.123456), updatedAt: fixedNow, createdBy: "me",
                comment: "<&>", matchers: [SilenceMatcherSpec(matcher)]))
        let expected =
            #"{"id":"ea212336-e0d8-4bea-aa59-2e9c35ad71f3","status":{"state":"pending"},"updatedAt":"2026-11-22T06:12:19.357Z","comment":"\u003c\u0026\u003e","createdBy":"me","endsAt":"2030-01-02T00:00:00.123Z","matchers":[{"isEqual":false,"isRegex":false,"name":"a","value":"b"}],"startsAt":"2030-01-01T00:00:00.000Z"}"#
        try await withAPI(backend) { client in
            #expect(try await client.get("/api/v2/silences").text == "[" + expected + "]")
            let one = try await client.get("/api/v2/silence/ea212336-e0d8-4bea-aa59-2e9c35ad71f3")
            #expect(one.status == .ok)
            #expect(one.text == expected)
        }
    }

    @Test func silenceIDMustBeAUUID() async throws {
        try await withAPI { client in
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await client.execute(uri: "/api/v2/silence/not-a-uuid", method: method)
                #expect(response.status == .unprocessableContent)
                #expect(
                    response.text == #"{"code":601,"message":"silenceID in path must be of type uuid: \"not-a-uuid\""}"#
                )
            }
        }
    }

    @Test func unknownSilenceIsEmpty404OnGetAnd500OnDelete() async throws {
        try await withAPI { client in
            let get = try await client.get("/api/v2/silence/30e0c063-1969-48ce-8685-d36f4fac72f2")
            #expect(get.status == .notFound)
            #expect(get.body.readableBytes == 0)
            let delete = try await client.execute(
                uri: "/api/v2/silence/30e0c063-1969-48ce-8685-d36f4fac72f2", method: .delete)
            #expect(delete.status == .internalServerError)
            #expect(delete.text == #""silence not found""# + "\n")
        }
    }

    @Test func deleteExpiresTheSilence() async throws {
        let backend = FakeBackend()
        let id = "30e0c063-1969-48ce-8685-d36f4fac72f2"
        await backend.addSilence(Self.silence(id, .active, starts: -10, ends: 500, [try Matcher.parse("a=b")]))
        try await withAPI(backend) { client in
            let response = try await client.execute(uri: "/api/v2/silence/\(id)", method: .delete)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
        }
        #expect(await backend.silenceStore[id]?.endsAt == fixedNow)
    }
}
