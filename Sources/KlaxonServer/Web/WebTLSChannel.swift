import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOHTTP2
import NIOSSL
import NIOTLS

/// A TLS listener's connection as exporter-toolkit serves it: the TLS settings are those of the web config file at
/// the moment the connection arrives (a replaced certificate or edited setting applies to the next connection), and
/// HTTP/2 is negotiated through ALPN when `http_server_config.http2` is on (the default), else HTTP/1.1 only.
struct WebTLSChannel: ServerChildChannel {
    typealias Negotiated = NIONegotiatedHTTPVersion<HTTP1Channel.Value, HTTP2Channel.Value>

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let webConfig: WebConfigFile
    let http1: HTTP1ConnectionChannel
    let http2: HTTP2Channel?

    /// The server builder for Hummingbird's `Application`.
    static func builder(webConfig: WebConfigFile) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            WebTLSChannel(
                webConfig: webConfig, http1: HTTP1ConnectionChannel(base: HTTP1Channel(responder: responder)),
                http2: webConfig.http2 ? HTTP2Channel(responder: responder) : nil)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let tls: WebTLSContext
        do {
            tls = try webConfig.tlsContext()
            let handler =
                if let verification = tls.verification {
                    NIOSSLServerHandler(context: tls.context, customVerificationCallback: verification)
                } else {
                    NIOSSLServerHandler(context: tls.context)
                }
            try channel.pipeline.syncOperations.addHandler(handler)
        } catch {
            // Go's TLS server fails the handshake when the file no longer loads; it logs the reason.
            logger.error(
                "TLS handshake error",
                metadata: ["remote": "\(channel.remoteAddress?.description ?? "")", "err": "\(error)"])
            return channel.eventLoop.makeFailedFuture(error)
        }
        let http1 = self.http1
        guard let http2 else {
            return http1.setup(channel: channel, logger: logger).map { connection in
                Value(negotiated: channel.eventLoop.makeSucceededFuture(.http1_1(connection)), channel: channel)
            }
        }
        return channel.eventLoop.makeCompletedFuture {
            let alpn = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { result, channel in
                switch result {
                case .negotiated("h2"):
                    return http2.setup(channel: channel, logger: logger).map { .http2($0) }
                case .negotiated("http/1.1"), .fallback:
                    return http1.setup(channel: channel, logger: logger).map { .http1_1($0) }
                case .negotiated:
                    return channel.close().flatMap {
                        channel.eventLoop.makeFailedFuture(NIOHTTP2Errors.invalidALPNToken())
                    }
                }
            }
            try channel.pipeline.syncOperations.addHandler(alpn)
            return Value(negotiated: alpn.protocolNegotiationResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http1_1(let connection):
                await http1.handle(value: connection, logger: logger)
            case .http2(let connection):
                await http2?.handle(value: connection, logger: logger)
            }
        } catch {
            logger.debug("TLS connection closed before a protocol was negotiated", metadata: ["err": "\(error)"])
        }
    }
}
