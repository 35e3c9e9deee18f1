import Foundation
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonConfig
@testable import KlaxonNotify

/// Email delivered over SMTP to a real server (aiosmtpd through scripts/smtp-sink.py): plain, STARTTLS and AUTH, the
/// received message against the recording of the real Alertmanager 0.25, and the failure paths with Alertmanager's
/// retry decisions and error prefixes.
@Suite(.enabled(if: SMTPSink.available, "python3 with aiosmtpd is not installed (scripts/test.sh installs it)"))
struct EmailDeliveryTests {
    static let directory = EmailMessageTests.directory

    static func notifier(_ config: EmailConfig, client: HTTPClient) throws -> EmailNotifier {
        EmailNotifier(
            config: config,
            templates: try TemplateSet.defaults().adding(globs: ["email.tmpl"], relativeTo: directory.path),
            client: client, externalURL: RecordedNotifications.externalURL, logger: Logger(label: "test"),
            hostname: "klaxon.test")
    }

    /// An email config of its own, sending to `sink`.
    static func config(_ sink: SMTPSink, _ extra: String = "", requireTLS: Bool = false) throws -> EmailConfig {
        let yaml = """
            route: {receiver: mail}
            receivers:
              - name: mail
                email_configs:
                  - to: ops@example.test
                    from: am@example.test
                    smarthost: '\(sink.smarthost)'
                    require_tls: \(requireTLS)
                    html: ''
                    text: '{{ .CommonLabels.alertname }} is {{ .Status }}'
            \(extra.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            """
        return try #require(try onlyReceiver(yaml).emailConfigs.first)
    }

    @Test(arguments: EmailMessageTests.recordedCases)
    func deliveredMessageIsAlertmanagersApartFromDateAndMessageId(
        receiver: String, index: Int, recorded: String
    ) async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let config = try Config.parse(
            yaml: String(contentsOf: Self.directory.appendingPathComponent("alertmanager.yml"), encoding: .utf8),
            baseDirectory: Self.directory.path)
        let found = try #require(config.receiver(named: receiver))
        var email = try #require(found.emailConfigs.first)
        email.smarthost = sink.smarthost
        let notification = try RecordedNotifications.notification(
            hookBody: Array(Data(contentsOf: Self.directory.appendingPathComponent("hook/\(receiver).\(index).body"))),
            receiver: receiver)
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(email, client: client).notify(notification)
        #expect(AttemptOutcome(result) == .delivered, "\(result)")

