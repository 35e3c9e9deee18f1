import CCurl
import Foundation

/// One request from submission to completion.
///
/// `@unchecked Sendable`: the waiter is thread-safe; every mutable field is touched only by the driver thread,
/// after the transfer was handed over through the driver's locked queue.
final class HTTPTransfer: DriverTransfer, @unchecked Sendable {
    let request: HTTPRequest
    let options: HTTPClientOptions
    let waiter = TransferWaiter<HTTPResponse>()

    // Driver-thread state.
    var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var proxyHeaderList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var responseBody: [UInt8] = []
    private var bodyTruncated = false
    private var responseHeaders: [HTTPHeader] = []
    private var outcome: Result<HTTPResponse, HTTPClientError> = .failure(.shutdown)

    init(request: HTTPRequest, options: HTTPClientOptions) {
        self.request = request
        self.options = options
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        freeLists()
        errorBuffer.deallocate()
    }

    // MARK: - Driver thread

    func settle(_ ending: TransferEnding) {
        switch ending {
        case .curl(let code): outcome = result(code: code)
        case .failed(let error): outcome = .failure(error)
        }
    }

    func resumeWaiter() {
        waiter.complete(outcome.mapError { $0 as any Error })
    }

    /// The response after libcurl reported the transfer done with `code`.
    func result(code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        guard code == CURLE_OK else {
            let message = redactedMessage(code: code)
            if code == CURLE_OPERATION_TIMEDOUT {
                return .failure(.timeout(message: message))
            }
            return .failure(.transport(code: Int(code.rawValue), message: message))
        }
        var status = 0
        if let easy {
            klaxon_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        }
        return .success(
            HTTPResponse(
                status: status, headers: responseHeaders, body: responseBody, bodyTruncated: bodyTruncated))
    }

    /// Frees the per-transfer lists after the easy handle left the multi handle.
    func freeLists() {
        curl_slist_free_all(headerList)
        curl_slist_free_all(proxyHeaderList)
        curl_slist_free_all(connectToList)
        headerList = nil
        proxyHeaderList = nil
        connectToList = nil
    }

    /// curl's message, or `curl_easy_strerror`, with the URL and proxy URL cut out.
    private func redactedMessage(code: CURLcode) -> String {
        var message = String(cString: errorBuffer)
        if message.isEmpty {
            message = String(cString: curl_easy_strerror(code))
        }
        while message.hasSuffix("\n") {
            message.removeLast()
        }
        return HTTPTransfer.redact(message, secrets: [request.url, options.proxyURL ?? ""])
    }

