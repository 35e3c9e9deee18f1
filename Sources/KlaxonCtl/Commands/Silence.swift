import ArgumentParser
import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `klaxonctl silence`: amtool's silence commands; `query` is the default.
public struct SilenceCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Add, expire or view silences.",
        discussion: "For more information and additional flags see query help.",
        subcommands: [
            SilenceQueryCommand.self, SilenceAddCommand.self, SilenceExpireCommand.self, SilenceUpdateCommand.self,
            SilenceImportCommand.self,
        ],
        defaultSubcommand: SilenceQueryCommand.self)

    /// Creates the command.
    public init() {}
}

/// The login name of the current user (amtool's default `--author`).
func currentUserName() -> String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? ""
}

/// `klaxonctl silence add`.
public struct SilenceAddCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a new alertmanager silence.",
        discussion: """
            klaxonctl uses a simplified Prometheus syntax to represent silences. The non-option arguments are \
            matchers; the silence matches alerts that carry all of them.

              klaxonctl silence add alertname=foo node=bar
                  silences alerts with alertname=foo and node=bar.
              klaxonctl silence add foo node=bar
                  a first argument that is not a matcher is taken as the value of alertname.
              klaxonctl silence add 'alertname=~foo.*'
                  =~ (and !~) match a regular expression, anchored at both ends.

            Prints the new silence's ID.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("a"), .customLong("author")], help: "Username for CreatedBy field.")
    var author: String?

    @Flag(inversion: .prefixedNo, help: .hidden)
    var requireComment: Bool?

    @Option(name: [.customShort("d"), .customLong("duration")], help: "Duration of silence (default: 1h).")
    var duration: String?

    @Option(help: "Set when the silence should start. RFC3339 format 2006-01-02T15:04:05-07:00.")
    var start: String?

    @Option(
        help: "Set when the silence should end (overwrites duration). RFC3339 format 2006-01-02T15:04:05-07:00.")
    var end: String?

    @Option(name: [.customShort("c"), .customLong("comment")], help: "A comment to help describe the silence.")
    var comment: String?

    @Argument(help: "Matchers of the silence.")
    var matchers: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// The flags of `silence add`, resolved against the config file.
    public struct Options: Sendable, Hashable {
        /// `--author`.
        public var author: String
        /// `--require-comment`.
        public var requireComment: Bool
        /// `--duration`.
        public var duration: String
        /// `--start`.
        public var start: String?
        /// `--end`.
        public var end: String?
        /// `--comment`.
        public var comment: String

        /// Creates options with amtool's defaults.
        public init(
            author: String = "", requireComment: Bool = true, duration: String = "1h", start: String? = nil,
            end: String? = nil, comment: String = ""
        ) {
            self.author = author
            self.requireComment = requireComment
            self.duration = duration
            self.start = start
            self.end = end
            self.comment = comment
        }
    }

    /// Flags win over the config file, which wins over amtool's defaults.
    var options: Options {
        let file = global.configFile
        return Options(
            author: author ?? file.value("author") ?? currentUserName(),
            requireComment: requireComment ?? file.bool("require-comment") ?? true,
            duration: duration ?? file.value("duration") ?? "1h", start: start ?? file.value("start"),
            end: end ?? file.value("end"), comment: comment ?? file.value("comment") ?? "")
    }

    /// Adds the silence.
    public func run() async throws {
        let options = options
        let global = global
        try emit(
            await apiCommand { try await Self.add(api: global.makeClient(), matchers: matchers, options: options) })
    }

    /// The silence `silence add` would post, or amtool's error (checked in amtool's order).
    public static func silence(matchers args: [String], options: Options, now: Date) throws -> PostableSilence {
        let matchers = try parseCommandLineMatchers(args, firstArgIsAlertname: true)
        guard !matchers.isEmpty else { throw APIClientError.message("no matchers specified") }
        let startsAt = try options.start.map { text throws(GoParseError) in try GoTime.parseRFC3339(text).date } ?? now
        let endsAt: Date
        if let end = options.end {
            endsAt = try GoTime.parseRFC3339(end).date
        } else {
            let duration = try PromDuration(parsing: options.duration)
            guard duration.milliseconds > 0 else {
                throw APIClientError.message("silence duration must be greater than 0")
            }
            endsAt = startsAt.addingTimeInterval(duration.seconds)
        }
        guard startsAt <= endsAt else { throw APIClientError.message("silence cannot start after it ends") }
        if options.requireComment && options.comment.isEmpty {
            throw APIClientError.message("comment required by config")
        }
        return PostableSilence(
            matchers: matchers, startsAt: startsAt, endsAt: endsAt, createdBy: options.author, comment: options.comment)
    }

    /// `silence add`: posts the silence and prints its ID.
    public static func add(
        api: some SilenceAPI, matchers: [String], options: Options, now: Date = Date()
    ) async -> CommandOutput {
        await apiCommand {
            let silence = try silence(matchers: matchers, options: options, now: now)
            return CommandOutput(stdout: try await api.postSilence(silence) + "\n")
        }
    }
}

/// `klaxonctl silence query` (the default of `silence`).
public struct SilenceQueryCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Query Alertmanager silences.",
        discussion: """
            The non-option arguments are matchers, sent to the server as filters: a silence is listed when it has \
            a matcher equal to each of them (amtool query 'alertname=foo' lists silences with exactly that \
            matcher). A first argument that is not a matcher is taken as alertname=<arg>. By default only active \
            and pending silences are shown.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Show expired silences instead of active.")
    var expired = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Only show silence ids.")
    var quiet = false

    @Option(name: .customLong("created-by"), help: "Show silences that belong to this creator.")
    var createdBy: String?

    @Option(
        help: """
            Show silences that will expire or have expired within a duration (Go duration such as 2h, 30m).
            """)
    var within: String?

    @Option(help: "Show only the silence with this ID (amtool 0.26+).")
    var id: String?

    @Argument(help: "Query filter.")
    var matchers: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// The flags of `silence query`.
    public struct Options: Sendable, Hashable {
        /// `--expired`.
        public var expired = false
        /// `--quiet`.
        public var quiet = false
        /// `--created-by`.
        public var createdBy: String?
        /// `--within`.
        public var within: String?
        /// `--id`.
        public var id: String?
        /// Creates options.
        public init(
            expired: Bool = false, quiet: Bool = false, createdBy: String? = nil, within: String? = nil,
            id: String? = nil
        ) {
            self.expired = expired
            self.quiet = quiet
            self.createdBy = createdBy
            self.within = within
            self.id = id
        }
    }

    /// Lists the silences.
    public func run() async throws {
        let global = global
        let options = Options(expired: expired, quiet: quiet, createdBy: createdBy, within: within, id: id)
        try emit(
            await apiCommand {
                try await Self.query(
                    api: global.makeClient(), matchers: matchers, options: options,
                    formatter: Formatter(format: try global.validatedOutput(), dateFormat: global.dateFormat))
            })
    }

    /// `silence query`: the server filters by matchers; expiry, `--within`, `--created-by` and `--id` are applied
    /// here against the end time, as amtool does.
    public static func query(
        api: some SilenceAPI, matchers: [String], options: Options, formatter: Formatter, now: Date = Date()
    ) async -> CommandOutput {
        await apiCommand {
            let within = try options.within.map { text throws(GoParseError) in try GoDuration(parsing: text) }
            let filter = normalizeCommandLineMatchers(matchers, firstArgIsAlertname: true)
            let shown = try await api.silences(filter: filter).filter { s in
                if options.expired != (s.endsAt < now) { return false }
                if let within, within.nanoseconds > 0 {
                    if !options.expired && s.endsAt > now.addingTimeInterval(within.seconds) { return false }
                    if options.expired && s.endsAt < now.addingTimeInterval(-within.seconds) { return false }
                }
                if let createdBy = options.createdBy, !createdBy.isEmpty, s.createdBy != createdBy { return false }
                if let id = options.id, !id.isEmpty, s.id != id { return false }
                return true
            }
            if options.quiet { return CommandOutput(stdout: shown.map { $0.id + "\n" }.joined()) }
            return CommandOutput(stdout: formatter.silences(shown))
        }
    }
}