        let name = String(recorded.prefix { $0 != "." })
        let received = try #require(sink.message(name), "nothing received: \(sink.log)")
        let expected = Array(try Data(contentsOf: Self.directory.appendingPathComponent(recorded + ".eml")))
        #expect(Self.normalised(received) == Self.normalised(expected))
        let envelope = try #require(sink.envelope(name))
        let recordedEnvelope = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.directory.appendingPathComponent(recorded + ".envelope"))) as? [String: Any]
        )
        for key in ["hello", "mail_from"] {
            #expect(envelope[key] as? String == recordedEnvelope[key] as? String, "\(key)")
        }
        #expect(envelope["rcpt_tos"] as? [String] == recordedEnvelope["rcpt_tos"] as? [String])
    }

    @Test func startTLSWithAuthPlainDelivers() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let sink = try SMTPSink([
            "--starttls", pki.path("server.crt"), pki.path("server.key"), "--auth", "alice:s3cret",
        ])
        defer { sink.stop() }
        let config = try Self.config(
            sink, "auth_username: alice\nauth_password: s3cret\ntls_config: {ca_file: '\(pki.path("ca.crt"))'}",
            requireTLS: true)
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
        #expect(AttemptOutcome(result) == .delivered, "\(result)")
        let envelope = try #require(sink.envelope("ops"), "\(sink.log)")
        #expect(envelope["tls"] as? Bool == true)
        #expect(envelope["auth_login"] as? String == "alice")
        #expect(envelope["auth_mechanism"] as? String == "PLAIN")
        #expect(envelope["hello"] as? String == "localhost")
    }

    @Test(arguments: [
        (["--auth-exclude", "PLAIN,CRAM-MD5"], "auth_password: s3cret", "LOGIN"),
        (["--auth-exclude", "CRAM-MD5"], "auth_password_file: PASSWORD_FILE", "PLAIN"),
        ([], "auth_secret: s3cret", "CRAM-MD5"),
    ])
    func authUsesAMechanismTheServerOffersAndTheCredentialsAllow(
        exclude: [String], credentials: String, mechanism: String
    ) async throws {
        let sink = try SMTPSink(["--auth", "alice:s3cret"] + exclude)
        defer { sink.stop() }
        let passwordFile = sink.folder.appendingPathComponent("password")
        try "s3cret".write(to: passwordFile, atomically: true, encoding: .utf8)
        let config = try Self.config(
            sink,
            "auth_username: alice\n" + credentials.replacingOccurrences(of: "PASSWORD_FILE", with: passwordFile.path))
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
        #expect(AttemptOutcome(result) == .delivered, "\(result)")
        #expect(sink.envelope("ops")?["auth_mechanism"] as? String == mechanism)
    }

    /// (sink options, config lines, require_tls, the error's start). Every SMTP failure is retried, as Alertmanager
    /// 0.25's email notifier retries them.
    static let failures: [([String], String, Bool, String)] = [
        (["--fail", "rcpt:550"], "", false, "send RCPT command: 550 5.7.1 refused (sink)"),
        (["--fail", "mail:451"], "", false, "send MAIL command: 451 4.3.0 try again later (sink)"),
        (["--fail", "data:554"], "", false, "the server did not accept the message: 554 5.7.1 refused (sink)"),
        ([], "", true, "'require_tls' is true (default) but \"127.0.0.1:"),
        (
            ["--auth", "alice:right"], "auth_username: alice\nauth_password: wrong", false,
            "*smtp.plainAuth auth: 535 5.7.8 Authentication credentials invalid"
        ),
    ]

    @Test(arguments: failures)
    func refusedStepIsRetriedAndNamed(options: [String], extra: String, requireTLS: Bool, message: String)
        async throws
    {
        let sink = try SMTPSink(options + (options.contains("--auth") ? ["--auth-exclude", "LOGIN,CRAM-MD5"] : []))
        defer { sink.stop() }
        let config = try Self.config(sink, extra, requireTLS: requireTLS)
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
        Self.expectRetried(result, startingWith: message)
        if case .failed(_, _, let text) = result { #expect(!text.contains("wrong")) }
    }

    @Test func untrustedCertificateFailsSTARTTLSAndIsRetried() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let sink = try SMTPSink(["--starttls", pki.path("server.crt"), pki.path("server.key")])
        defer { sink.stop() }
        let config = try Self.config(sink, requireTLS: true)
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
        Self.expectRetried(result, startingWith: "send STARTTLS command: ")
    }

    @Test func refusedConnectionIsRetried() async throws {
        let refusing = try RefusingPort()
        var config = EmailConfig()
        config.to = "ops@example.test"
        config.from = "am@example.test"
        config.smarthost = "127.0.0.1:\(refusing.port)"
        config.html = ""
        config.text = "x"
        let client = HTTPClient()
        defer { client.shutdown() }
        let result = try await Self.notifier(config, client: client).notify(oneAlertNotification())
        Self.expectRetried(result, startingWith: "establish connection to server: ")
    }

    @Test(arguments: [
        (465, true, SMTPRequest.Security.implicitTLS), (465, false, .implicitTLS), (587, true, .startTLS),
        (25, false, .none),
    ])
    func port465MeansImplicitTLSOtherwiseRequireTLSMeansSTARTTLS(
        port: Int, requireTLS: Bool, security: SMTPRequest.Security
    ) {
        #expect(EmailNotifier.security(port: port, requireTLS: requireTLS) == security)
    }

    @Test func passwordIsNotSentWithPlainOverPlainTextToARemoteHost() throws {
        var config = EmailConfig()
        config.authUsername = "alice"
        config.authPassword = Secret("s3cret")
        let notifier = try Self.notifier(config, client: HTTPClient())
        let remote = try #require(try notifier.credentialsForAuth(host: "smtp.example.test", encrypted: false).get())
        #expect(remote.mechanisms == [.login])
        let encrypted = try #require(try notifier.credentialsForAuth(host: "smtp.example.test", encrypted: true).get())
        #expect(encrypted.mechanisms == [.plain, .login])
        #expect(
            try notifier.credentialsForAuth(host: "localhost", encrypted: false).get()?.mechanisms == [.plain, .login])
    }

    @Test(arguments: [("smtp.example.test:587", "smtp.example.test", 587), ("[::1]:25", "::1", 25)])
    func smarthostIsHostAndPort(text: String, host: String, port: Int) {
        #expect(Smarthost(text) == Smarthost(host: host, port: port))
    }

    @Test(arguments: ["smtp.example.test", "a:b", ":25", "host:0"])
    func smarthostWithoutAUsablePortIsRefused(text: String) {
        #expect(Smarthost(text) == nil)
    }

    /// A failed attempt that is retried, with a message starting with `prefix`.
    static func expectRetried(
        _ result: NotifyResult, startingWith prefix: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .failed(let retry, _, let text) = result else {
            Issue.record("delivered", sourceLocation: sourceLocation)
            return
        }
        #expect(retry, sourceLocation: sourceLocation)
        #expect(text.hasPrefix(prefix), "\(text)", sourceLocation: sourceLocation)
    }

    /// The message with its Date and Message-Id values, and the multipart boundary, replaced, and the header lines
    /// sorted (Alertmanager writes the configured headers in Go map order).
    static func normalised(_ message: [UInt8]) -> String {
        let text = String(decoding: message, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return text }
        let headers = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let boundary = headers.first { $0.hasPrefix("Content-Type: multipart/") }?
            .components(separatedBy: "boundary=").last
        var result =
            headers.map { line in
                line.hasPrefix("Date: ") ? "Date: <date>" : line.hasPrefix("Message-Id: ") ? "Message-Id: <id>" : line
            }.sorted().joined(separator: "\r\n") + text[end.lowerBound...]
        if let boundary, !boundary.isEmpty { result = result.replacingOccurrences(of: boundary, with: "<boundary>") }
        return result
    }
}