    static func redact(_ message: String, secrets: [String]) -> String {
        var message = message
        for secret in secrets where !secret.isEmpty {
            message = message.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return message
    }

    /// Receives body bytes from libcurl, keeping up to the cap.
    fileprivate func receiveBody(_ data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        let room = request.maxResponseBodyBytes - responseBody.count
        if room >= count {
            data.withMemoryRebound(to: UInt8.self, capacity: count) {
                responseBody.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
            }
        } else {
            if room > 0 {
                data.withMemoryRebound(to: UInt8.self, capacity: room) {
                    responseBody.append(contentsOf: UnsafeBufferPointer(start: $0, count: room))
                }
            }
            bodyTruncated = true
        }
        return count
    }

    /// Receives one header line; a status line starts a new response (redirects, 100 Continue).
    fileprivate func receiveHeader(_ data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        let line = data.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            responseHeaders.removeAll(keepingCapacity: true)
            return count
        }
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            return count
        }
        if line.first == " " || line.first == "\t" {
            if var last = responseHeaders.popLast() {
                last.value += " " + trimmed
                responseHeaders.append(last)
            }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            responseHeaders.append(HTTPHeader(name, value))
        }
        return count
    }

    // MARK: - Easy handle configuration

    /// Sets every option of `easy` for this request; `easy` is fresh or was reset.
    func configure(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        self.easy = easy
        let userData = Unmanaged.passUnretained(self).toOpaque()
        try check(klaxon_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        try setLong(CURLOPT_NOSIGNAL, 1)
        try setString(CURLOPT_PROTOCOLS_STR, "http,https")
        try setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try setLong(CURLOPT_FOLLOWLOCATION, options.followRedirects ? 1 : 0)
        try setLong(CURLOPT_MAXREDIRS, 10)
        try setLong(CURLOPT_TCP_KEEPALIVE, 1)
        try setString(CURLOPT_ACCEPT_ENCODING, "")
        try setString(CURLOPT_USERAGENT, options.userAgent)
        let httpVersion = options.enableHTTP2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1
        try setLong(CURLOPT_HTTP_VERSION, httpVersion)
        if let timeout = request.timeout {
            try setLong(CURLOPT_TIMEOUT_MS, CurlEasy.milliseconds(timeout))
        }
        if let connectTimeout = options.connectTimeout {
            try setLong(CURLOPT_CONNECTTIMEOUT_MS, CurlEasy.milliseconds(connectTimeout))
        }
        try configureMethodAndBody()
        try configureURLAndTLS()
        try configureProxy()
        if let basicAuth = options.basicAuth {
            try setLong(CURLOPT_HTTPAUTH, klaxon_curlauth_basic())
            try setString(CURLOPT_USERNAME, basicAuth.username)
            try setString(CURLOPT_PASSWORD, basicAuth.password)
        }
        try configureHeaders()
        try check(
            klaxon_curl_setopt_write_function(easy, CURLOPT_WRITEFUNCTION) { data, size, count, userData in
                guard let data, let userData else { return 0 }
                let transfer = Unmanaged<HTTPTransfer>.fromOpaque(userData).takeUnretainedValue()
                return transfer.receiveBody(data, count: size * count)
            })
        try check(klaxon_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, userData))
        try check(
            klaxon_curl_setopt_write_function(easy, CURLOPT_HEADERFUNCTION) { data, size, count, userData in
                guard let data, let userData else { return 0 }
                let transfer = Unmanaged<HTTPTransfer>.fromOpaque(userData).takeUnretainedValue()
                return transfer.receiveHeader(data, count: size * count)
            })
        try check(klaxon_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, userData))
    }

    private func configureMethodAndBody() throws(HTTPClientError) {
        let method = request.method
        let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method)
        if method == "HEAD" {
            try setLong(CURLOPT_NOBODY, 1)
        } else if sendsBody {
            let size = curl_off_t(request.body.count)
            try check(klaxon_curl_setopt_off_t(requireEasy(), CURLOPT_POSTFIELDSIZE_LARGE, size))
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes, so the buffer need not outlive this call; an empty
            // body still needs a valid pointer.
            let easy = try requireEasy()
            var bytes = request.body.isEmpty ? [0] : request.body
            try check(
                bytes.withUnsafeMutableBytes {
                    klaxon_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
                })
            if method != "POST" {
                try setString(CURLOPT_CUSTOMREQUEST, method)
            }
        } else {
            try setLong(CURLOPT_HTTPGET, 1)
            if method != "GET" {
                try setString(CURLOPT_CUSTOMREQUEST, method)
            }
        }
    }

    private func configureURLAndTLS() throws(HTTPClientError) {
        let tls = options.tls
        var url = request.url
        if let serverName = tls.serverName, !serverName.isEmpty,
            let target = HTTPTransfer.serverNameTarget(url: url, serverName: serverName)
        {
            url = target.url
            connectToList = curl_slist_append(nil, target.connectTo)
            try check(klaxon_curl_setopt_slist(requireEasy(), CURLOPT_CONNECT_TO, connectToList))
            if !request.headers.contains(where: { $0.name.lowercased() == "host" }) {
                headerList = curl_slist_append(headerList, "Host: \(target.hostHeader)")
            }
        }
        try setString(CURLOPT_URL, url)
        try CurlEasy(handle: requireEasy()).apply(tls)
    }

    private func configureProxy() throws(HTTPClientError) {
        if let proxyURL = options.proxyURL, !proxyURL.isEmpty {
            try setString(CURLOPT_PROXY, proxyURL)
        } else if !options.proxyFromEnvironment {
            // An empty proxy disables the http_proxy/https_proxy environment variables.
            try setString(CURLOPT_PROXY, "")
        }
        if let noProxy = options.noProxy, !noProxy.isEmpty {
            try setString(CURLOPT_NOPROXY, noProxy)
        }
        if !options.proxyConnectHeaders.isEmpty {
            for header in options.proxyConnectHeaders {
                proxyHeaderList = curl_slist_append(proxyHeaderList, HTTPTransfer.headerLine(header))
            }
            try setLong(CURLOPT_HEADEROPT, Int(CURLHEADER_SEPARATE))
            try check(klaxon_curl_setopt_slist(requireEasy(), CURLOPT_PROXYHEADER, proxyHeaderList))
        }
    }

    private func configureHeaders() throws(HTTPClientError) {
        if let authorization = options.authorization {
            let value = "\(authorization.type) \(authorization.credentials)"
            headerList = curl_slist_append(headerList, "Authorization: \(value)")
        } else if let token = options.bearerToken, !token.isEmpty {
            headerList = curl_slist_append(headerList, "Authorization: Bearer \(token)")
        }
        for header in request.headers {
            headerList = curl_slist_append(headerList, HTTPTransfer.headerLine(header))
        }
        if !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            // No `Expect: 100-continue` round trip for larger bodies (Go's client does not send it either).
            headerList = curl_slist_append(headerList, "Expect:")
        }
        try check(klaxon_curl_setopt_slist(requireEasy(), CURLOPT_HTTPHEADER, headerList))
    }

    // MARK: - Helpers

    private func requireEasy() throws(HTTPClientError) -> UnsafeMutableRawPointer {
        guard let easy else {
            throw .invalidRequest("no libcurl handle")
        }
        return easy
    }

    private func setLong(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try CurlEasy(handle: requireEasy()).setLong(option, value)
    }

    private func setString(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try CurlEasy(handle: requireEasy()).setString(option, value)
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        try CurlEasy.check(code)
    }

    /// The header line for curl's list; `Name;` sends an empty value (`Name:` would remove the header).
    static func headerLine(_ header: HTTPHeader) -> String {
        header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
    }

    /// For `server_name`: the URL with the host replaced (so SNI and certificate checks use it), the
    /// CONNECT_TO entry that still dials the real host, and the Host header to keep sending.
    static func serverNameTarget(
        url: String, serverName: String, schemes: Set<String> = ["https"]
    ) -> (url: String, connectTo: String, hostHeader: String)? {
        guard let handle = curl_url() else {
            return nil
        }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK,
            let scheme = urlPart(handle, CURLUPART_SCHEME, flags: 0), schemes.contains(scheme.lowercased()),
            let host = urlPart(handle, CURLUPART_HOST, flags: 0), host != serverName,
            let port = urlPart(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT))
        else {
            return nil
        }
        let explicitPort = urlPart(handle, CURLUPART_PORT, flags: 0)
        guard curl_url_set(handle, CURLUPART_HOST, serverName, 0) == CURLUE_OK,
            let rewritten = urlPart(handle, CURLUPART_URL, flags: 0)
        else {
            return nil
        }
        let hostHeader = explicitPort.map { "\(host):\($0)" } ?? host
        return (rewritten, "\(serverName):\(port):\(host):\(port)", hostHeader)
    }

    private static func urlPart(_ handle: OpaquePointer, _ part: CURLUPart, flags: UInt32) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &value, flags) == CURLUE_OK, let value else {
            return nil
        }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
