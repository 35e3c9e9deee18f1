import Foundation
import KlaxonConfig
import KlaxonCore
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
    /// Where reloads and rejected reloads are recorded.
    var audit: (any AuditStore)? = nil
    /// The `tracing` section the process started with: the tracer is built once, so a reload that changes the
    /// section is applied except for tracing, and says so.
    var startupTracing: TracingConfig? = nil
    let logger: Logger

    /// Reloads every file for `principal` ("" without an access file, `SIGHUP` for the signal) at `remoteAddress`.
    func reload(by principal: String = "", from remoteAddress: String = "") async throws {
        do {
            // Every file must load before anything changes: a bad access file keeps the old one and the old config.
            let freshAccess = try access?.validate()
            let fresh = try Config.load(file: configFile)
            let engineConfig = try builder.engineConfig(fresh)
            engine.apply(engineConfig)
            runtime.replace(fresh, at: engine.clock.now)
            access?.apply(freshAccess)
            metrics.configReloaded(success: true, config: fresh)
            logger.info("Completed loading of configuration file", metadata: ["file": "\(configFile)"])
            if fresh.tracing != startupTracing {
                logger.warning(
                    "The tracing section changed; it takes effect when Klaxon restarts",
                    metadata: ["file": "\(configFile)"])
            }
            record(.configReloaded, principal: principal, remoteAddress: remoteAddress, message: "")
        } catch {
            record(.configRejected, principal: principal, remoteAddress: remoteAddress, message: "\(error)")
            engine.recordRejectedReload("configuration rejected: \(error)")
            runtime.reloadFailed("\(error)", at: engine.clock.now)
            metrics.configReloaded(success: false)
            logger.error("Loading configuration file failed", metadata: ["file": "\(configFile)", "err": "\(error)"])
            throw error
        }
    }

    private func record(_ kind: AuditEntry.Kind, principal: String, remoteAddress: String, message: String) {
        let entry = AuditEntry(
            time: engine.clock.now, kind: kind, principal: principal, tenants: [], remoteAddress: remoteAddress,
            object: configFile, message: message)
        do {
            try audit?.appendAudit(entry)
        } catch {
            logger.error("Recording an audit entry failed", metadata: ["kind": "\(kind.rawValue)", "err": "\(error)"])
        }
    }
}
