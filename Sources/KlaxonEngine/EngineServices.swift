import Foundation
import KlaxonCore
import ServiceLifecycle

/// Runs the dispatcher in force, and each one a reload swaps in, until graceful shutdown; then stops taking
/// flushes and returns once the in-flight ones have ended.
struct DispatchService: Service {
    let engine: Engine

    func run() async {
        await withGracefulShutdownHandler {
            await engine.runDispatchers()
        } onGracefulShutdown: {
            engine.stopDispatching()
        }
    }
}

/// Garbage collection on the engine's clock (Alertmanager's alert GC and silence/nflog maintenance): resolved
/// alerts every `--alerts.gc-interval`; expired silences and notification-log entries past retention every
/// `maintenanceInterval`, at least once a minute.
struct EngineMaintenance: Service {
    let engine: Engine
    let alertInterval: TimeInterval
    let stateInterval: TimeInterval

    init(engine: Engine, options: EngineOptions) {
        self.engine = engine
        alertInterval = options.alertGCInterval.seconds
        stateInterval = min(options.maintenanceInterval.seconds, 60)
    }

    func run() async {
        _ = await cancelWhenGracefulShutdown { await collectUntilCancelled() }
    }

    private func collectUntilCancelled() async {
        let clock = engine.clock
        var nextAlertGC = clock.now.addingTimeInterval(alertInterval)
        var nextStateGC = clock.now.addingTimeInterval(stateInterval)
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: min(nextAlertGC, nextStateGC))
            } catch {
                return
            }
            let now = clock.now
            if now >= nextAlertGC {
                nextAlertGC = now.addingTimeInterval(alertInterval)
                engine.collectAlerts(now: now)
            }
            if now >= nextStateGC {
                nextStateGC = now.addingTimeInterval(stateInterval)
                engine.collectState(now: now)
            }
        }
    }
}
