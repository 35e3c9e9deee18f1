import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 channel with HTTP/1.0's connection rule: a request that does not ask for
/// `Connection: keep-alive` is the connection's last, and the connection is closed after its response, as Go's
/// net/http (and so Alertmanager) closes it. Clients that read until the server closes (HTTP/1.0 tools, simple
/// scripts) would otherwise wait for their own timeout.
struct HTTP1ConnectionChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    /// The plain-HTTP server builder.
    static func builder() -> HTTPServerBuilder {
        HTTPServerBuilder { responder in HTTP1ConnectionChannel(base: HTTP1Channel(responder: responder)) }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTP10ConnectionHandler(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Marks an HTTP/1.0 request without `Connection: keep-alive` as `Connection: close`, which Hummingbird's HTTP/1
/// handler honours by closing the connection after the response.
final class HTTP10ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), head.version == .http1_0, !head.isKeepAlive else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
