import Foundation
import KlaxonTemplate

/// Loading template globs as Alertmanager's `template.FromGlobs` does: glob by glob, each pattern checked for
/// syntax (`filepath.ErrBadPattern`) before its files are parsed.
enum TemplateFiles {
    /// Go's `filepath.ErrBadPattern` text.
    static let badPattern = "syntax error in pattern"

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Klaxon's default templates plus every file the globs match; relative globs resolve against `directory`.
    static func load(globs: [String], directory: String, now: @escaping @Sendable () -> Date = { Date() })
        throws(LoadError) -> TemplateSet
    {
        do {
            var templates = try TemplateSet.defaults().withClock(now)
            for glob in globs {
                guard isValidPattern(glob) else { throw LoadError(description: badPattern) }
                templates = try templates.adding(globs: [glob], relativeTo: directory)
            }
            return templates
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "\(error)")
        }
    }

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
}

/// `check-config`'s template check: the config's (already resolved) template globs, parsed like amtool does.
public enum TemplateValidation {
    /// The message amtool prints after `FAILED:` for these globs, or nil when they all parse.
    @Sendable public static func validate(globs: [String]) -> String? {
        do {
            _ = try TemplateFiles.load(globs: globs, directory: FileManager.default.currentDirectoryPath)
            return nil
        } catch {
            return error.description
        }
    }
}
