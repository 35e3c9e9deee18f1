/// Go's `path/filepath` on a Unix system: `Join`, `Clean` and `Dir`, for resolving paths relative to a
/// configuration file's directory.
public enum GoFilePath {
    /// Go's `filepath.Join(base, path)` for a relative `path`, cleaned; an absolute `path` (or an empty `base`)
    /// is only cleaned, as Alertmanager resolves config-relative paths.
    public static func join(_ base: String, _ path: String) -> String {
        if path.isEmpty || path.hasPrefix("/") || base.isEmpty { return clean(path) }
        return clean(base + "/" + path)
    }

    /// Go's `filepath.Clean`: one `/` between elements, no `.` elements, `..` resolved against what precedes
    /// it (and dropped at the root), `.` for an empty result.
    public static func clean(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Go's `filepath.Dir`: everything before the last `/`, cleaned; `.` when there is no `/`.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : clean(dir)
    }
}
