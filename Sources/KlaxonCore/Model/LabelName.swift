/// Label-name rules of Alertmanager 0.25 (classic Prometheus names).
public enum LabelName {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        guard isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.dropFirst().allSatisfy {
            isLetter($0) || $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39)
        }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
