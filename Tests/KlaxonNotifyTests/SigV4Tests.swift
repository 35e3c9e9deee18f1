import Foundation
import Testing

@testable import KlaxonNotify

/// The signer against AWS's published Signature Version 4 examples: the aws-sig-v4-test-suite cases (credentials
/// `AKIDEXAMPLE`, region `us-east-1`, service `service`, 2015-08-30 12:36:00 UTC) and the IAM `ListUsers` example of
/// the SigV4 documentation (its signing key and signature), written out by hand from the published text.
struct SigV4Tests {
    static let suite = SigV4Signer(
        credentials: .init(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let date = "20150830T123600Z"

    /// (case, method, query, headers, body, signed headers, signature).
    static let cases: [(String, String, String, [(String, String)], String, String, String)] = [
        (
            "get-vanilla", "GET", "", [("Host", "example.amazonaws.com"), ("X-Amz-Date", date)], "",
            "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        ),
        (
            "post-vanilla", "POST", "", [("Host", "example.amazonaws.com"), ("X-Amz-Date", date)], "",
            "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        (
            "get-vanilla-query-order-key-case", "GET", "Param2=value2&Param1=value1",
            [("Host", "example.amazonaws.com"), ("X-Amz-Date", date)], "", "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        (
            "post-x-www-form-urlencoded", "POST", "",
            [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"),
                ("X-Amz-Date", date),
            ], "Param1=value1", "content-type;host;x-amz-date",
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
    ]

    @Test(arguments: cases)
    func signatureMatchesAWSTestSuite(
        name: String, method: String, query: String, headers: [(String, String)], body: String,
        signedHeaders: String, signature: String
    ) {
        let authorization = Self.suite.authorization(
            method: method, path: "/", query: query, headers: headers, payload: Array(body.utf8), amzDate: Self.date)
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    @Test func getVanillaCanonicalRequestAndStringToSignAreAWSs() {
        let (request, _) = SigV4Signer.canonicalRequest(
            method: "GET", path: "/", query: "",
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", Self.date)],
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            request
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Self.suite.stringToSign(canonicalRequest: request, amzDate: Self.date)
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
    }

    @Test func iamListUsersExampleFromTheDocumentation() {
        let signer = SigV4Signer(
            credentials: .init(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "iam")
        let key = signer.signingKey(amzDate: Self.date).withUnsafeBytes { SigV4Signer.hex(Array($0)) }
        #expect(key == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        let authorization = signer.authorization(
            method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com"),
                ("X-Amz-Date", Self.date),
            ], payload: [], amzDate: Self.date)
        #expect(authorization.hasSuffix("Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"))
    }

    @Test func headerValuesAreTrimmedAndInnerSpacesCollapsed() {
        let (request, signed) = SigV4Signer.canonicalRequest(
            method: "GET", path: "/a b", query: "", headers: [("My-Header1", "  a   b   c  "), ("Host", "h")],
            payloadHash: "x")
        #expect(request.contains("my-header1:a b c\n"))
        #expect(request.hasPrefix("GET\n/a%20b\n"))
        #expect(signed == "host;my-header1")
    }
}