/// `klaxonctl silence expire ID...`.
public struct SilenceExpireCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "expire", abstract: "Expire an alertmanager silence.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Silence IDs.")
    var ids: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Expires the silences.
    public func run() async throws {
        let global = global
        try emit(await apiCommand { try await Self.expire(api: global.makeClient(), ids: ids) })
    }

    /// `silence expire`: DELETE each ID in order, stopping at the first error.
    public static func expire(api: some SilenceAPI, ids: [String]) async -> CommandOutput {
        await apiCommand {
            guard !ids.isEmpty else { throw APIClientError.message("no silence IDs specified") }
            for id in ids { try await api.expireSilence(id: id) }
            return CommandOutput()
        }
    }
}

/// `klaxonctl silence update ID...`.
public struct SilenceUpdateCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Update silences.",
        discussion: """
            Changes start, end or comment of existing silences and prints them. The server may answer with a new \
            ID (Alertmanager replaces an active silence whose matchers or start changed).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Only show silence ids.")
    var quiet = false

    @Option(name: [.customShort("d"), .customLong("duration")], help: "Duration of silence, from its start.")
    var duration: String?

    @Option(help: "Set when the silence should start. RFC3339 format 2006-01-02T15:04:05-07:00.")
    var start: String?

    @Option(
        help: "Set when the silence should end (overwrites duration). RFC3339 format 2006-01-02T15:04:05-07:00.")
    var end: String?

    @Option(name: [.customShort("c"), .customLong("comment")], help: "A comment to help describe the silence.")
    var comment: String?

    @Argument(help: "Silence IDs to update.")
    var ids: [String] = []

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// The flags of `silence update`.
    public struct Options: Sendable, Hashable {
        /// `--quiet`.
        public var quiet = false
        /// `--duration`.
        public var duration: String?
        /// `--start`.
        public var start: String?
        /// `--end`.
        public var end: String?
        /// `--comment`.
        public var comment: String?
        /// Creates options.
        public init(
            quiet: Bool = false, duration: String? = nil, start: String? = nil, end: String? = nil,
            comment: String? = nil
        ) {
            self.quiet = quiet
            self.duration = duration
            self.start = start
            self.end = end
            self.comment = comment
        }
    }

    /// Updates the silences.
    public func run() async throws {
        let global = global
        let options = Options(quiet: quiet, duration: duration, start: start, end: end, comment: comment)
        try emit(
            await apiCommand {
                try await Self.update(
                    api: global.makeClient(), ids: ids, options: options,
                    formatter: Formatter(format: try global.validatedOutput(), dateFormat: global.dateFormat))
            })
    }

    /// `silence update`: GET each silence, change it, POST it with its ID; prints the updated silences.
    public static func update(
        api: some SilenceAPI, ids: [String], options: Options, formatter: Formatter
    ) async -> CommandOutput {
        await apiCommand {
            guard !ids.isEmpty else { throw APIClientError.message("no silence IDs specified") }
            var updated: [GettableSilence] = []
            for id in ids {
                var silence = try await api.silence(id: id)
                if let start = options.start { silence.startsAt = try GoTime.parseRFC3339(start).date }
                if let end = options.end {
                    silence.endsAt = try GoTime.parseRFC3339(end).date
                } else if let text = options.duration {
                    let duration = try PromDuration(parsing: text)
                    guard duration.milliseconds > 0 else {
                        throw APIClientError.message("silence duration must be greater than 0")
                    }
                    silence.endsAt = silence.startsAt.addingTimeInterval(duration.seconds)
                }
                guard silence.startsAt <= silence.endsAt else {
                    throw APIClientError.message("silence cannot start after it ends")
                }
                if let comment = options.comment, !comment.isEmpty { silence.comment = comment }
                silence.id = try await api.postSilence(silence.postable)
                updated.append(silence)
            }
            if options.quiet { return CommandOutput(stdout: updated.map { $0.id + "\n" }.joined()) }
            return CommandOutput(stdout: formatter.silences(updated))
        }
    }
}

/// `klaxonctl silence import [file|-]`.
public struct SilenceImportCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import silences.",
        discussion: """
            Reads the JSON that `silence query -o json` prints (from a file or standard input) and creates the \
            silences, printing each new ID. Without --force, a silence whose ID the server does not know is \
            created anew.

              klaxonctl silence query -o json foo > foo.json
              klaxonctl silence import foo.json
              klaxonctl silence query -o json | klaxonctl silence import
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(
        name: [.customShort("f"), .customLong("force")], help: "Force adding new silences even if it already exists.")
    var force = false

    @Option(name: [.customShort("w"), .customLong("worker")], help: "Number of concurrent workers to use for import.")
    var worker = 8

    @Argument(help: "JSON file with silences (standard input when absent or -).")
    var input: String?

    /// Creates the command (ArgumentParser fills the fields).
    public init() {}

    /// Imports the silences.
    public func run() async throws {
        let global = global
        let data: Data
        if let input, input != "-" {
            guard let contents = FileManager.default.contents(atPath: input) else {
                try emit(.fatal("path '\(input)' does not exist\n"))
                return
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let force = force
        let worker = worker
        try emit(
            await apiCommand {
                try await Self.importSilences(
                    api: global.makeClient(), json: Array(data), force: force, workers: worker)
            })
    }

    /// `silence import`: posts every silence with up to `workers` requests in flight; IDs are printed in input
    /// order, failures on stderr as `Error adding silence id='<id>': <error>`.
    public static func importSilences(
        api: some SilenceAPI, json: [UInt8], force: Bool, workers: Int
    ) async -> CommandOutput {
        let silences: [GettableSilence]
        do {
            silences = try GettableSilence.decodeList(json: json)
        } catch {
            return .fatal("couldn't unmarshal input data, is it JSON?: \(error)\n")
        }
        let results = await withTaskGroup(of: (Int, Result<String, any Error>).self) { group in
            var results = [Result<String, any Error>?](repeating: nil, count: silences.count)
            var next = 0
            func startNext() {
                guard next < silences.count else { return }
                let index = next
                let silence = silences[index]
                next += 1
                group.addTask {
                    do {
                        return (index, .success(try await post(silence, api: api, force: force)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, workers) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                startNext()
            }
            return results
        }
        var out = CommandOutput()
        var failed = 0
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let id): out.stdout += id + "\n"
            case .failure(let error):
                failed += 1
                out.stderr += "Error adding silence id='\(silences[index].id)': \(error)\n"
            case nil: break
            }
        }
        if failed > 0 {
            return .fatal(
                "couldn't import \(failed) out of \(silences.count) silences\n", stdout: out.stdout,
                stderr: out.stderr)
        }
        return out
    }

    /// Posts one silence; an unknown ID (404) is retried as a new silence, as amtool does.
    static func post(_ silence: GettableSilence, api: some SilenceAPI, force: Bool) async throws -> String {
        var postable = silence.postable
        if force { postable.id = "" }
        do {
            return try await api.postSilence(postable)
        } catch let error as APIClientError where error.status == 404 && !postable.id.isEmpty {
            postable.id = ""
            return try await api.postSilence(postable)
        }
    }
}
