import Foundation
import KlaxonGoCompat

/// A parsed, immutable set of named templates (Alertmanager's `template.Template`): the defaults plus the
/// `templates:` files, where a later `define` of a name overrides an earlier one.
public struct TemplateSet: Sendable {
    private let trees: [String: Tree]
    private let clock: @Sendable () -> Date
    /// The html/template escapings of the texts rendered with this set.
    private let htmlEscapings = HTMLEscapeCache()

    /// An empty set. `now` is the clock `since` reads.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        trees = [:]
        clock = now
    }

    private init(trees: [String: Tree], clock: @escaping @Sendable () -> Date) {
        self.trees = trees
        self.clock = clock
    }

    /// The same templates with another clock for `since`.
    public func withClock(_ now: @escaping @Sendable () -> Date) -> TemplateSet {
        TemplateSet(trees: trees, clock: now)
    }

    /// The set built from the embedded default templates (`templates/default.tmpl`).
    public static func defaults() throws -> TemplateSet {
        try TemplateSet().adding(text: DefaultTemplates.text, name: "default.tmpl")
    }

    /// The names of all templates in the set, sorted.
    public var names: [String] { trees.keys.sorted() }

    /// Parses `text` as the file `name` and adds its top-level body (as `name`) and its `define`s; later defines
    /// override earlier ones, except that an empty define never replaces a non-empty one.
    public func adding(text: String, name: String) throws -> TemplateSet {
        let parsed = try Parser.parse(text: text, name: name, functions: Functions.names)
        var trees = self.trees
        TemplateSet.associate(parsed.root, as: name, into: &trees)
        for (definedName, tree) in parsed.defined {
            TemplateSet.associate(tree, as: definedName, into: &trees)
        }
        return TemplateSet(trees: trees, clock: clock)
    }

    private static func associate(_ tree: Tree, as name: String, into trees: inout [String: Tree]) {
        if let existing = trees[name], tree.isEmpty, !existing.isEmpty { return }
        trees[name] = tree
    }

    /// Adds every file matching each glob, in order (Go's `filepath.Glob`: `*`, `?` and `[...]` within a path
    /// element; files in lexical order). Relative globs are taken relative to `dir`. A glob matching nothing is
    /// not an error.
    public func adding(globs: [String], relativeTo dir: String) throws -> TemplateSet {
        var result = self
        for glob in globs {
            // Go's filepath.Glob fails the whole load on a malformed pattern (`filepath.ErrBadPattern`).
            guard Glob.isValidPattern(glob) else { throw TemplateError(message: "syntax error in pattern") }
            let pattern = glob.hasPrefix("/") ? glob : (dir as NSString).appendingPathComponent(glob)
            for path in Glob.expand(pattern) {
                let text: String
                do {
                    text = try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw TemplateError(message: "open \(path): \(error.localizedDescription)")
                }
                result = try result.adding(text: text, name: (path as NSString).lastPathComponent)
            }
        }
        return result
    }

    /// Runs the template called `name` with `data` as dot.
    public func execute(name: String, data: TemplateValue) throws -> String {
        guard let tree = trees[name] else {
            throw TemplateError(message: "template: no template \(GoQuote.quote(name)) associated with template \"\"")
        }
        var executor = Executor(tree: tree, now: clock) { trees[$0] }
        return try executor.run(dot: data)
    }

    /// Parses `text` as an anonymous template (every template of the set visible; defines in `text` override
    /// them for this run) and runs it with `data` as dot. Parsed texts are cached.
    public func render(text: String, data: TemplateValue) throws -> String {
        let parsed = try ParsedTextCache.shared.parse(text)
        var executor = Executor(tree: parsed.root, now: clock, lookup: lookup(overriddenBy: parsed.defined))
        return try executor.run(dot: data)
    }

    /// Runs `text` as Go's html/template does (Alertmanager's `ExecuteHTMLString`): like `render(text:data:)`,
    /// but every action's value is escaped for the context it is printed in (HTML text, attribute, URL, JavaScript,
    /// CSS) and comments in the template text are dropped. An empty text renders as empty.
    public func renderHTML(text: String, data: TemplateValue) throws -> String {
        if text.isEmpty { return "" }
        let parsed = try ParsedTextCache.shared.parse(text)
        let root = parsed.root
        let escaped = try htmlEscapings.value(for: text) { () throws(TemplateError) in
            let named = lookup(overriddenBy: parsed.defined)
            var escaper = HTMLEscaper { name in name == root.name ? root : named(name) }
            try escaper.escape(name: root.name)
            return escaper.escaped
        }
        guard let escapedRoot = escaped[root.name] else {
            throw TemplateError(message: "html/template: \(GoQuote.quote(root.name)) is an incomplete template")
        }
        var executor = Executor(tree: escapedRoot, now: clock) { escaped[$0] }
        return try executor.run(dot: data)
    }

    /// The set's templates, with the defines of an anonymous text in front (an empty define there does not hide a
    /// non-empty one of the set).
    private func lookup(overriddenBy local: [String: Tree]) -> (String) -> Tree? {
        let trees = self.trees
        if local.isEmpty { return { trees[$0] } }
        return { name in
            if let own = local[name], let inherited = trees[name], own.isEmpty, !inherited.isEmpty {
                return inherited
            }
            return local[name] ?? trees[name]
        }
    }

    /// Parses `text` without running it (for config validation); throws the parse error.
    public func validate(text: String) throws {
        _ = try ParsedTextCache.shared.parse(text)
    }
}

