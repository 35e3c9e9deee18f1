import KlaxonCore
import KlaxonGoCompat

extension GoJSONWriter {
    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A fingerprint as a JSON string of 16 lowercase hex digits.
    mutating func fingerprint(_ fingerprint: Fingerprint) {
        raw(UInt8(ascii: "\""))
        var value = fingerprint.rawValue
        var digits = [UInt8](repeating: 0, count: 16)
        for index in stride(from: 15, through: 0, by: -1) {
            digits[index] = Self.lowerHex[Int(value & 0xF)]
            value >>= 4
        }
        rawString(String(decoding: digits, as: UTF8.self))
        raw(UInt8(ascii: "\""))
    }
}
