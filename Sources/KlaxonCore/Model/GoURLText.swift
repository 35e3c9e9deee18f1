import Foundation

/// URL text as Go's `net/url` writes it, and URLs made safe to show in messages.
public enum GoURLText {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Go's `url.QueryEscape`: unreserved characters kept, space as `+`, every other byte `%XX`.
    public static func queryEscape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `url.PathEscape` for one path segment: as ``queryEscape(_:)`` but a space is `%20`.
    public static func pathEscape(_ text: String) -> String {
        queryEscape(text).replacingOccurrences(of: "+", with: "%20")
    }

    /// The text without `user:password@`: everything between the scheme and the last `@` goes. The text may not
    /// parse (that is often why it is being reported), and a password may itself contain `/`, `?` or `#`.
    public static func withoutUserinfo(_ raw: String) -> String {
        guard let at = raw.lastIndex(of: "@") else { return raw }
        let start = raw.range(of: "://").map(\.upperBound) ?? raw.startIndex
        guard start <= at else { return raw }
        return String(raw[..<start] + raw[raw.index(after: at)...])
    }
}
