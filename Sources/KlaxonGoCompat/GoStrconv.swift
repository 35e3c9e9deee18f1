/// Go's `strconv.Atoi`, whose errors show through Alertmanager's config messages. Quoting is ``GoQuote``.
public enum GoStrconv {
    /// The outcome of a failed Go `strconv.Atoi` on a 64-bit platform.
    public enum AtoiFailure: Error, Sendable, Hashable {
        /// `invalid syntax`.
        case syntax
        /// `value out of range`.
        case range
    }

    /// Parses like Go's `strconv.Atoi`: an optional `+` or `-`, then one or more ASCII digits, nothing else
    /// (no spaces, no underscores), within the range of a 64-bit integer.
    public static func atoi(_ input: String) -> Result<Int, AtoiFailure> {
        var bytes = Substring(input).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return .failure(.syntax) }
        // Go reports whichever problem it meets first while scanning: a non-digit, or the unsigned
        // 64-bit accumulator overflowing.
        var magnitude: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .failure(.syntax) }
            let (times10, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflowA || overflowB { return .failure(.range) }
            magnitude = sum
        }
        let limit = UInt64(Int64.max)
        if negative {
            guard magnitude <= limit + 1 else { return .failure(.range) }
            return .success(magnitude == limit + 1 ? Int(Int64.min) : -Int(magnitude))
        }
        guard magnitude <= limit else { return .failure(.range) }
        return .success(Int(magnitude))
    }
}
