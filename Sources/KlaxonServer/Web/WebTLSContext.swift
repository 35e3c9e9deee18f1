import Foundation
import KlaxonConfig
import NIOCore
import NIOSSL

/// One loaded generation of `tls_server_config`: the NIO SSL context and, for the client auth types that take any
/// certificate, the callback that accepts it. Built with exporter-toolkit's checks, in its order and with its
/// messages; where NIO SSL cannot do what Go's TLS stack would, the file is refused with a reason.
struct WebTLSContext: Sendable {
    let context: NIOSSLContext
    let verification: (@Sendable ([NIOSSLCertificate], EventLoopPromise<NIOSSLVerificationResult>) -> Void)?

    init(config: WebConfig, http2: Bool) throws {
        let tls = config.tlsServerConfig
        guard tls.isConfigured else { throw ConfigError(message: "TLS config is not present") }
        try tls.checkKeyPairPaths()
        let (chain, key) = try Self.loadKeyPair(certFile: tls.certFile, keyFile: tls.keyFile)

        var clientCAs: [NIOSSLCertificate]?
        if !tls.clientCAFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: tls.clientCAFile) else {
                throw ConfigError(message: "open \(tls.clientCAFile): \(Self.openError(tls.clientCAFile))")
            }
            // Like Go's AppendCertsFromPEM: what does not parse adds no CA (and then no client certificate verifies).
            clientCAs = (try? NIOSSLCertificate.fromPEMBytes(Array(data))) ?? []
        }
        let clientAuth = try tls.clientAuth()

        guard tls.minVersion <= tls.maxVersion else {
            throw ConfigError(
                message: "tls_server_config: min_version \(tls.minVersion.rawValue) is above max_version "
                    + "\(tls.maxVersion.rawValue): no TLS connection could be made")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = Self.nioVersion(tls.minVersion)
        configuration.maximumTLSVersion = Self.nioVersion(tls.maxVersion)
        if !tls.cipherSuites.isEmpty {
            // TLS 1.3 suites are not configurable (in Go as in BoringSSL): only the TLS 1.2 ones restrict anything.
            let tls12 = tls.cipherSuites.filter { !$0.isTLS13 }
            if tls12.isEmpty {
                guard tls.maxVersion == .tls13 else {
                    throw ConfigError(
                        message: "tls_server_config: cipher_suites lists only TLS 1.3 suites but max_version is "
                            + "\(tls.maxVersion.rawValue): no TLS connection could be made")
                }
                // Go then has no suite for TLS 1.2 and below: only TLS 1.3 handshakes succeed.
                configuration.minimumTLSVersion = .tlsv13
            } else {
                configuration.cipherSuiteValues = tls12.map { NIOTLSCipher(rawValue: $0.id) }
            }
        }
        if !tls.curvePreferences.isEmpty {
            configuration.curves = tls.curvePreferences.map(Self.nioCurve)
        }
        configuration.applicationProtocols = http2 ? ["h2", "http/1.1"] : ["http/1.1"]

        var acceptAnyCertificate = false
        switch clientAuth {
        case .noClientCert:
            configuration.certificateVerification = .none
        case .requestClientCert:
            configuration.certificateVerification = .optionalVerification
            acceptAnyCertificate = true
        case .requireAnyClientCert:
            configuration.certificateVerification = .noHostnameVerification
            acceptAnyCertificate = true
        case .verifyClientCertIfGiven:
            configuration.certificateVerification = .optionalVerification
        case .requireAndVerifyClientCert:
            configuration.certificateVerification = .noHostnameVerification
        }
        if let clientCAs {
            // Go verifies against the client CAs and names them in its certificate request.
            configuration.trustRoots = .certificates(clientCAs)
            configuration.sendCANameList = true
        }
        context = try NIOSSLContext(configuration: configuration)
        if acceptAnyCertificate {
            verification = { _, promise in promise.succeed(.certificateVerified) }
        } else {
            verification = nil
        }
    }

    /// Go's `tls.LoadX509KeyPair`, with its messages under exporter-toolkit's prefix.
    private static func loadKeyPair(certFile: String, keyFile: String) throws -> ([NIOSSLCertificate], NIOSSLPrivateKey)
    {
        func failed(_ reason: String) -> ConfigError { ConfigError(message: "failed to load X509KeyPair: \(reason)") }
        guard let certData = FileManager.default.contents(atPath: certFile) else {
            throw failed("open \(certFile): \(openError(certFile))")
        }
        guard let keyData = FileManager.default.contents(atPath: keyFile) else {
            throw failed("open \(keyFile): \(openError(keyFile))")
        }
        let certTypes = pemBlockTypes(certData)
        guard certTypes.contains("CERTIFICATE"), let chain = try? NIOSSLCertificate.fromPEMBytes(Array(certData)),
            !chain.isEmpty
        else {
            if certTypes.isEmpty { throw failed("tls: failed to find any PEM data in certificate input") }
            if certTypes.contains(where: { $0.hasSuffix("PRIVATE KEY") }) {
                throw failed(
                    "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM "
                        + "inputs may have been switched")
            }
            throw failed(
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the "
                    + "following types: [\(certTypes.joined(separator: " "))]")
        }
        let keyTypes = pemBlockTypes(keyData)
        guard keyTypes.contains(where: { $0.hasSuffix("PRIVATE KEY") }),
            let key = try? NIOSSLPrivateKey(bytes: Array(keyData), format: .pem)
        else {
            if keyTypes.isEmpty { throw failed("tls: failed to find any PEM data in key input") }
            if keyTypes == ["CERTIFICATE"] {
                throw failed("tls: found a certificate rather than a key in the PEM for the private key")
            }
            throw failed(
                "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM "
                    + "blocks of the following types: [\(keyTypes.joined(separator: " "))]")
        }
        // A context with only the pair checks that the key belongs to the certificate.
        do {
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw failed("tls: private key does not match public key")
        }
        return (chain, key)
    }

    /// The types of the PEM blocks in a file (`CERTIFICATE`, `EC PRIVATE KEY`, ...), in order.
    private static func pemBlockTypes(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("-----BEGIN "), text.hasSuffix("-----") else { return nil }
            return String(text.dropFirst(11).dropLast(5))
        }
    }

    private static func openError(_ path: String) -> String {
        FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file or directory"
    }

    private static func nioVersion(_ version: TLSProtocolVersion) -> TLSVersion {
        switch version {
        case .tls10: .tlsv1
        case .tls11: .tlsv11
        case .tls12: .tlsv12
        case .tls13: .tlsv13
        }
    }

    private static func nioCurve(_ curve: TLSCurve) -> NIOTLSCurve {
        switch curve {
        case .p256: .secp256r1
        case .p384: .secp384r1
        case .p521: .secp521r1
        case .x25519: .x25519
        }
    }
}
