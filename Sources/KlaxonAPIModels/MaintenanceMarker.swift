import Foundation

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

extension MaintenanceMarker {
    /// What a window's silence says about where it came from, read back from the comment and `createdBy` that
    /// klaxonctl writes (`[klaxon-maintenance key=K] text via SYSTEM [job] [pipeline URL] [commit C] [by ACTOR]` and
    /// `klaxonctl-maintenance (ACTOR)`).
    public struct Window: Sendable, Hashable {
        /// The window's key.
        public var key: String
        /// The CI pipeline's URL, nil when the comment names none.
        public var pipelineURL: String?
        /// The commit (as abbreviated in the comment), nil when none.
        public var commit: String?
        /// Who ran the pipeline (`createdBy`'s parenthesis, else the comment's `by ...`), nil when unknown.
        public var actor: String?
    }

    /// The window details of a klaxonctl maintenance silence, nil for any other silence.
    public static func window(of silence: GettableSilence) -> Window? {
        guard let key = windowKey(of: silence) else { return nil }
        var window = Window(key: key)
        let words = silence.comment.split(separator: " ", omittingEmptySubsequences: true)
        for (index, word) in words.enumerated() {
            if window.pipelineURL == nil, word.hasPrefix("https://") || word.hasPrefix("http://") {
                window.pipelineURL = String(word)
            } else if word == "commit", index + 1 < words.count {
                window.commit = String(words[index + 1])
            } else if word == "by", index + 1 < words.count {
                window.actor = words[(index + 1)...].joined(separator: " ")
            }
        }
        let createdBy = silence.createdBy.dropFirst(createdByPrefix.count).trimmingCharacters(in: .whitespaces)
        if createdBy.hasPrefix("("), createdBy.hasSuffix(")"), createdBy.count > 2 {
            window.actor = String(createdBy.dropFirst().dropLast())
        }
        return window
    }
}
