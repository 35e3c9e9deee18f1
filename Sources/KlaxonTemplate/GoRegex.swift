import Foundation
import KlaxonGoCompat

/// The regular expressions of the template functions `match` and `reReplaceAll`, with Go's `regexp` entry points
/// (unanchored `MatchString`, `ReplaceAllString` with `$1` / `${name}` expansion) on `GoLinearRegexp`, which takes
/// time linear in the text: a pattern built from label values cannot make a notification backtrack for ever. No
/// template pattern reaches `NSRegularExpression`, which keeps the UTF-16 copy of every long pattern it compiles.
/// Compiled patterns are cached, up to a total program size.
enum GoRegex {
    private final class Cache: @unchecked Sendable {
        // Guarded by `lock`.
        var entries: [String: GoLinearRegexp] = [:]
        var size = 0
        let lock = NSLock()
    }

    private static let cache = Cache()

    static func compile(_ pattern: String, prefix: String) throws(TemplateFunction.CallError) -> GoLinearRegexp {
        cache.lock.lock()
        let cached = cache.entries[pattern]
        cache.lock.unlock()
        if let cached { return cached }
        guard let compiled = GoLinearRegexp(pattern) else {
            throw TemplateFunction.CallError("\(prefix)error parsing regexp: invalid pattern: `\(pattern)`")
        }
        cache.lock.lock()
        // About 5 MB of programs at most: patterns built from label values may all differ.
        if cache.entries.count >= 256 || cache.size + compiled.size > 250_000 {
            cache.entries.removeAll()
            cache.size = 0
        }
        if cache.entries.updateValue(compiled, forKey: pattern) == nil { cache.size += compiled.size }
        cache.lock.unlock()
        return compiled
    }
}
