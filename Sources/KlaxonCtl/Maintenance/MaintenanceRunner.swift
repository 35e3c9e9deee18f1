import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `maintenance run`: opens the window, runs the command, and closes the window when the command ends (success,
/// failure, or killed), after the linger; returns the command's status as a shell would (128 + signal when killed).
///
/// Signals: SIGINT, SIGTERM and SIGHUP reaching the wrapper are forwarded to the command, which is then waited
/// for. SIGINT is not forwarded when the wrapper runs in the foreground of a terminal, because the terminal already
/// delivers Ctrl-C to the command (tools such as terraform treat a second interrupt as "exit immediately"). A signal
/// during the linger closes the window at once. A signal that arrives while the window is being opened prevents
/// the command from starting.
struct MaintenanceRunner<API: SilenceAPI>: Sendable {
    /// Opens the window (with the standard retry).
    var service: MaintenanceService<API>
    /// Closes it: more patient, since a window left open silences alerts until `--for` runs out.
    var closeRetry: RetryPolicy
    var request: MaintenanceRequest
    var command: [String]
    var linger: TimeInterval
    /// Writes a line to standard error.
    var log: @Sendable (String) -> Void
    /// Whether the signal dispositions are put back afterwards (tests); the CLI exits right after and keeps them
    /// ignored.
    var restoresSignals = false

    static var caughtSignals: [Int32] { [SIGINT, SIGTERM, SIGHUP] }

    func run() async -> Int32 {
        let events = SupervisorEvents(signals: Self.caughtSignals)
        defer { events.cancel(restoring: restoresSignals) }
        var iterator = events.stream.makeAsyncIterator()
        let started: MaintenanceService<API>.StartResult
        do {
            started = try await service.start(request)
        } catch let error as MaintenanceStartError where error.mayHaveOpened {
            log(
                "\(KlaxonCtl.programName): error: could not open maintenance window \(request.key): \(error); "
                    + "the command was not run")
            let posted =
                error.posted.isEmpty ? "no reply to the post" : "silence " + error.posted.joined(separator: ", ")
            log(
                "\(KlaxonCtl.programName): a silence may have been created before the failure (\(posted)); "
                    + "closing the window")
            await close(lastSeen: error.posted, endsAt: nil)
            return 1
        } catch {
            log(
                "\(KlaxonCtl.programName): error: could not open maintenance window \(request.key): \(error); "
                    + "the command was not run")
            return 1
        }
        log("\(KlaxonCtl.programName): " + MaintenanceText.started(request.key, started))
        if let signal = events.receivedSignals.first {
            log("\(KlaxonCtl.programName): received \(signalName(signal)) before the command started; not running it")
            await close(lastSeen: [started.silenceID], endsAt: started.endsAt)
            return 128 + signal
        }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(command, defaultSignals: Self.caughtSignals)
        } catch let error as ChildProcess.SpawnError {
            log("\(KlaxonCtl.programName): error: \(error.description)")
            await close(lastSeen: [started.silenceID], endsAt: started.endsAt)
            return error.shellStatus
        } catch {
            log("\(KlaxonCtl.programName): error: cannot run \"\(command[0])\": \(error)")
            await close(lastSeen: [started.silenceID], endsAt: started.endsAt)
            return 126
        }
        child.notifyOnExit { events.yield(.childExited) }
        let terminalDeliversInterrupt = isatty(STDIN_FILENO) == 1 && tcgetpgrp(STDIN_FILENO) == getpgrp()
        waiting: while let event = await iterator.next() {
            switch event {
            case .signal(let signal):
                if signal == SIGINT && terminalDeliversInterrupt { continue }
                log("\(KlaxonCtl.programName): forwarding \(signalName(signal)) to the command (pid \(child.pid))")
                child.send(signal)
            case .childExited:
                break waiting
            case .lingerElapsed:
                continue
            }
        }
        let termination = child.reap()
        let ended: String
        switch termination {
        case .exited(let status): ended = "the command exited with status \(status)"
        case .signaled(let signal): ended = "the command was killed by \(signalName(signal))"
        }
        if linger > 0 {
            log(
                "\(KlaxonCtl.programName): \(ended); keeping the window open for \(MaintenanceText.duration(linger)) "
                    + "so recovery alerts settle (send SIGINT or SIGTERM to close it now)")
            events.scheduleLinger(after: linger)
            lingering: while let event = await iterator.next() {
                switch event {
                case .lingerElapsed:
                    break lingering
                case .signal(let signal):
                    log("\(KlaxonCtl.programName): received \(signalName(signal)); closing the window now")
                    break lingering
                case .childExited:
                    continue
                }
            }
        } else {
            log("\(KlaxonCtl.programName): \(ended); closing the window")
        }
        await close(lastSeen: [started.silenceID], endsAt: started.endsAt)
        return termination.shellStatus
    }

    /// Closes the window by key, retrying transient failures; when that fails, says loudly that alerts stay
    /// silenced, until when, and to run `maintenance end --key`, which looks the key's silences up again (the IDs
    /// known here may have been replaced by another start of the key since), naming the silences last seen open.
    private func close(lastSeen: [String], endsAt: Date?) async {
        var closer = service
        closer.retry = closeRetry
        do {
            let expired = try await closer.end(key: request.key)
            log("\(KlaxonCtl.programName): " + MaintenanceText.ended(request.key, expired))
        } catch {
            let seen = (error as? MaintenanceEndError)?.lastSeenOpen ?? lastSeen
            let ends =
                endsAt.map { "until the window ends by itself at \(MaintenanceText.date($0))" }
                ?? "until the window ends by itself (--for)"
            let silences =
                seen.isEmpty
                ? "" : " (last seen open: \(seen.count == 1 ? "silence" : "silences") \(seen.joined(separator: ", ")))"
            log(
                """
                \(KlaxonCtl.programName): error: COULD NOT CLOSE maintenance window \(request.key): \(error)
                \(KlaxonCtl.programName): alerts stay silenced \(ends); close it with \
                `\(KlaxonCtl.programName) maintenance end --key \(request.key)`, which looks the key's silences up \
                again\(silences)
                """)
        }
    }
}

/// `SIGTERM`, `SIGINT`, … or `signal N`.
func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGHUP: "SIGHUP"
    case SIGKILL: "SIGKILL"
    case SIGQUIT: "SIGQUIT"
    case SIGPIPE: "SIGPIPE"
    case SIGSEGV: "SIGSEGV"
    case SIGABRT: "SIGABRT"
    default: "signal \(signal)"
    }
}
