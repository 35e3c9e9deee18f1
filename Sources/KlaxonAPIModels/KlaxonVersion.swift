/// Build information reported by `--version` and `/api/v2/status`.
public enum KlaxonVersion {
    /// Klaxon's version.
    public static let version = "0.1.0"
    /// The VCS revision (set by release builds; `unknown` otherwise).
    public static let revision = "unknown"
    /// Build date.
    public static let buildDate = "unknown"
    /// The toolchain, reported where Alertmanager reports `goVersion`.
    public static let swift = "swift6"
    /// The Alertmanager release whose API, flags and payloads Klaxon reproduces: `/api/v2/status` reports it as
    /// `versionInfo.version`, so amtool's version check does not warn on every command (Klaxon's own version is in
    /// `revision`, `klaxon --version` and `alertmanager_build_info`).
    public static let alertmanagerCompatible = "0.25.0"
    /// The branch built.
    public static let branch = "main"

    /// `--version` output in the layout of Prometheus' `version.Print`, which Alertmanager and amtool print (scripts
    /// and Alertmanager's acceptance tests read the first line, `<program>, version X.Y.Z (...)`).
    public static func banner(program: String) -> String {
        """
        \(program), version \(version) (branch: \(branch), revision: \(revision))
          build user:       klaxon
          build date:       \(buildDate)
          go version:       \(swift)
          platform:         \(platform)
        """
    }

    /// `linux/amd64` style, as Go's GOOS/GOARCH.
    public static var platform: String {
        #if arch(x86_64)
            let arch = "amd64"
        #elseif arch(arm64)
            let arch = "arm64"
        #else
            let arch = "unknown"
        #endif
        #if os(Linux)
            return "linux/\(arch)"
        #elseif os(macOS)
            return "darwin/\(arch)"
        #else
            return "unknown/\(arch)"
        #endif
    }

    /// The name this program was invoked by (the last component of `argv[0]`), so that klaxonctl installed or linked
    /// as `amtool` introduces itself as amtool does.
    public static func invokedName(default fallback: String) -> String {
        guard let first = CommandLine.arguments.first, let name = first.split(separator: "/").last else {
            return fallback
        }
        return String(name)
    }
}
