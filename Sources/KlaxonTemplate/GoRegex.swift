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

    /// Compiles `pattern`, or throws Go's error for it (`error parsing regexp: ...`); with `mustCompile`, in the words
    /// of Go's `regexp.MustCompile` panic (`regexp: Compile(`pattern`): error parsing regexp: ...`).
    static func compile(_ pattern: String, mustCompile: Bool = false) throws(TemplateFunction.CallError)
        -> GoLinearRegexp
    {
        cache.lock.lock()
        let cached = cache.entries[pattern]
        cache.lock.unlock()
        if let cached { return cached }
        let compiled: GoLinearRegexp
        do {
            compiled = try GoLinearRegexp(compiling: pattern)
        } catch {
            guard mustCompile else { throw TemplateFunction.CallError(error.description) }
            let quoted = GoQuote.canBackquote(pattern) ? "`\(pattern)`" : GoQuote.quote(pattern)
            throw TemplateFunction.CallError("regexp: Compile(\(quoted)): \(error.description)")
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
