import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonTemplate

/// The message Alertmanager 0.25's email integration writes after `DATA`, and its envelope: the configured headers
/// (values rendered as text templates, Q-encoded when not ASCII), `Message-Id` unless configured, `Date`, a
/// `multipart/alternative` body with the `text` part first and the `html` part (html/template) last, both
/// quoted-printable.
///
/// ``EmailNotifier`` submits it over SMTP.
struct EmailMessage: Sendable {
    /// The `MAIL FROM` address.
    var from: String
    /// The `RCPT TO` addresses, in order.
    var recipients: [String]
    /// The message, CRLF line ends.
    var data: [UInt8]

    /// What differs from one message to the next: the time, the `Message-Id` and the boundary.
    struct Unique: Sendable {
        var date: Date
        var timeZone: TimeZone = .current
        /// Go's `<unix nanoseconds>.<random uint64>@<hostname>`.
        var messageID: String
        /// Go's `multipart.Writer` boundary: 60 random hex digits.
        var boundary: String

        /// Fresh values for one message from `hostname`.
        static func random(now: Date = Date(), hostname: String) -> Unique {
            let nanos = Int64((now.timeIntervalSince1970 * 1_000_000_000).rounded())
            let boundary = (0..<30).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            return Unique(
                date: now, messageID: "<\(nanos).\(UInt64.random(in: 0...UInt64.max))@\(hostname)>", boundary: boundary)
        }
    }

    /// Renders the message of `config` for `notification`. The configured headers are written in name order (Go
    /// writes them in map order, which varies).
    static func build(
        config: EmailConfig, templates: TemplateSet, notification: GroupNotification, externalURL: String,
        unique: Unique
    ) throws(NotificationBuildError) -> EmailMessage {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let from = try templater.render(config.from, field: "from")
        let to = try templater.render(config.to, field: "to")
        let fromAddresses = try addresses(from, field: "'from'")
        guard fromAddresses.count == 1 else {
            throw NotificationBuildError("must be exactly one 'from' address (got: \(fromAddresses.count))")
        }
        let recipients = try addresses(to, field: "'to'")

        var head = ""
        for (name, text) in config.headers.sorted(by: { $0.key < $1.key }) {
            let value = try templater.render(text, field: "\(GoQuote.quote(name)) header")
            head += "\(name): \(GoMIME.qEncode(value))\r\n"
        }
        if config.headers["Message-Id"] == nil { head += "Message-Id: \(unique.messageID)\r\n" }
        head += "Date: \(rfc1123Z(unique.date, timeZone: unique.timeZone))\r\n"
        head += "Content-Type: multipart/alternative;  boundary=\(unique.boundary)\r\n"
        head += "MIME-Version: 1.0\r\n\r\n"

        var data = Array(head.utf8)
        var parts = 0
        func part(_ contentType: String, _ body: String) {
            data += Array(((parts == 0 ? "" : "\r\n") + "--\(unique.boundary)\r\n").utf8)
            data += Array("Content-Transfer-Encoding: quoted-printable\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
            data += GoMIME.quotedPrintable(Array(body.utf8))
            parts += 1
        }
        if !config.text.isEmpty {
            part("text/plain; charset=UTF-8", try templater.render(config.text, field: "text"))
        }
        if !config.html.isEmpty {
            part("text/html; charset=UTF-8", try templater.renderHTML(config.html, field: "html"))
        }
        data += Array("\r\n--\(unique.boundary)--\r\n".utf8)
        return EmailMessage(from: fromAddresses[0], recipients: recipients, data: data)
    }

    /// Go's `time.RFC1123Z`: `Mon, 02 Jan 2006 15:04:05 -0700`.
    static func rfc1123Z(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss xx"
        return formatter.string(from: date)
    }

    /// The addresses of an address list (`net/mail.ParseAddressList` for the forms alert configs use:
    /// `a@b`, `Name <a@b>`, `"Quoted, Name" <a@b>`, comma-separated).
    static func addresses(_ list: String, field: String) throws(NotificationBuildError) -> [String] {
        var result: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        for character in list {
            switch character {
            case "\"" where !inAngle: inQuotes.toggle()
            case "<" where !inQuotes: inAngle = true
            case ">" where !inQuotes: inAngle = false
            case "," where !inQuotes && !inAngle:
                result.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        result.append(current)
        var addresses: [String] = []
        for entry in result {
            var address = entry.trimmingCharacters(in: .whitespaces)
            if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close {
                address = String(address[address.index(after: open)..<close])
            }
            guard !address.isEmpty else { throw NotificationBuildError("parse \(field) addresses: mail: no address") }
            guard address.contains("@") else {
                throw NotificationBuildError("parse \(field) addresses: mail: missing @ in addr-spec")
            }
            addresses.append(address)
        }
        return addresses
    }
}
