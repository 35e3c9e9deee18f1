/// go-openapi's `uuid` format (strfmt): 32 hex digits in 8-4-4-4-12 groups, hyphens optional, any case.
public enum GoUUID {
    /// Whether `text` is a strfmt `uuid`.
    public static func isValid(_ text: String) -> Bool {
        let groups = [8, 4, 4, 4, 12]
        var bytes = text.utf8[...]
        for (index, length) in groups.enumerated() {
            if index > 0, bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard bytes.count >= length else { return false }
            for byte in bytes.prefix(length) {
                let isHex = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
                guard isHex else { return false }
            }
            bytes = bytes.dropFirst(length)
        }
        return bytes.isEmpty
    }
}
