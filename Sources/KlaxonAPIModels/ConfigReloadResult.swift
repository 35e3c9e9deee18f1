import Foundation

/// How the last load of the configuration file ended (at start or on a reload): what
/// `alertmanager_config_last_reload_successful` says as a number, with the time and the error. The status page shows
/// it.
public struct ConfigReloadResult: Sendable, Hashable {
    /// When the load was attempted.
    public var time: Date
    /// Whether the file was loaded and applied.
    public var succeeded: Bool
    /// Why it was rejected ("" on success).
    public var error: String
    /// When the configuration in force was loaded (the same as `time` after a success).
    public var appliedAt: Date

    /// Creates a result.
    public init(time: Date, succeeded: Bool, error: String = "", appliedAt: Date) {
        self.time = time
        self.succeeded = succeeded
        self.error = error
        self.appliedAt = appliedAt
    }
}
