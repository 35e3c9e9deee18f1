import CCurl
import Foundation

/// One SMTP submission from hand-over to completion, run by ``HTTPDriver`` like an HTTP request.
///
/// The message is uploaded through libcurl's read callback (`CURLOPT_UPLOAD`, with its size in
/// `CURLOPT_INFILESIZE_LARGE`); the callback returns 0 once every byte was handed over, which ends the `DATA`
/// phase. libcurl's debug callback shows the conversation: the verbs of the client's commands and the server's
/// replies are kept so a failure can name its step and the server's answer. Command arguments are never kept (an
/// `AUTH` line carries credentials).
///
/// `@unchecked Sendable`: the waiter is thread-safe; every mutable field is touched only by the driver thread.
final class SMTPTransfer: DriverTransfer, @unchecked Sendable {
    let request: SMTPRequest
    let waiter = TransferWaiter<Void>()

    // Driver-thread state.
    var easy: UnsafeMutableRawPointer?
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var uploaded = 0
    private var conversation = SMTPConversation()
    private var outcome: Result<Void, SMTPError> = .failure(SMTPError(stage: .other, detail: "not run"))

    init(request: SMTPRequest) {
        self.request = request
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        freeLists()
        errorBuffer.deallocate()
    }

    /// The `smtp://` or `smtps://` URL; its path is the `EHLO` name (libcurl's way of setting it).
    static func url(for request: SMTPRequest) -> String {
        let scheme = request.security == .implicitTLS ? "smtps" : "smtp"
        let host = request.host.contains(":") ? "[\(request.host)]" : request.host
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let hello = request.hello.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "\(scheme)://\(host):\(request.port)/\(hello)"
    }

    /// libcurl's `AUTH=` login options for the allowed mechanisms.
    static func loginOptions(_ mechanisms: [SMTPRequest.AuthMechanism]) -> String {
        mechanisms.map { "AUTH=\($0.rawValue)" }.joined(separator: ";")
    }

    // MARK: - Driver thread

    func configure(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        self.easy = easy
        let handle = CurlEasy(handle: easy)
        let userData = Unmanaged.passUnretained(self).toOpaque()
        try handle.setPointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        try handle.setLong(CURLOPT_NOSIGNAL, 1)
        try handle.setString(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        // A connection of its own per message, closed with QUIT, as Go's net/smtp client does.
        try handle.setLong(CURLOPT_FRESH_CONNECT, 1)
        try handle.setLong(CURLOPT_FORBID_REUSE, 1)
        try handle.setString(CURLOPT_PROXY, "")
        if let timeout = request.timeout {
            try handle.setLong(CURLOPT_TIMEOUT_MS, CurlEasy.milliseconds(timeout))
        }
        try handle.setLong(CURLOPT_CONNECTTIMEOUT_MS, CurlEasy.milliseconds(request.connectTimeout))

        var url = Self.url(for: request)
        if let serverName = request.tls.serverName, !serverName.isEmpty,
            let target = HTTPTransfer.serverNameTarget(url: url, serverName: serverName, schemes: ["smtp", "smtps"])
        {
            url = target.url
            connectToList = curl_slist_append(nil, target.connectTo)
            try handle.setList(CURLOPT_CONNECT_TO, connectToList)
        }
        try handle.setString(CURLOPT_URL, url)
        if request.security == .startTLS {
            try handle.setLong(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        try handle.apply(request.tls)

        if let credentials = request.credentials, !credentials.mechanisms.isEmpty {
            try handle.setString(CURLOPT_USERNAME, credentials.username)
            try handle.setString(CURLOPT_PASSWORD, credentials.password)
            try handle.setString(CURLOPT_LOGIN_OPTIONS, Self.loginOptions(credentials.mechanisms))
            if !credentials.authorizationIdentity.isEmpty {
                try handle.setString(CURLOPT_SASL_AUTHZID, credentials.authorizationIdentity)
            }
        }

        try handle.setString(CURLOPT_MAIL_FROM, "<\(request.from)>")
        for recipient in request.recipients {
            recipientList = curl_slist_append(recipientList, "<\(recipient)>")
        }
        try handle.setList(CURLOPT_MAIL_RCPT, recipientList)

        try handle.setLong(CURLOPT_UPLOAD, 1)
        try CurlEasy.check(
            klaxon_curl_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.message.count)))
        try CurlEasy.check(
            klaxon_curl_setopt_read_function(easy, CURLOPT_READFUNCTION) { buffer, size, count, userData in
                guard let buffer, let userData else { return Int(CURL_READFUNC_ABORT) }
                let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userData).takeUnretainedValue()
                return transfer.supply(buffer, capacity: size * count)
            })
        try handle.setPointer(CURLOPT_READDATA, userData)

        try handle.setLong(CURLOPT_VERBOSE, 1)
        try CurlEasy.check(
            klaxon_curl_setopt_debug_function(easy) { _, type, data, size, userData in
                guard let data, let userData else { return 0 }
                let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userData).takeUnretainedValue()
                transfer.observe(type, data, count: size)
                return 0
            })
        try handle.setPointer(CURLOPT_DEBUGDATA, userData)
    }

    /// Copies the next bytes of the message into libcurl's buffer; 0 once everything was handed over.
    private func supply(_ buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, request.message.count - uploaded)
        guard count > 0 else { return 0 }
        request.message.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + uploaded, byteCount: count)
        }
        uploaded += count
        return count
    }

    private func observe(_ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>, count: Int) {
        guard type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return }
        let bytes = data.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
        if type == CURLINFO_HEADER_IN {
            conversation.received(bytes)
        } else {
            conversation.sent(bytes)
        }
    }

    func settle(_ ending: TransferEnding) {
        switch ending {
        case .curl(let code) where code == CURLE_OK:
            outcome = .success(())
        case .curl(let code):
            var detail = String(cString: errorBuffer)
            if detail.isEmpty { detail = String(cString: curl_easy_strerror(code)) }
            while detail.hasSuffix("\n") { detail.removeLast() }
            outcome = .failure(conversation.error(code: code, security: request.security, detail: detail))
        case .failed(let error):
            outcome = .failure(
                SMTPError(
                    stage: .other, detail: error.description, isTimeout: error.isTimeout,
                    isCancelled: error.isCancelled))
        }
    }

    func freeLists() {
        curl_slist_free_all(recipientList)
        curl_slist_free_all(connectToList)
        recipientList = nil
        connectToList = nil
    }

    func resumeWaiter() {
        waiter.complete(outcome.mapError { $0 as any Error })
    }
}

