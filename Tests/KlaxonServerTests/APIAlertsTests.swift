import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonCore
import Testing

@testable import KlaxonServer

@Suite struct APIPostAlertsTests {
    @Test func validAlertsAreAcceptedWithEmptyBody() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let response = try await client.post("/api/v2/alerts", #"[{"labels":{"alertname":"A"}}]"#)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(response.headers[.contentType] == nil)
        }
        #expect(await backend.stored.count == 1)
    }

    @Test func emptyAndNullBodiesAreAccepted() async throws {
        for body in ["[]", "null", "[] trailing garbage is ignored"] {
            try await withAPI { client in
                let response = try await client.post("/api/v2/alerts", body)
                #expect(response.status == .ok, "\(body)")
            }
        }
    }

    @Test func missingTimestampsDefaultFromNowAndResolveTimeout() async throws {
        let backend = FakeBackend()
        await backend.setTimeout(.minutes(2))
        try await withAPI(backend) { client in
            _ = try await client.post("/api/v2/alerts", #"[{"labels":{"alertname":"A"}}]"#)
        }
        let alert = try #require(await backend.posted.first?.first)
        #expect(alert.startsAt == fixedNow)
        #expect(alert.endsAt == fixedNow.addingTimeInterval(120))
        #expect(alert.updatedAt == fixedNow)
        #expect(alert.timeout)
    }

    @Test func onlyEndsAtGivenMakesStartsAtEqualEndsAt() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            _ = try await client.post(
                "/api/v2/alerts", #"[{"labels":{"alertname":"A"},"endsAt":"2030-01-01T00:00:00.250Z"}]"#)
        }
        let alert = try #require(await backend.posted.first?.first)
        let end = Date(timeIntervalSince1970: 1_893_456_000.25)
        #expect(alert.endsAt == end)
        #expect(alert.startsAt == end)
        #expect(!alert.timeout)
    }

    @Test func explicitTimestampsAreKeptInAnyStrfmtLayout() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let body = #"[{"labels":{"a":"1"},"startsAt":"2026-11-22T07:12:19+01:00","endsAt":"2026-11-22 07:00:00"}]"#
            let response = try await client.post("/api/v2/alerts", body)
            #expect(response.status == .ok)
        }
        let alert = try #require(await backend.posted.first?.first)
        #expect(alert.startsAt == Date(timeIntervalSince1970: 1_795_327_939))
        #expect(alert.endsAt == Date(timeIntervalSince1970: 1_795_330_800))
    }

    @Test func emptyValuedLabelsAreDroppedAndUnknownFieldsIgnored() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let body =
                #"[{"labels":{"alertname":"A","empty":"","nul":null},"extra":{"x":[1,2]},"Annotations":{"s":"t"}}]"#
            let response72 = try await client.post("/api/v2/alerts", body)
            #expect(response72.status == .ok)
        }
        let alert = try #require(await backend.posted.first?.first)
        #expect(alert.labels == ["alertname": "A"])
        #expect(alert.annotations == ["s": "t"])
    }

    @Test func invalidAlertsAreRejectedButValidOnesOfTheBatchAreStored() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let body = #"[{"labels":{"ok":"1"}},{"labels":{"0bad":"x"}},{"labels":{}}]"#
            let response = try await client.post("/api/v2/alerts", body)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/json")
            #expect(
                response.text
                    == #""invalid label set: invalid name \"0bad\"; at least one label pair required""# + "\n")
        }
        #expect(await backend.stored.values.map(\.labels) == [["ok": "1"]])
    }

    /// Bodies recorded from Alertmanager 0.25.
    static let handlerErrors: [(String, String)] = [
        (#"[{"labels":{}}]"#, #""at least one label pair required""#),
        (#"[{"labels":{"a":null}}]"#, #""at least one label pair required""#),
        (#"[{"labels":{"0bad":"x"}}]"#, #""invalid label set: invalid name \"0bad\"""#),
        (#"[{"labels":{"<&>":"b"}}]"#, #""invalid label set: invalid name \"<&>\"""#),
        (#"[{"labels":{"a":"b"},"annotations":{"0bad":"x"}}]"#, #""invalid annotations: invalid name \"0bad\"""#),
        (
            #"[{"labels":{"a":"b"},"startsAt":"2026-11-22T08:00:00Z","endsAt":"2026-11-22T07:00:00Z"}]"#,
            #""start time must be before end time""#
        ),
    ]

    @Test(arguments: handlerErrors)
    func handlerValidationErrorsAreBareJSONStrings(body: String, expected: String) async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/alerts", body)
            #expect(response.status == .badRequest)
            #expect(response.text == expected + "\n")
        }
    }

    static let structField =
        #"struct { Annotations models.LabelSet \"json:\\\"annotations,omitempty\\\"\"; "#
        + #"EndsAt strfmt.DateTime \"json:\\\"endsAt,omitempty\\\"\"; "#
        + #"StartsAt strfmt.DateTime \"json:\\\"startsAt,omitempty\\\"\" }"#

    /// Bodies recorded from Alertmanager 0.25: (request body, status, response body).
    static let bodyErrors: [(String, Int, String)] = [
        ("x", 400, "invalid character 'x' looking for beginning of value"),
        ("[", 400, "unexpected EOF"),
        (#"[{"labels":{"a":"b"}"#, 400, "unexpected EOF"),
        ("tru", 400, "unexpected EOF"),
        ("{}", 400, "json: cannot unmarshal object into Go value of type models.PostableAlerts"),
        (#""str""#, 400, "json: cannot unmarshal string into Go value of type models.PostableAlerts"),
        ("true", 400, "json: cannot unmarshal bool into Go value of type models.PostableAlerts"),
        ("5", 400, "json: cannot unmarshal number into Go value of type models.PostableAlerts"),
        ("[1]", 400, "json: cannot unmarshal number into Go value of type \(structField)"),
        (
            #"[{"labels":"x"}]"#, 400,
            "json: cannot unmarshal string into Go struct field Alert.labels of type models.LabelSet"
        ),
        (
            #"[{"labels":{"a":1}}]"#, 400,
            "json: cannot unmarshal number into Go struct field Alert.labels of type string"
        ),
        (
            #"[{"labels":{"a":"b"},"startsAt":"yesterday"}]"#, 400,
            #"parsing time \"yesterday\" as \"2006-01-02 15:04:05\": cannot parse \"yesterday\" as \"2006\""#
        ),
        (
            #"[{"labels":{"a":"b"},"startsAt":5}]"#, 400,
            "json: cannot unmarshal number into Go struct field .startsAt of type string"
        ),
        (
            #"[{"labels":{"a":"b"},"generatorURL":5}]"#, 400,
            "json: cannot unmarshal number into Go struct field Alert.generatorURL of type string"
        ),
        (
            #"[{"labels":{"a":"b"},"annotations":"x"}]"#, 400,
            "json: cannot unmarshal string into Go struct field .annotations of type models.LabelSet"
        ),
        (
            #"[{"labels":{"a":5},"annotations":{"x":5}}]"#, 400,
            "json: cannot unmarshal number into Go struct field .annotations of type string"
        ),
        (
            #"[{"labels":{"a":"b"},"annotations":{"x":5},"startsAt":"bad"}]"#, 400,
            #"parsing time \"bad\" as \"2006-01-02 15:04:05\": cannot parse \"bad\" as \"2006\""#
        ),
        (
            #"[{"labels":{"a":"b"},"startsAt":"<&>\u2028"}]"#, 400,
            #"parsing time \"\u003c\u0026\u003e\\xe2\\x80\\xa8\" as \"2006-01-02 15:04:05\": "#
                + #"cannot parse \"\u003c\u0026\u003e\\xe2\\x80\\xa8\" as \"2006\""#
        ),
        ("[tru]", 400, "invalid character ']' in literal true (expecting 'e')"),
        (#"[{"labels" 1}]"#, 400, "invalid character '1' after object key"),
        (#"[{"labels":{"a":"b"} "x"}]"#, 400, #"invalid character '\"' after object key:value pair"#),
        (#"[{"labels":{"a":"b"}} {}]"#, 400, "invalid character '{' after array element"),
        ("[{labels:1}]", 400, "invalid character 'l' looking for beginning of object key string"),
        (#"[{"a":"b\u00zz"}]"#, 400, #"invalid character 'z' in \\u hexadecimal character escape"#),
        ("[{\"a\":\"b\u{01}\"}]", 400, #"invalid character '\\x01' in string literal"#),
        (#"[{"a":"b\q"}]"#, 400, "invalid character 'q' in string escape code"),
        (#"[{"a":-}]"#, 400, "invalid character '}' in numeric literal"),
        (#"[{"a":1.}]"#, 400, "invalid character '}' after decimal point in numeric literal"),
        (#"[{"a":01}]"#, 400, "invalid character '1' after object key:value pair"),
        (#"[{"a":1e}]"#, 400, "invalid character '}' in exponent of numeric literal"),
        ("[,]", 400, "invalid character ',' looking for beginning of value"),
        ("[1,]", 400, "invalid character ']' looking for beginning of value"),
        (#"{"a":1,}"#, 400, "invalid character '}' looking for beginning of object key string"),
    ]

    @Test(arguments: bodyErrors)
    func malformedBodiesGetGoJSONErrors(body: String, status: Int, message: String) async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/alerts", body)
            #expect(response.status.code == status)
            #expect(
                response.text == #"{"code":400,"message":"parsing alerts body from \"\" failed, because "# + message
                    + #""}"#)
        }
    }

    /// Schema errors recorded from Alertmanager 0.25.
    static let schemaErrors: [(String, String)] = [
        ("", #"{"code":602,"message":"alerts in body is required"}"#),
        ("   ", #"{"code":602,"message":"alerts in body is required"}"#),
        (#"[{"annotations":{}}]"#, #"{"code":602,"message":"0.labels in body is required"}"#),
        ("[{}, {}]", #"{"code":602,"message":"0.labels in body is required"}"#),
        (#"[{"labels":{"a":"b"}}, {}]"#, #"{"code":602,"message":"1.labels in body is required"}"#),
        (#"[{"labels":null}]"#, #"{"code":602,"message":"0.labels in body is required"}"#),
        (
            #"[{"generatorURL":"bad url"}]"#,
            #"{"code":601,"message":"0.generatorURL in body must be of type uri: \"bad url\""}"#
        ),
        (
            #"[{"labels":{"a":"b"},"generatorURL":"not a url"}]"#,
            #"{"code":601,"message":"0.generatorURL in body must be of type uri: \"not a url\""}"#
        ),
        (
            #"[{"labels":{"a":"b"},"generatorURL":"<&>"}]"#,
            #"{"code":601,"message":"0.generatorURL in body must be of type uri: \"\u003c\u0026\u003e\""}"#
        ),
    ]

    @Test(arguments: schemaErrors)
    func schemaViolationsGet422(body: String, expected: String) async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/alerts", body)
            #expect(response.status == .unprocessableContent)
            #expect(response.text == expected)
        }
    }

    static let contentTypes: [(String?, Int, String)] = [
        (
            "application/x-www-form-urlencoded", 415,
            #"{"code":415,"message":"unsupported media type \"application/x-www-form-urlencoded\", only [application/json] are allowed"}"#
        ),
        (
            nil, 415,
            #"{"code":415,"message":"unsupported media type \"application/octet-stream\", only [application/json] are allowed"}"#
        ),
        (
            "text/plain", 415,
            #"{"code":415,"message":"unsupported media type \"text/plain\", only [application/json] are allowed"}"#
        ),
        (
            "bad//", 400,
            #"{"code":400,"message":"parsing Content-Type header from \"bad//\" failed, because mime: expected token after slash"}"#
        ),
        ("application/json; charset=utf-8", 200, ""),
        ("Application/JSON", 200, ""),
    ]

    @Test(arguments: contentTypes)
    func contentTypeIsChecked(contentType: String?, status: Int, expected: String) async throws {
        try await withAPI { client in
            let response = try await client.post("/api/v2/alerts", "[]", contentType: contentType)
            #expect(response.status.code == status)
            #expect(response.text == expected)
        }
    }

    @Test func bodiesOverTheLimitGet413() async throws {
        try await withAPI(maxBodyBytes: 64) { client in
            let big = "[" + String(repeating: #"{"labels":{"a":"b"}},"#, count: 10) + "{}]"
            let response = try await client.post("/api/v2/alerts", big)
            #expect(response.status == .contentTooLarge)
            #expect(response.text == #"{"code":413,"message":"request body is larger than 64 bytes"}"#)
            #expect(try await client.post("/api/v2/alerts", "[]").status == .ok)
        }
    }

    @Test func v1PostUsesTheSameProcessingWithTheV1Envelope() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let ok = try await client.post("/api/v1/alerts", #"[{"labels":{"alertname":"v1"}}]"#, contentType: nil)
            #expect(ok.status == .ok)
            #expect(ok.text == #"{"status":"success"}"#)
            let bad = try await client.post("/api/v1/alerts", #"[{"labels":{}}]"#)
            #expect(bad.status == .badRequest)
            #expect(
                bad.text == #"{"status":"error","errorType":"bad_data","error":"at least one label pair required"}"#)
        }
        #expect(await backend.stored.values.map(\.labels) == [["alertname": "v1"]])
    }
}
