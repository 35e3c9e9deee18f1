import Foundation
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate
import KlaxonTestSupport
import Logging
import Testing

@testable import KlaxonConfig
@testable import KlaxonNotify

/// The SMTP conversation over STARTTLS, implicit TLS and each AUTH mechanism, against what the real Alertmanager 0.25
/// said to the same aiosmtpd sink (scripts/record-email-fixtures.sh into Fixtures/EmailSessions/): the same commands
/// in the same order, the same credentials exchange, the same envelope and message. A test makes its own CA; the
/// recording's sink offered one AUTH mechanism at a time, as here.
@Suite(
    .enabled(
        if: SMTPSink.available && TestPKI.toolsInstalled, "needs python3 with aiosmtpd and openssl (scripts/test.sh)"))
struct EmailSessionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/EmailSessions")

    /// (receiver and case, the sink's options as recorded; CERT stands for the test's server certificate and key).
    static let sessions: [(String, [String])] = [
        ("starttls", ["--starttls", "CERT"]),
        ("plain", ["--starttls", "CERT", "--auth", "alice:s3cret", "--auth-exclude", "LOGIN,CRAM-MD5"]),
        ("login", ["--auth", "alice:s3cret", "--auth-exclude", "PLAIN,CRAM-MD5"]),
        ("crammd5", ["--auth", "alice:s3cret", "--auth-exclude", "PLAIN,LOGIN"]),
        ("smtps", ["--implicit-tls", "CERT", "--auth", "alice:s3cret", "--auth-exclude", "LOGIN,CRAM-MD5"]),
    ]

    @Test(arguments: sessions)
    func conversationOverTLSAndAuthIsAlertmanagers(name: String, options: [String]) async throws {
        let (envelope, recorded) = try await Self.deliver(name, sinkOptions: options)
        for key in ["hello", "mail_from", "auth_login", "auth_mechanism"] {
            #expect(envelope[key] as? String == recorded[key] as? String, "\(key)")
        }
        #expect(envelope["rcpt_tos"] as? [String] == recorded["rcpt_tos"] as? [String])
        #expect(envelope["tls"] as? Bool == recorded["tls"] as? Bool)
        let conversation = try #require(envelope["conversation"] as? [String])
        let recordedConversation = try #require(recorded["conversation"] as? [String])
        #expect(Self.comparable(conversation) == Self.comparable(recordedConversation))
    }

    /// The one difference in the choice of mechanism (README): with `CRAM-MD5 LOGIN PLAIN` offered and a password,
    /// Alertmanager 0.25 took LOGIN, the first listed its credentials allow; libcurl takes the strongest, PLAIN.
    @Test func severalMechanismsOfferedMeansPlainWhereAlertmanagerTookTheFirstListed() async throws {
        let (envelope, recorded) = try await Self.deliver("anyauth", sinkOptions: ["--auth", "alice:s3cret"])
        #expect(recorded["auth_mechanism"] as? String == "LOGIN")
        #expect(envelope["auth_mechanism"] as? String == "PLAIN")
        #expect(envelope["auth_login"] as? String == recorded["auth_login"] as? String)
    }

    /// Delivers the recording's notification for receiver `name` to a sink started with `sinkOptions` (CERT: the
    /// test's server certificate and key), checks that the message is the recorded one, and returns the sink's
    /// envelope and the recorded envelope.
    static func deliver(_ name: String, sinkOptions: [String]) async throws -> ([String: Any], [String: Any]) {
        let pki = try TestPKI()
        defer { pki.remove() }
        let sink = try SMTPSink(
            sinkOptions.flatMap { $0 == "CERT" ? [pki.path("server.crt"), pki.path("server.key")] : [$0] })
        defer { sink.stop() }
        let config = try Config.parse(
            yaml: String(contentsOf: directory.appendingPathComponent("alertmanager.yml"), encoding: .utf8),
            baseDirectory: directory.path)
        let receiver = try #require(config.receiver(named: name))
        var email = try #require(receiver.emailConfigs.first)
        let recordedPort = try #require(Smarthost(email.smarthost)).port
        email.smarthost = sink.smarthost
        if email.tlsConfig.caFile != nil { email.tlsConfig.caFile = pki.path("ca.crt") }
        let notification = try RecordedNotifications.notification(
            hookBody: Array(Data(contentsOf: directory.appendingPathComponent("hook/\(name).0.body"))),
            receiver: name)
        let client = HTTPClient()
        defer { client.shutdown() }
        // The recording's smarthost port 465 meant TLS from the first byte; here the sink's own port means it.
        let notifier = EmailNotifier(
            config: email, templates: try TemplateSet.defaults(), client: client,
            externalURL: RecordedNotifications.externalURL, logger: Logger(label: "test"), hostname: "klaxon.test",
            implicitTLSPort: recordedPort == 465 ? sink.port : 465)
        let result = await notifier.notify(notification)
        #expect(AttemptOutcome(result) == .delivered, "\(result) \(sink.log)")

        let received = try #require(sink.message(name), "nothing received: \(sink.log)")
        let expected = Array(try Data(contentsOf: directory.appendingPathComponent("\(name).0.eml")))
        #expect(EmailDeliveryTests.normalised(received) == EmailDeliveryTests.normalised(expected))
        let envelope = try #require(sink.envelope(name))
        let recorded = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.appendingPathComponent("\(name).0.envelope"))) as? [String: Any])
        return (envelope, recorded)
    }

    @Test func comparableConversationKeepsCredentialsAndOrderButNotHowTheyAreFramed() {
        #expect(
            Self.comparable(["EHLO x", "AUTH PLAIN AGEAYg==", "MAIL FROM:<a@b> BODY=8BITMIME SMTPUTF8", "DATA"])
                == ["EHLO x", "AUTH PLAIN", "AGEAYg==", "MAIL FROM:<a@b>", "DATA"])
        #expect(
            Self.comparable(["AUTH PLAIN", "AGEAYg==", "MAIL FROM:<a@b> SIZE=12"])
                == Self.comparable(
                    ["AUTH PLAIN AGEAYg==", "MAIL FROM:<a@b> BODY=8BITMIME"]))
        #expect(Self.comparable(["AUTH PLAIN AGEAYg=="]) != Self.comparable(["AUTH PLAIN AGEAYw=="]))
        #expect(Self.comparable(["EHLO x", "STARTTLS"]) != Self.comparable(["EHLO x"]))
    }

    /// The conversation with what the two SMTP clients are free to do differently taken out: `AUTH`'s initial
    /// response (Go's client sends PLAIN's credentials with the command; libcurl waits for the server's empty
    /// challenge, RFC 4954 allows both) becomes the next line, and the `MAIL FROM` parameters are dropped (Go adds
    /// `BODY=8BITMIME` and `SMTPUTF8` when offered, libcurl `SIZE=<n>`; the message is 7-bit either way).
    static func comparable(_ lines: [String]) -> [String] {
        lines.flatMap { line -> [String] in
            let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if words.first == "AUTH", words.count == 3 { return [words[0] + " " + words[1], words[2]] }
            if line.hasPrefix("MAIL FROM:") { return ["MAIL " + words[1]] }
            return [line]
        }
    }
}
