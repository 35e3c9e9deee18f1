import CCurl
import Foundation
import KlaxonTestSupport
import Testing

@testable import KlaxonHTTP

/// `HTTPClient.submit` against a real SMTP server (aiosmtpd through scripts/smtp-sink.py).
@Suite(.enabled(if: SMTPSink.available, "python3 with aiosmtpd is not installed (scripts/test.sh installs it)"))
struct SMTPClientTests {
    static func mail(to sink: SMTPSink, _ message: [UInt8], security: SMTPRequest.Security = .none) -> SMTPRequest {
        SMTPRequest(
            host: "127.0.0.1", port: sink.port, security: security, hello: "klaxon.test", from: "am@example.test",
            recipients: ["ops@example.test", "dev@example.test"], message: message, timeout: .seconds(20))
    }

    @Test func messageArrivesByteForByteWithItsEnvelope() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        // A line starting with a dot must be dot-stuffed on the wire and arrive as written.
        let message = Array("Subject: hi\r\n\r\nline one\r\n.leading dot\r\nlast\r\n".utf8)
        let client = HTTPClient()
        defer { client.shutdown() }
        try await client.submit(Self.mail(to: sink, message))
        #expect(sink.message("ops") == message)
        let envelope = try #require(sink.envelope("ops"))
        #expect(envelope["hello"] as? String == "klaxon.test")
        #expect(envelope["mail_from"] as? String == "am@example.test")
        #expect(envelope["rcpt_tos"] as? [String] == ["ops@example.test", "dev@example.test"])
    }

    @Test func largeMessageIsUploadedCompletely() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var text = "Subject: big\r\n\r\n"
        for line in 0..<20_000 { text += "line \(line) " + String(repeating: "x", count: 60) + "\r\n" }
        let message = Array(text.utf8)
        let client = HTTPClient()
        defer { client.shutdown() }
        try await client.submit(Self.mail(to: sink, message))
        #expect(sink.message("ops") == message)
    }

    @Test func implicitTLSIsVerifiedAgainstTheGivenCA() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let sink = try SMTPSink(["--implicit-tls", pki.path("server.crt"), pki.path("server.key")])
        defer { sink.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        var mail = Self.mail(to: sink, Array("Subject: tls\r\n\r\nbody\r\n".utf8), security: .implicitTLS)
        mail.tls.caFile = pki.path("ca.crt")
        try await client.submit(mail)
        #expect(sink.envelope("ops")?["tls"] as? Bool == true)

        mail.tls.caFile = pki.path("rogue-ca.crt")
        await #expect(throws: SMTPError.self) { try await client.submit(mail) }
    }

    @Test func serverThatNeverAnswersFailsAtTheTimeout() async throws {
        let silent = try SilentServer()
        let client = HTTPClient()
        defer { client.shutdown() }
        let start = ContinuousClock.now
        let mail = SMTPRequest(
            host: "127.0.0.1", port: silent.port, security: .none, hello: "h", from: "a@b.test",
            recipients: ["c@d.test"], message: Array("x\r\n".utf8), timeout: .milliseconds(800),
            connectTimeout: .seconds(120))
        do {
            try await client.submit(mail)
            Issue.record("submission to a silent server succeeded")
        } catch let error as SMTPError {
            #expect(error.isTimeout)
        }
        // The submission's timeout fired, not the (longer) connect timeout. The bound is loose: in the whole suite,
        // tests that block threads can delay the resumption of this one by tens of seconds.
        #expect(ContinuousClock.now - start < .seconds(90))
    }

    @Test(arguments: [
        ("a@b.test\r\nRSET", ["c@d.test"], SMTPError.Stage.mail),
        ("a@b.test", ["c@d.test", "e@f.test>\r\nDATA"], .recipient),
    ])
    func lineBreaksInAddressesAreRefusedBeforeConnecting(
        from: String, recipients: [String], stage: SMTPError.Stage
    ) async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let refusing = try RefusingPort()
        let mail = SMTPRequest(
            host: "127.0.0.1", port: refusing.port, security: .none, hello: "h", from: from, recipients: recipients,
            message: [], timeout: .seconds(5))
        do {
            try await client.submit(mail)
            Issue.record("submitted")
        } catch let error as SMTPError {
            #expect(error.stage == stage)
            #expect(error.detail == "smtp: A line must not contain CR or LF")
        }
    }

    @Test func conversationNamesTheRefusedStepAndTheReply() {
        var conversation = SMTPConversation()
        conversation.received(Array("220 hi\r\n250-sink\r\n250 AUTH PLAIN\r\n".utf8))
        conversation.sent(Array("MAIL FROM:<a@b.test>\r\n".utf8))
        conversation.received(Array("250 OK\r\n".utf8))
        conversation.sent(Array("RCPT TO:<c@d.test>\r\n".utf8))
        conversation.received(Array("550-5.1.1 no such\r\n550 user here\r\n".utf8))
        let error = conversation.error(code: CURLE_SEND_ERROR, security: .none, detail: "RCPT failed: 550")
        #expect(error.stage == .recipient)
        #expect(error.reply == "550 5.1.1 no such\nuser here")
        #expect(error.replyCode == 550)
    }

    @Test func authCredentialsAreNeverKeptFromTheConversation() {
        var conversation = SMTPConversation()
        conversation.sent(Array("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n".utf8))
        conversation.received(Array("535 5.7.8 Authentication credentials invalid\r\n".utf8))
        let error = conversation.error(code: CURLE_LOGIN_DENIED, security: .none, detail: "Login denied")
        #expect(error.stage == .auth)
        #expect(error.mechanism == .plain)
        #expect(!error.description.contains("AGFsaWNl"))
    }

    @Test func helloNameIsTheURLPath() {
        let mail = SMTPRequest(
            host: "::1", port: 465, security: .implicitTLS, hello: "my host/x", from: "a@b", recipients: [],
            message: [])
        #expect(SMTPTransfer.url(for: mail) == "smtps://[::1]:465/my%20host%2Fx")
        #expect(SMTPTransfer.loginOptions([.cramMD5, .plain]) == "AUTH=CRAM-MD5;AUTH=PLAIN")
    }
}
