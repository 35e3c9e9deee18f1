/// go-openapi's `uri` format: Go's `url.ParseRequestURI` succeeds.
enum GoURL {
    static func isRequestURI(_ text: String) -> Bool {
        let b = Array(text.utf8)
        if b.isEmpty { return false }
        if b.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return false }
        if text == "*" { return true }
        var rest = b[...]
        var hasScheme = false
        // Scheme: a letter, then letters, digits, + - . up to ':'.
        schemeLoop: for (offset, byte) in b.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if offset == 0 { break schemeLoop }
            case UInt8(ascii: ":"):
                if offset == 0 { return false }  // missing protocol scheme
                hasScheme = true
                rest = b[(offset + 1)...]
                break schemeLoop
            default:
                break schemeLoop
            }
        }
        // Query.
        if let q = rest.firstIndex(of: UInt8(ascii: "?")) { rest = rest[..<q] }
        if rest.first != UInt8(ascii: "/") {
            // Opaque URIs (`mailto:x`) need a scheme; a request URI must otherwise be absolute.
            return hasScheme
        }
        if hasScheme, rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            let afterSlashes = rest.dropFirst(2)
            let authorityEnd = afterSlashes.firstIndex(of: UInt8(ascii: "/")) ?? afterSlashes.endIndex
            let authority = afterSlashes[..<authorityEnd]
            guard isValidAuthority(authority) else { return false }
            rest = afterSlashes[authorityEnd...]
        }
        return hasValidEscapes(rest)
    }

    private static func hex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }

    private static func hasValidEscapes(_ s: ArraySlice<UInt8>) -> Bool {
        var index = s.startIndex
        while index < s.endIndex {
            if s[index] == UInt8(ascii: "%") {
                guard index + 2 < s.endIndex, hex(s[index + 1]), hex(s[index + 2]) else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    private static func isValidAuthority(_ authority: ArraySlice<UInt8>) -> Bool {
        var host = authority
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            let userinfo = authority[..<at]
            let allowed = Set("-._:~!$&'()*+,;=%@".utf8)
            for byte in userinfo {
                let alnum = (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                if !alnum, !allowed.contains(byte) { return false }
            }
            host = authority[(at + 1)...]
        }
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let port = host[(close + 1)...]
            if !port.isEmpty {
                guard port.first == UInt8(ascii: ":"), port.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
                else { return false }
            }
            return true
        }
        if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            guard host[(colon + 1)...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        }
        let allowed = Set("!$&'()*+,;=:[]<>\"-_.~".utf8)
        var index = host.startIndex
        while index < host.endIndex {
            let byte = host[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < host.endIndex, hex(host[index + 1]), hex(host[index + 2]) else { return false }
                index += 3
                continue
            }
            let alnum = (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            if byte < 0x80, !alnum, !allowed.contains(byte) { return false }
            index += 1
        }
        return true
    }
}

/// go-openapi's `uuid` format (strfmt): 32 hex digits in 8-4-4-4-12 groups, hyphens optional, any case.
enum GoUUID {
    static func isValid(_ text: String) -> Bool {
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
