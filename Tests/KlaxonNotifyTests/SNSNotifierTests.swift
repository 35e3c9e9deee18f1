import Foundation
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonConfig
@testable import KlaxonNotify

/// SNS against what the real Alertmanager 0.25 (aws-sdk-go) sent to a local sink, recorded by
/// scripts/record-sns-fixtures.sh into Fixtures/SNS/, and delivery to a local HTTP server.
@Suite struct SNSNotifierTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/SNS")

    static func receiver(_ name: String) throws -> SNSConfig {
        let text = try String(contentsOf: directory.appendingPathComponent("alertmanager.yml"), encoding: .utf8)
        let config = try Config.parse(yaml: text, baseDirectory: directory.path)
        let receiver = try #require(config.receiver(named: name))
        return try #require(receiver.snsConfigs.first)
    }

    static func notifier(
        _ config: SNSConfig, client: HTTPClient = idleClient, environment: [String: String] = [:],
        now: Date = Date(), logger: Logger = Logger(label: "test")
    ) throws -> SNSNotifier {
        SNSNotifier(
            config: config, templates: try TemplateSet.defaults(), client: client,
            externalURL: RecordedNotifications.externalURL, logger: logger, environment: environment, now: { now })
    }

    static let idleClient = HTTPClient()

    /// (receiver, notification number, recorded request). `sns-topic` has attributes; `sns-sms` a phone number, a
    /// non-ASCII subject and a message over SMS's 1600 bytes (cut inside a character, as Alertmanager cuts it);
    /// `sns-fifo` a FIFO topic (deduplication and group IDs) and no attributes; `sns-tmplerr` a message template that
    /// fails (message and subject empty, topic and attributes rendered).
    static let recordedCases: [(String, Int, String)] = [
        ("sns-topic", 0, "topic.0"), ("sns-topic", 1, "topic.1"), ("sns-topic", 2, "topic.2"),
        ("sns-sms", 0, "sms.0"), ("sns-sms", 1, "sms.1"), ("sns-sms", 2, "sms.2"), ("sns-fifo", 0, "fifo.0"),
        ("sns-tmplerr", 0, "tmplerr.0"),
    ]

    struct Recorded: Decodable {
        var method: String
        var target: String
        var headers: [String: String]
    }

    @Test(arguments: recordedCases)
    func signedRequestIsAlertmanagersByteForByte(receiver: String, index: Int, recorded: String) throws {
        let request = try JSONDecoder().decode(
            Recorded.self, from: Data(contentsOf: Self.directory.appendingPathComponent("sns/\(recorded).request")))
        let body = Array(try Data(contentsOf: Self.directory.appendingPathComponent("sns/\(recorded).body")))
        let notification = try RecordedNotifications.notification(
            hookBody: Array(Data(contentsOf: Self.directory.appendingPathComponent("hook/\(receiver).\(index).body"))),
            receiver: receiver)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let amzDate = try #require(request.headers["X-Amz-Date"])
        let signedAt = try #require(formatter.date(from: amzDate))
        let notifier = try Self.notifier(try Self.receiver(receiver), now: signedAt)
        let signed = try notifier.signedRequest(
            NotificationTemplater(
                templates: try TemplateSet.defaults(), notification: notification,
                externalURL: RecordedNotifications.externalURL),
            groupKey: notification.groupKey)
        #expect(firstDifference(signed.body, body) == nil)
        #expect(signed.url == "http://127.0.0.1:19881" + request.target)
        let headers = Dictionary(uniqueKeysWithValues: signed.headers.map { ($0.name, $0.value) })
        for name in ["Authorization", "Content-Type", "X-Amz-Date"] {
            #expect(headers[name] == request.headers[name], "\(name)")
        }
        #expect(request.headers["User-Agent"] == SNSNotifier.userAgent)
    }

    @Test func publishIsDeliveredSignedForTheHostAndLengthSent() async throws {
        let reply = TestHTTPServer.Reply(
            status: 200, headers: [HTTPHeader("Content-Type", "text/xml")],
            body: Array(
                "<PublishResponse><PublishResult><MessageId>1</MessageId></PublishResult></PublishResponse>".utf8))
        try await withServerAndClient(handler: { _ in reply }) { server, client in
            var config = try Self.receiver("sns-topic")
            config.apiURL = server.baseURL
            let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == .delivered)
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.target == "/")
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
            #expect(request.header("User-Agent") == SNSNotifier.userAgent)
            let form = Dictionary(GoURL.parseQuery(String(decoding: request.body, as: UTF8.self))) { a, _ in a }
            #expect(form["Action"] == "Publish")
            #expect(form["Version"] == "2010-03-31")
            #expect(form["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:alerts")
            #expect(form["MessageAttributes.entry.1.Name"] == "severity")
            #expect(form["MessageAttributes.entry.1.Value.StringValue"] == "page")

            let authorization = try #require(request.header("Authorization"))
            let shape = try Regex(
                #"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/us-east-1/sns/aws4_request, "#
                    + #"SignedHeaders=content-length;content-type;host;x-amz-date, Signature=[0-9a-f]{64}$"#)
            #expect(authorization.wholeMatch(of: shape) != nil, "\(authorization)")
            // The signature covers the Host and Content-Length that libcurl actually sent.
            let amzDate = try #require(request.header("X-Amz-Date"))
            let signer = SigV4Signer(
                credentials: .init(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                region: "us-east-1", service: "sns")
            let names = ["Content-Length", "Content-Type", "Host", "X-Amz-Date"]
            let recomputed = signer.authorization(
                method: "POST", path: "/", query: "", headers: names.map { ($0, request.header($0) ?? "") },
                payload: request.body, amzDate: amzDate)
            #expect(recomputed == authorization)
        }
    }

    @Test func environmentCredentialsAndRegionAreUsedWithTheSessionToken() async throws {
        try await withServerAndClient(handler: { _ in TestHTTPServer.Reply(status: 200) }) { server, client in
            var config = SNSConfig()
            config.apiURL = server.baseURL
            config.topicARN = "arn:aws:sns:eu-central-1:1:t"
            let environment = [
                "AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "tok",
                "AWS_REGION": "eu-central-1",
            ]
            let result = try await Self.notifier(config, client: client, environment: environment)
                .notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == .delivered)
            let request = try #require(server.requests.first)
            #expect(request.header("X-Amz-Security-Token") == "tok")
            let authorization = try #require(request.header("Authorization"))
            #expect(authorization.contains("Credential=ASIAENV/"))
            #expect(authorization.contains("/eu-central-1/sns/aws4_request"))
            #expect(
                authorization.contains("SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token")
            )
        }
    }

    /// (status, body, outcome, message): aws-sdk-go's RequestFailure through Alertmanager's Retrier.
    static let answers: [(Int, String, AttemptOutcome, String)] = [
        (
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: "
                + "TopicArn &amp; more</Message></Error></ErrorResponse>", .failedForGood,
            "unexpected status code 400: Invalid parameter: TopicArn & more"
        ),
        (
            403, "<ErrorResponse><Error><Message>Denied</Message></Error></ErrorResponse>", .failedForGood,
            "unexpected status code 403: Denied"
        ),
        (
            500, "<ErrorResponse><Error><Message>Internal</Message></Error></ErrorResponse>", .retried,
            "unexpected status code 500: Internal"
        ),
    ]

    @Test(arguments: answers)
    func errorAnswersAreRetriedOnlyFor5xx(status: Int, body: String, outcome: AttemptOutcome, message: String)
        async throws
    {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(status: status, body: Array(body.utf8)) }
        try await withServerAndClient(handler: handler) { server, client in
            var config = try Self.receiver("sns-topic")
            config.apiURL = server.baseURL
            let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == outcome)
            if case .failed(_, _, let text) = result { #expect(text == message) }
        }
    }

    @Test func refusedConnectionIsRetried() async throws {
        let refusing = try RefusingPort()
        var config = try Self.receiver("sns-topic")
        config.apiURL = "http://127.0.0.1:\(refusing.port)"
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
        #expect(AttemptOutcome(result) == .retried, "\(result)")
    }

    /// (sigv4 YAML, environment, outcome, message).
    static let credentialProblems: [(String, [String: String], AttemptOutcome, String)] = [
        (
            "{access_key: A, secret_key: S}", [:], .retried,
            "region not configured in sns.sigv4.region or in default credentials chain"
        ),
        ("{region: us-east-1}", [:], .retried, "NoCredentialProviders: no valid providers in chain"),
        (
            "{region: us-east-1, access_key: A, secret_key: S, role_arn: 'arn:aws:iam::1:role/r'}", [:],
            .failedForGood, "sns: sigv4.role_arn (STS AssumeRole) is not supported by Klaxon"
        ),
        (
            "{region: us-east-1, profile: prod}", [:], .failedForGood,
            "sns: sigv4.profile (shared credentials files) is not supported by Klaxon; set sigv4.access_key and "
                + "sigv4.secret_key or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ),
    ]

    @Test(arguments: credentialProblems)
    func missingOrUnsupportedCredentialsFailWithAReason(
        sigv4: String, environment: [String: String], outcome: AttemptOutcome, message: String
    ) async throws {
        let config = try #require(
            try onlyReceiver(
                "route: {receiver: r}\nreceivers: [{name: r, sns_configs: [{topic_arn: t, sigv4: \(sigv4)}]}]"
            ).snsConfigs.first)
        let result = try await Self.notifier(config, environment: environment).notify(oneAlertNotification())
        #expect(AttemptOutcome(result) == outcome)
        if case .failed(_, _, let text) = result { #expect(text == message) }
    }

    @Test(arguments: [
        (
            "{topic_arn: t, phone_number: p}",
            "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config"
        ),
        (
            "{topic_arn: t, sigv4: {access_key: A}}",
            "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config"
        ),
    ])
    func invalidConfigIsRejectedWithAlertmanagersMessage(entry: String, message: String) throws {
        #expect {
            _ = try onlyReceiver("route: {receiver: r}\nreceivers: [{name: r, sns_configs: [\(entry)]}]")
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test func cutMessageIsLoggedAsAWarning() throws {
        let handler = RecordingLogHandler()
        let notifier = try Self.notifier(
            try Self.receiver("sns-sms"), logger: Logger(label: "test") { _ in handler })
        let notification = try RecordedNotifications.notification(
            hookBody: Array(Data(contentsOf: Self.directory.appendingPathComponent("hook/sns-sms.0.body"))),
            receiver: "sns-sms")
        _ = try notifier.signedRequest(
            NotificationTemplater(
                templates: try TemplateSet.defaults(), notification: notification,
                externalURL: RecordedNotifications.externalURL),
            groupKey: notification.groupKey)
        #expect(handler.messages == ["Truncated message"])
    }

    @Test func failedTemplateIsPublishedEmptyWithTheFieldsAfterItAndLogged() async throws {
        try await withServerAndClient(handler: { _ in TestHTTPServer.Reply(status: 200) }) { server, client in
            var config = try Self.receiver("sns-topic")
            config.apiURL = server.baseURL
            config.attributes = ["a": "first", "b": "{{ index .Alerts 99 }}", "c": "after"]
            config.subject = "Subject {{ .Status }}"
            let handler = RecordingLogHandler()
            let result = try await Self.notifier(config, client: client, logger: Logger(label: "test") { _ in handler })
                .notify(oneAlertNotification())
            #expect(AttemptOutcome(result) == .delivered, "\(result)")
            let request = try #require(server.requests.first)
            let form = Dictionary(GoURL.parseQuery(String(decoding: request.body, as: UTF8.self))) { a, _ in a }
            #expect(form["MessageAttributes.entry.1.Name"] == "", "attribute c, named after the failure")
            #expect(form["MessageAttributes.entry.2.Name"] == "a")
            #expect(form["MessageAttributes.entry.2.Value.StringValue"] == "first")
            #expect(form["MessageAttributes.entry.3.Name"] == "b")
            #expect(form["MessageAttributes.entry.3.Value.StringValue"] == "")
            #expect(form["TopicArn"] == "")
            #expect(form["Message"] == "")
            #expect(form["Subject"] == "")
            #expect(handler.messages.count == 1)
            #expect(handler.messages.first?.hasPrefix("Template failed") == true)
        }
    }

    @Test func failedEndpointTemplateMeansTheRegionsEndpoint() throws {
        var config = try Self.receiver("sns-topic")
        config.apiURL = "{{ template \"missing\" . }}"
        let notification = oneAlertNotification()
        let signed = try Self.notifier(config).signedRequest(
            NotificationTemplater(
                templates: try TemplateSet.defaults(), notification: notification,
                externalURL: RecordedNotifications.externalURL),
            groupKey: notification.groupKey)
        #expect(signed.url == "https://sns.us-east-1.amazonaws.com/")
        let form = String(decoding: signed.body, as: UTF8.self)
        #expect(form.contains("TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aalerts"))
    }
}
