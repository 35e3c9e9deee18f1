import Foundation
import KlaxonConfig
import KlaxonCore
import Synchronization

/// The access file as it is now (`--access.config.file`): reloaded with the main configuration, an invalid file
/// rejected while the previous one keeps serving. Nil file: no access control, as Alertmanager.
final class AccessControl: Sendable {
    /// The file, nil when none was given.
    let file: String?
    /// `--tenant.label`, used when the access file names no `tenant_label`.
    let defaultTenantLabel: String
    private let checkPassword: @Sendable (_ user: String, _ password: String) async -> Bool
    private let current: Mutex<AccessConfig?>

    /// Loads `file` (when given); throws its error, so a bad file stops the start.
    init(
        file: String?, defaultTenantLabel: String,
        checkPassword: @escaping @Sendable (_ user: String, _ password: String) async -> Bool
    ) throws(ConfigError) {
        self.file = file
        self.defaultTenantLabel = defaultTenantLabel
        self.checkPassword = checkPassword
        current = Mutex(try file.map { file throws(ConfigError) in try AccessConfig.load(file: file) })
    }

    /// Checks that the file loads, without applying it (a reload applies nothing unless every file loads).
    func validate() throws(ConfigError) -> AccessConfig? {
        guard let file else { return nil }
        return try AccessConfig.load(file: file)
    }

    /// Applies an access config that `validate()` returned.
    func apply(_ config: AccessConfig?) {
        guard file != nil, let config else { return }
        current.withLock { $0 = config }
    }

    /// The access config in force, nil without an access file.
    var config: AccessConfig? { current.withLock { $0 } }

    /// The label naming an alert's tenant: the access file's `tenant_label`, else `--tenant.label`.
    var tenantLabel: String { config?.tenantLabel ?? defaultTenantLabel }

    /// The authenticator for `access` (the config in force, read once per request).
    func authenticator(for access: AccessConfig) -> Authenticator {
        Authenticator(access: access, checkPassword: checkPassword)
    }
}
