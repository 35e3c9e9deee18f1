import Foundation
import KlaxonCore
import KlaxonGoCompat
import KlaxonTemplate
import Testing

@testable import KlaxonConfig
@testable import KlaxonNotify

/// The email message, against what the real Alertmanager 0.25 wrote to an SMTP sink
/// (scripts/record-email-fixtures.sh into Fixtures/Email/). The date, Message-Id and boundary of each recording are
/// reused; the configured headers are compared in sorted order (Alertmanager writes them in Go map order).
@Suite struct EmailMessageTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Email")

    /// (receiver, notification number, recorded case). `email-text` sends only a text part, with `hello`;
    /// `email-both` a text and an html part, a non-ASCII subject and sender, a custom header and two recipients.
    static let recordedCases: [(String, Int, String)] = [
        ("email-text", 0, "text.0"), ("email-text", 1, "text.1"), ("email-text", 2, "text.2"),
        ("email-both", 0, "both.0"), ("email-both", 1, "both.1"), ("email-both", 2, "both.2"),
    ]

    struct Envelope: Decodable {
        var mail_from: String
        var rcpt_tos: [String]
    }

    @Test(arguments: recordedCases)
    func messageIsByteIdenticalToAlertmanagers(receiver: String, index: Int, recorded: String) throws {
        let config = try Config.parse(
            yaml: String(contentsOf: Self.directory.appendingPathComponent("alertmanager.yml"), encoding: .utf8),
            baseDirectory: Self.directory.path)
        let found = try #require(config.receiver(named: receiver))
        let email = try #require(found.emailConfigs.first)
        let templates = try TemplateSet.defaults().adding(globs: ["email.tmpl"], relativeTo: Self.directory.path)
        let notification = try RecordedNotifications.notification(
            hookBody: Array(Data(contentsOf: Self.directory.appendingPathComponent("hook/\(receiver).\(index).body"))),
            receiver: receiver)
        let expected = Array(try Data(contentsOf: Self.directory.appendingPathComponent(recorded + ".eml")))
        let message = try EmailMessage.build(
            config: email, templates: templates, notification: notification,
            externalURL: RecordedNotifications.externalURL, unique: try Self.unique(of: expected))
        #expect(firstDifference(Self.headersSorted(message.data), Self.headersSorted(expected)) == nil)
        let envelope = try JSONDecoder().decode(
            Envelope.self, from: Data(contentsOf: Self.directory.appendingPathComponent(recorded + ".envelope")))
        #expect(message.from == envelope.mail_from)
        #expect(message.recipients == envelope.rcpt_tos)
    }

    @Test(arguments: [
        ("plain ascii", "plain ascii"),
        ("tab\tok", "tab\tok"),
        ("Ärger", "=?utf-8?q?=C3=84rger?="),
        ("a_b?c=d é", "=?utf-8?q?a=5Fb=3Fc=3Dd_=C3=A9?="),
        (
            String(repeating: "é", count: 30),
            "=?utf-8?q?" + String(repeating: "=C3=A9", count: 10) + "?= =?utf-8?q?"
                + String(repeating: "=C3=A9", count: 10) + "?= =?utf-8?q?" + String(repeating: "=C3=A9", count: 10)
                + "?="
        ),
    ])
    func headerValuesAreQEncodedAsGoEncodesThem(value: String, encoded: String) {
        #expect(GoMIME.qEncode(value) == encoded)
    }

    @Test(arguments: [
        ("abc", "abc"),
        ("a=b\n", "a=3Db\r\n"),
        ("trailing \nspace\t", "trailing=20\r\nspace=09"),
        ("cr\r\nlf\rx", "cr\r\nlf\r\nx"),
        (
            String(repeating: "x", count: 80),
            String(repeating: "x", count: 75) + "=\r\n" + String(repeating: "x", count: 5)
        ),
        (String(repeating: "x", count: 74) + "é", String(repeating: "x", count: 74) + "=\r\n=C3=A9"),
    ])
    func bodiesAreQuotedPrintableAsGoWritesThem(input: String, expected: String) {
        #expect(String(decoding: GoMIME.quotedPrintable(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test(arguments: [
        ("a@b.test", ["a@b.test"]),
        (#"a@b.test, "Ops, Team" <ops@b.test>, Name <n@b.test>"#, ["a@b.test", "ops@b.test", "n@b.test"]),
    ])
    func addressListsGiveTheEnvelopeAddresses(list: String, expected: [String]) throws {
        #expect(try EmailMessage.addresses(list, field: "'to'") == expected)
    }

    @Test func fromMustBeExactlyOneAddress() throws {
        var config = EmailConfig()
        config.from = "a@b.test, c@d.test"
        config.to = "x@y.test"
        config.html = ""
        #expect {
            _ = try EmailMessage.build(
                config: config, templates: TemplateSet(), notification: oneAlertNotification(),
                externalURL: "http://am", unique: .random(hostname: "h"))
        } throws: { error in
            String(describing: error) == "must be exactly one 'from' address (got: 2)"
        }
    }

    /// The recording's date, Message-Id and boundary.
    static func unique(of message: [UInt8]) throws -> EmailMessage.Unique {
        let text = String(decoding: message, as: UTF8.self)
        func header(_ name: String) throws -> String {
            let line = try #require(text.components(separatedBy: "\r\n").first { $0.hasPrefix(name + ": ") })
            return String(line.dropFirst(name.count + 2))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss xx"
        let dateText = try header("Date")
        let date = try #require(formatter.date(from: dateText))
        let offset = try #require(Int(dateText.suffix(5).dropFirst()))
        let seconds = (offset / 100 * 3600 + offset % 100 * 60) * (dateText.suffix(5).hasPrefix("-") ? -1 : 1)
        let boundary = try header("Content-Type").components(separatedBy: "boundary=").last ?? ""
        return EmailMessage.Unique(
            date: date, timeZone: try #require(TimeZone(secondsFromGMT: seconds)), messageID: try header("Message-Id"),
            boundary: boundary)
    }

    /// The message with the header lines sorted (the body as is).
    static func headersSorted(_ message: [UInt8]) -> [UInt8] {
        let text = String(decoding: message, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return message }
        let headers = text[..<end.lowerBound].components(separatedBy: "\r\n").sorted()
        return Array((headers.joined(separator: "\r\n") + String(text[end.lowerBound...])).utf8)
    }
}
