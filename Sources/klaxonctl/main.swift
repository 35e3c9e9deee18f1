import ArgumentParser
import KlaxonCtl

// Parse and run explicitly: `await KlaxonCtl.main()` in top-level code resolves to the synchronous overload,
// which cannot run the async subcommands.
do {
    var command = try KlaxonCtl.parseAsRoot()
    if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        try command.run()
    }
} catch {
    KlaxonCtl.exit(withError: error)
}
