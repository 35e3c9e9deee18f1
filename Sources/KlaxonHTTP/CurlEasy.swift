import CCurl

/// Typed option setters for one easy handle, shared by the HTTP and SMTP transfers; a refused option becomes
/// ``HTTPClientError/isInvalidRequest``.
struct CurlEasy {
    let handle: UnsafeMutableRawPointer

    func setLong(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try Self.check(klaxon_curl_setopt_long(handle, option, value))
    }

    func setString(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        let handle = handle
        try Self.check(value.withCString { klaxon_curl_setopt_string(handle, option, $0) })
    }

    func setBlob(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        let handle = handle
        var bytes = Array(value.utf8)
        try Self.check(
            bytes.withUnsafeMutableBytes { klaxon_curl_setopt_blob_copy(handle, option, $0.baseAddress, $0.count) })
    }

    func setList(_ option: CURLoption, _ list: UnsafeMutablePointer<curl_slist>?) throws(HTTPClientError) {
        try Self.check(klaxon_curl_setopt_slist(handle, option, list))
    }

    func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try Self.check(klaxon_curl_setopt_pointer(handle, option, value))
    }

    /// `tls_config` without `server_name` (which changes the URL; see `HTTPTransfer.serverNameTarget`): peer
    /// verification, CA, client certificate and key, TLS versions.
    func apply(_ tls: HTTPClientOptions.TLSOptions) throws(HTTPClientError) {
        if tls.insecureSkipVerify {
            try setLong(CURLOPT_SSL_VERIFYPEER, 0)
            try setLong(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let caFile = tls.caFile, !caFile.isEmpty {
            try setString(CURLOPT_CAINFO, caFile)
        }
        if let pem = tls.caPEM, !pem.isEmpty {
            try setBlob(CURLOPT_CAINFO_BLOB, pem)
        }
        if let certFile = tls.certFile, !certFile.isEmpty {
            try setString(CURLOPT_SSLCERT, certFile)
        }
        if let pem = tls.certPEM, !pem.isEmpty {
            try setBlob(CURLOPT_SSLCERT_BLOB, pem)
        }
        if let keyFile = tls.keyFile, !keyFile.isEmpty {
            try setString(CURLOPT_SSLKEY, keyFile)
        }
        if let pem = tls.keyPEM, !pem.isEmpty {
            try setBlob(CURLOPT_SSLKEY_BLOB, pem)
        }
        if tls.minVersion != nil || tls.maxVersion != nil {
            try setLong(CURLOPT_SSLVERSION, Self.sslVersion(min: tls.minVersion, max: tls.maxVersion))
        }
    }

    static func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            throw .invalidRequest("libcurl rejected an option: \(message)")
        }
    }

    /// Whole milliseconds, at least 1 (0 means "no limit" to libcurl).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else {
            return Int.max
        }
        return max(1, Int(milliseconds.partialValue + attoseconds / 1_000_000_000_000_000))
    }

    static func sslVersion(min: HTTPClientOptions.TLSVersion?, max: HTTPClientOptions.TLSVersion?) -> Int {
        var value = CURL_SSLVERSION_DEFAULT
        switch min {
        case .tls10: value = CURL_SSLVERSION_TLSv1_0
        case .tls11: value = CURL_SSLVERSION_TLSv1_1
        case .tls12: value = CURL_SSLVERSION_TLSv1_2
        case .tls13: value = CURL_SSLVERSION_TLSv1_3
        case nil: break
        }
        switch max {
        case .tls10: value |= CURL_SSLVERSION_MAX_TLSv1_0
        case .tls11: value |= CURL_SSLVERSION_MAX_TLSv1_1
        case .tls12: value |= CURL_SSLVERSION_MAX_TLSv1_2
        case .tls13: value |= CURL_SSLVERSION_MAX_TLSv1_3
        case nil: break
        }
        return Int(value)
    }
}
