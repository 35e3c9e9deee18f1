import ArgumentParser
import Foundation
import KlaxonCtl

// Parse and run explicitly: `await KlaxonCtl.main()` in top-level code resolves to the synchronous overload,
// which cannot run the async subcommands. The same happens to `asyncCommand.run()` called directly in top-level
// code (it printed the leaf's help); inside an async function the async `run()` is chosen.
func run(_ command: any ParsableCommand) async throws {
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        var command = command
        try command.run()
    }
}

do {
    try await run(try KlaxonCtl.parseAsRoot())
} catch {
    // Usage errors exit 1 with `<program>: error: <message>` as amtool (kingpin) does, not ArgumentParser's 64
    // and usage dump: scripts written against amtool test for exit status 1.
    // A command's own exit status (`maintenance run` passes its child's through, which may well be 64) is not a
    // usage error.
    if let status = error as? ExitCode { exit(status.rawValue) }
    if KlaxonCtl.exitCode(for: error) == .validationFailure {
        let message = KlaxonCtl.message(for: error)
        FileHandle.standardError.write(Data("\(KlaxonCtl.programName): error: \(message)\n\n".utf8))
        exit(1)
    }
    KlaxonCtl.exit(withError: error)
}
