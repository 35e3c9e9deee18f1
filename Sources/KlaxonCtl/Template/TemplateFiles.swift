import Foundation
import KlaxonTemplate

/// Loading template globs as Alertmanager's `template.FromGlobs` does: glob by glob, each pattern checked for
/// syntax (`filepath.ErrBadPattern`, by `TemplateSet.adding(globs:relativeTo:)`) before its files are parsed.
enum TemplateFiles {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Klaxon's default templates plus every file the globs match; relative globs resolve against `directory`.
    static func load(globs: [String], directory: String, now: @escaping @Sendable () -> Date = { Date() })
        throws(LoadError) -> TemplateSet
    {
        do {
            return try TemplateSet.defaults().withClock(now).adding(globs: globs, relativeTo: directory)
        } catch {
            throw LoadError(description: "\(error)")
        }
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
