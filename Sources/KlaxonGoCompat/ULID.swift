import Foundation

/// oklog/ulid's identifiers, which Alertmanager uses as its cluster peer name: 26 characters of Crockford base32
/// over a 48-bit millisecond timestamp and 80 random bits, so names sort by creation time.
public enum ULID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new ULID for `time` (default now).
    public static func make(time: Date = Date()) -> String {
        var random = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let milliseconds = UInt64(max(time.timeIntervalSince1970, 0) * 1000)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        for i in 6..<16 { bytes[i] = UInt8.random(in: 0...255, using: &random) }
        return encode(bytes)
    }

    /// The 26-character encoding of 16 bytes: 128 bits, most significant first, padded to 130 with two leading
    /// zero bits.
    public static func encode(_ bytes: [UInt8]) -> String {
        precondition(bytes.count == 16)
        var value = (hi: UInt64(0), lo: UInt64(0))
        for i in 0..<8 { value.hi = value.hi << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { value.lo = value.lo << 8 | UInt64(bytes[i]) }
        var out = [UInt8](repeating: 0, count: 26)
        for index in 0..<26 {
            // Character `index` holds bits [125 - 5*index, 130 - 5*index) of the 130-bit number.
            let shift = 125 - 5 * index
            let digit: UInt64
            if shift >= 64 {
                digit = (value.hi >> UInt64(shift - 64)) & 31
            } else if shift > 59 {
                digit = ((value.lo >> UInt64(shift)) | (value.hi << UInt64(64 - shift))) & 31
            } else {
                digit = (value.lo >> UInt64(shift)) & 31
            }
            out[index] = alphabet[Int(digit)]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
