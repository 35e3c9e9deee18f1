/// How klaxonctl's maintenance windows mark their silences: a `createdBy` that starts with `klaxonctl-maintenance` and
/// a comment that starts with `[klaxon-maintenance key=KEY]`. Shared, so that klaxonctl finds its windows and the
/// server's audit trail names window changes (opened, extended, closed) by the same rule.
public enum MaintenanceMarker {
    /// What every window's comment starts with, up to the key.
    public static let markerPrefix = "[klaxon-maintenance key="

    /// What every window's `createdBy` starts with.
    public static let createdByPrefix = "klaxonctl-maintenance"

    /// Whether a key may contain `scalar`: letters, digits and `. _ - : / @ + #`, none of which can end or fake a
    /// marker.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", ":", "/", "@", "+", "#": true
        default: false
        }
    }

    /// The key named by the first marker in `comment`, or nil when the comment carries none (or a malformed one).
    public static func key(inComment comment: String) -> String? {
        guard let start = comment.range(of: markerPrefix) else { return nil }
        let rest = comment[start.upperBound...]
        guard let end = rest.firstIndex(of: "]") else { return nil }
        let key = String(rest[..<end])
        guard !key.isEmpty, key.unicodeScalars.allSatisfy(isAllowed) else { return nil }
        return key
    }

    /// The window key of a silence klaxonctl's maintenance made, nil for any other silence.
    public static func windowKey(of silence: GettableSilence) -> String? {
        guard silence.createdBy.hasPrefix(createdByPrefix) else { return nil }
        return key(inComment: silence.comment)
    }
}
