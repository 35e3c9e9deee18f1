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
}
