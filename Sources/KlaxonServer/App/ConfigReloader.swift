import Foundation
import KlaxonConfig
import KlaxonEngine
import Logging

/// Reloads `alertmanager.yml` (SIGHUP and `POST /-/reload`). A file that does not load, or whose integrations or
/// templates do not build, leaves the running configuration in force and is reported (log, metrics, the error for
/// the API); a good one goes to the engine (`Engine.apply`) and becomes what `/api/v2/status` shows.
struct ConfigReloader: Sendable {
    let configFile: String
    let builder: IntegrationBuilder
    let engine: Engine
    let runtime: RuntimeConfig
    let metrics: ServerMetrics
    /// The access file, reloaded with the config; nil without access control.
    var access: AccessControl? = nil
    let logger: Logger

    func reload() async throws {
        do {
            // Every file must load before anything changes: a bad access file keeps the old one and the old config.
            let freshAccess = try access?.validate()
            let fresh = try Config.load(file: configFile)
            let engineConfig = try builder.engineConfig(fresh)
            engine.apply(engineConfig)
            runtime.replace(fresh)
            access?.apply(freshAccess)
            metrics.configReloaded(success: true, config: fresh)
            logger.info("Completed loading of configuration file", metadata: ["file": "\(configFile)"])
        } catch {
            metrics.configReloaded(success: false)
            logger.error("Loading configuration file failed", metadata: ["file": "\(configFile)", "err": "\(error)"])
            throw error
        }
    }
}