/// What libcurl's debug callback showed of an SMTP conversation: the last command verb the client sent, the
/// mechanism of its `AUTH`, whether `DATA` got its go-ahead (354), and the server's last complete reply.
struct SMTPConversation {
    private static let verbs: Set<String> = [
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "QUIT", "RSET",
    ]

    private(set) var lastCommand: String?
    private(set) var mechanism: SMTPRequest.AuthMechanism?
    private(set) var dataAccepted = false
    private(set) var lastReply: (code: Int, text: String)?
    private var pending: [UInt8] = []
    private var closing = false
    private var replyLines: [String] = []

    /// A line the client sent: only a known verb (and `AUTH`'s mechanism) is kept, never the arguments. `QUIT`
    /// (sent when the connection closes, after a failure too) ends the record, so the failure's reply stays.
    mutating func sent(_ bytes: [UInt8]) {
        guard !closing else { return }
        let line = bytes.prefix(32).prefix { $0 != 0x0D && $0 != 0x0A }
        let words = line.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self).uppercased() }
        guard let first = words.first, Self.verbs.contains(first) else { return }
        if first == "QUIT" {
            closing = true
            return
        }
        lastCommand = first
        lastReply = nil
        if lastCommand == "AUTH" {
            mechanism = words.count > 1 ? SMTPRequest.AuthMechanism(rawValue: words[1]) : nil
        }
    }

    /// Bytes of the server's replies, in lines (`250-...` continues a reply, `250 ...` ends it).
    mutating func received(_ bytes: [UInt8]) {
        guard !closing else { return }
        pending += bytes
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            let scalars = Array(line.unicodeScalars)
            guard scalars.count >= 3, let code = Int(String(String.UnicodeScalarView(scalars.prefix(3)))) else {
                continue
            }
            let text = scalars.count > 4 ? String(String.UnicodeScalarView(scalars.dropFirst(4))) : ""
            replyLines.append(text)
            if scalars.count > 3 && scalars[3] == "-" { continue }
            lastReply = (code, replyLines.joined(separator: "\n"))
            replyLines.removeAll()
            if lastCommand == "DATA" && code == 354 { dataAccepted = true }
        }
    }

    /// The failure libcurl reported with `code`, placed in the conversation.
    func error(code: CURLcode, security: SMTPRequest.Security, detail: String) -> SMTPError {
        let stage: SMTPError.Stage
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            stage = .connect
        case CURLE_USE_SSL_FAILED:
            stage = .startTLSNotOffered
        case CURLE_LOGIN_DENIED:
            stage = .auth
        default:
            switch lastCommand {
            case nil: stage = .connect
            case "EHLO", "HELO": stage = .hello
            case "STARTTLS": stage = .startTLS
            case "AUTH": stage = .auth
            case "MAIL": stage = .mail
            case "RCPT": stage = .recipient
            case "DATA": stage = dataAccepted ? .message : .data
            default: stage = .other
            }
        }
        // A reply only counts when it refused something (a 334 challenge or a 250 is not the cause).
        let reply = lastReply.flatMap { $0.code >= 400 ? $0 : nil }
        return SMTPError(
            stage: stage, reply: reply.map { "\($0.code) \($0.text)" }, replyCode: reply?.code,
            mechanism: stage == .auth ? mechanism : nil, detail: detail, isTimeout: code == CURLE_OPERATION_TIMEDOUT)
    }
}
