/// Go's `mime` encodings as Alertmanager's email uses them: `mime.QEncoding.Encode("utf-8", s)` for header values
/// and `mime/quotedprintable.Writer` for the bodies.
public enum GoMIME {
    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// `mime.QEncoding.Encode(charset, s)`: `s` unchanged when it is printable ASCII (tabs allowed); otherwise
    /// encoded words `=?charset?q?...?=` of at most 75 characters, split between characters and separated by a
    /// space.
    public static func qEncode(_ s: String, charset: String = "utf-8") -> String {
        guard s.unicodeScalars.contains(where: { ($0.value < 0x20 || $0.value > 0x7E) && $0 != "\t" }) else {
            return s
        }
        let open = "=?" + charset + "?q?"
        let maxContent = 75 - "=?UTF-8?q?".count - "?=".count
        var out = open
        var currentLength = 0
        for scalar in s.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            let plain = bytes.count == 1 && isQPlain(bytes[0])
            let encodedLength = plain ? 1 : 3 * bytes.count
            if currentLength + encodedLength > maxContent {
                out += "?= " + open
                currentLength = 0
            }
            for byte in bytes {
                if byte == UInt8(ascii: " ") {
                    out += "_"
                } else if isQPlain(byte) {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    out += "=" + String(decoding: [upperHex[Int(byte >> 4)], upperHex[Int(byte & 15)]], as: UTF8.self)
                }
            }
            currentLength += encodedLength
        }
        return out + "?="
    }

    /// A byte written as is in a Q-encoded word (before the space rule): printable ASCII but `=`, `?` and `_`.
    private static func isQPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "=") && byte != UInt8(ascii: "?")
            && byte != UInt8(ascii: "_")
    }

    /// What a `quotedprintable.Writer` (not binary) writes for `input` and then `Close()`: lines of at most 76
    /// characters with `=` soft breaks, line breaks as CRLF, `=`, non-ASCII and control bytes as `=XX`, and a
    /// space or tab before a line break or at the end encoded.
    public static func quotedPrintable(_ input: [UInt8]) -> [UInt8] {
        var writer = QuotedPrintableWriter()
        writer.write(input)
        writer.close()
        return writer.output
    }

    private struct QuotedPrintableWriter {
        static let lineMaxLength = 76
        var output: [UInt8] = []
        var line: [UInt8] = []
        var cr = false

        mutating func write(_ p: [UInt8]) {
            var n = 0
            for (i, b) in p.enumerated() {
                if (b >= UInt8(ascii: "!") && b <= UInt8(ascii: "~") && b != UInt8(ascii: "=")) || isWhitespace(b)
                    || b == 0x0A || b == 0x0D
                {
                    continue
                }
                if i > n { writePlain(p[n..<i]) }
                encode(b)
                n = i + 1
            }
            if n < p.count { writePlain(p[n...]) }
        }

        mutating func close() {
            checkLastByte()
            flush()
        }

        private func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        private mutating func writePlain(_ p: ArraySlice<UInt8>) {
            for b in p {
                if b == 0x0A || b == 0x0D {
                    if cr && b == 0x0A {
                        cr = false
                        continue
                    }
                    if b == 0x0D { cr = true }
                    checkLastByte()
                    insertCRLF()
                    continue
                }
                if line.count == Self.lineMaxLength - 1 { insertSoftLineBreak() }
                line.append(b)
                cr = false
            }
        }

        private mutating func encode(_ b: UInt8) {
            if Self.lineMaxLength - 1 - line.count < 3 { insertSoftLineBreak() }
            line += [UInt8(ascii: "="), GoMIME.upperHex[Int(b >> 4)], GoMIME.upperHex[Int(b & 15)]]
        }

        private mutating func checkLastByte() {
            guard let last = line.last, isWhitespace(last) else { return }
            line.removeLast()
            encode(last)
        }

        private mutating func insertSoftLineBreak() {
            line.append(UInt8(ascii: "="))
            insertCRLF()
        }

        private mutating func insertCRLF() {
            line += [0x0D, 0x0A]
            flush()
        }

        private mutating func flush() {
            output += line
            line.removeAll(keepingCapacity: true)
        }
    }
}
