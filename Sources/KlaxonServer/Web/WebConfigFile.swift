import Foundation
import HummingbirdCore
import KlaxonConfig
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The `--web.config.file` as the running server sees it. exporter-toolkit re-reads the file on every request (users
/// and headers) and on every new TLS connection (certificates and TLS settings); this does the same, but parses again
/// only when a file's identity, size or modification time changed since the last look, so an unchanged file costs a
/// `stat` per request instead of a parse.
final class WebConfigFile: Sendable {
    /// The path given to `--web.config.file`.
    let path: String
    /// Whether HTTP/2 is offered (fixed at start, as in exporter-toolkit).
    let http2: Bool
    /// Whether the listener serves TLS (fixed at start, as in exporter-toolkit: a later edit cannot turn it on or off).
    let tlsEnabled: Bool

    private struct Parsed {
        let stamp: FileStamp?
        let result: Result<WebConfig, ConfigError>
    }

    private struct LoadedTLS {
        let configStamp: FileStamp?
        let files: [String]
        let fileStamps: [FileStamp?]
        let context: WebTLSContext
    }

    private let parsed: Mutex<Parsed?>
    private let loadedTLS = Mutex<LoadedTLS?>(nil)

    /// Loads and checks the file as exporter-toolkit does before it serves (YAML, headers, users, TLS files and
    /// settings); any problem is thrown with exporter-toolkit's message.
    init(path: String) throws {
        self.path = path
        let stamp = FileStamp(path: path)
        let config = try WebConfig.load(file: path)
        http2 = config.http2
        tlsEnabled = config.tlsEnabled
        parsed = Mutex(Parsed(stamp: stamp, result: .success(config)))
        if config.tlsEnabled {
            try config.checkHTTP2CipherSuites()
            _ = try tlsContext()
        }
    }

    /// The configuration now on disk (re-parsed when the file changed), or its error.
    func current() -> Result<WebConfig, ConfigError> {
        let stamp = FileStamp(path: path)
        if let cached = parsed.withLock({ $0 }), cached.stamp == stamp, stamp != nil { return cached.result }
        let result = Result { () throws(ConfigError) -> WebConfig in try WebConfig.load(file: path) }
        parsed.withLock { $0 = Parsed(stamp: stamp, result: result) }
        return result
    }

    /// The TLS context for a new connection: rebuilt when the web config or one of its certificate, key or client
    /// CA files changed, so replaced certificates are served without a restart.
    func tlsContext() throws -> WebTLSContext {
        let configStamp = FileStamp(path: path)
        if let cached = loadedTLS.withLock({ $0 }), cached.configStamp == configStamp, configStamp != nil,
            cached.fileStamps == cached.files.map(FileStamp.init(path:))
        {
            return cached.context
        }
        let config = try current().get()
        let tls = config.tlsServerConfig
        let files = [tls.certFile, tls.keyFile, tls.clientCAFile].filter { !$0.isEmpty }
        let stamps = files.map(FileStamp.init(path:))
        let context = try WebTLSContext(config: config, http2: http2)
        loadedTLS.withLock {
            $0 = LoadedTLS(configStamp: configStamp, files: files, fileStamps: stamps, context: context)
        }
        return context
    }
}

/// What identifies one version of a file without reading it: device, inode, size and modification time.
struct FileStamp: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let seconds: Int
    let nanoseconds: Int

    /// The file's stamp, or nil when it cannot be stat'ed.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }
}

extension WebConfigFile {
    /// The HTTP server for this web config: TLS (with HTTP/2 when enabled) or plain HTTP/1.1 when the file configures
    /// no TLS, as exporter-toolkit decides at start.
    func serverBuilder(logger: Logger, address: String) -> HTTPServerBuilder {
        if tlsEnabled {
            logger.info("TLS is enabled.", metadata: ["http2": "\(http2)", "address": "\(address)"])
            return WebTLSChannel.builder(webConfig: self)
        }
        logger.info("TLS is disabled.", metadata: ["http2": "false", "address": "\(address)"])
        return HTTP1ConnectionChannel.builder()
    }
}