/// Parsed anonymous texts, shared by all sets (parsing does not depend on the set).
enum ParsedTextCache {
    struct Parsed {
        var root: Tree
        var defined: [String: Tree]
    }

    static let shared = TextCache<Parsed>(limit: 4096)
}

extension TextCache where Value == ParsedTextCache.Parsed {
    func parse(_ text: String) throws(TemplateError) -> Value {
        try value(for: text) { () throws(TemplateError) in
            let parsed = try Parser.parse(text: text, name: "", functions: Functions.names)
            var defined: [String: Tree] = [:]
            for (name, tree) in parsed.defined { defined[name] = tree }
            return ParsedTextCache.Parsed(root: parsed.root, defined: defined)
        }
    }
}

/// The trees html/template escaping made of each text rendered with one set (escaping depends only on the text
/// and the set's templates, so it is done once per text).
typealias HTMLEscapeCache = TextCache<[String: Tree]>

/// A bounded cache of what a template text gives (its parse, its escaping), errors included; emptied when full.
final class TextCache<Value>: @unchecked Sendable {
    // Guarded by `lock`.
    private var entries: [String: Result<Value, TemplateError>] = [:]
    private let lock = NSLock()
    private let limit: Int

    init(limit: Int = 1024) {
        self.limit = limit
    }

    func value(for text: String, _ make: () throws(TemplateError) -> Value) throws(TemplateError) -> Value {
        lock.lock()
        let cached = entries[text]
        lock.unlock()
        if let cached { return try cached.get() }
        let result: Result<Value, TemplateError>
        do {
            result = .success(try make())
        } catch {
            result = .failure(error)
        }
        lock.lock()
        if entries.count >= limit { entries.removeAll() }
        entries[text] = result
        lock.unlock()
        return try result.get()
    }
}

/// Go's `filepath.Glob`.
enum Glob {
    /// Whether Go's `filepath.Match` accepts `pattern`'s syntax: every `[` class closed and non-empty, ranges with
    /// both ends, no `-` or `]` where a class character is expected, no trailing `\`.
    static func isValidPattern(_ pattern: String) -> Bool {
        let chars = Array(pattern.unicodeScalars)
        var index = 0
        /// One class character (`getEsc`): fails on `-`, `]`, a lone trailing `\` or the end of the pattern.
        func classCharacter() -> Bool {
            guard index < chars.count, chars[index] != "-", chars[index] != "]" else { return false }
            if chars[index] == "\\" {
                index += 1
                guard index < chars.count else { return false }
            }
            index += 1
            return index < chars.count
        }
        while index < chars.count {
            switch chars[index] {
            case "\\":
                index += 1
                guard index < chars.count else { return false }
                index += 1
            case "[":
                index += 1
                if index < chars.count, chars[index] == "^" { index += 1 }
                var ranges = 0
                while true {
                    if index < chars.count, chars[index] == "]", ranges > 0 {
                        index += 1
                        break
                    }
                    guard classCharacter() else { return false }
                    if chars[index] == "-" {
                        index += 1
                        guard classCharacter() else { return false }
                    }
                    ranges += 1
                }
            default:
                index += 1
            }
        }
        return true
    }

    static func expand(_ pattern: String) -> [String] {
        let isAbsolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var current = [isAbsolute ? "/" : "."]
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            var next: [String] = []
            for base in current {
                if !hasMeta(part) {
                    let path = join(base, part, isAbsolute: isAbsolute)
                    if FileManager.default.fileExists(atPath: path) { next.append(path) }
                    continue
                }
                guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { continue }
                for entry in entries.sorted() where fnmatch(part, entry, 0) == 0 {
                    let path = join(base, entry, isAbsolute: isAbsolute)
                    var isDirectory: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    if isLast || isDirectory.boolValue { next.append(path) }
                }
            }
            current = next
        }
        return parts.isEmpty ? [] : current
    }

    private static func join(_ base: String, _ part: String, isAbsolute: Bool) -> String {
        if base == "/" { return "/" + part }
        if base == "." && !isAbsolute { return part }
        return base + "/" + part
    }

    private static func hasMeta(_ part: String) -> Bool {
        part.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }
    }
}
