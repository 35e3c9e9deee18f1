import Foundation
import Testing

@testable import KlaxonConfig

/// Alertmanager 0.25's error for each `web/bad/web.bad-*.yml` (recorded by scripts/record-webconfig-fixtures.sh).
private let expectedWebMessages: [String: String] = {
    guard let data = FileManager.default.contents(atPath: Fixtures.path("web/bad/expected-messages.json")),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
    else { return [:] }
    return object
}()

@Test func everyBadWebConfigHasARecordedMessage() {
    #expect(Fixtures.files(in: "web/bad").count == expectedWebMessages.count)
    #expect(expectedWebMessages.count >= 28)
}

@Test(arguments: expectedWebMessages.keys.sorted())
func badWebConfigFailsWithAlertmanagersMessage(file: String) throws {
    let expected = try #require(expectedWebMessages[file])
    let error = #expect(throws: ConfigError.self) { try WebConfig.load(file: Fixtures.path("web/bad/" + file)) }
    #expect(error?.description == expected, "\(file)")
}

@Test(arguments: Fixtures.files(in: "web/good"))
func goodWebConfigLoads(file: String) throws {
    _ = try WebConfig.load(file: Fixtures.path("web/good/" + file))
}

@Test func missingWebConfigFileIsReportedLikeGo() {
    let error = #expect(throws: ConfigError.self) { try WebConfig.load(file: "/nonexistent/web.yml") }
    #expect(error?.description == "open /nonexistent/web.yml: no such file or directory")
}

@Test func emptyWebConfigServesPlainHTTPWithoutAuthentication() throws {
    let config = try WebConfig.load(file: Fixtures.path("web/good/web.good-empty.yml"))
    #expect(!config.tlsEnabled)
    #expect(config.basicAuthUsers.isEmpty)
    #expect(config.headers.isEmpty)
    #expect(config.http2)
}

@Test func everyTLSSettingIsReadWithPathsRelativeToTheFile() throws {
    let config = try WebConfig.load(file: Fixtures.path("web/good/web.good-every-tls-setting.yml"))
    let tls = config.tlsServerConfig
    let directory = Fixtures.path("web/good")
    #expect(config.tlsEnabled)
    #expect(tls.certFile == directory + "/server.crt")
    #expect(tls.keyFile == "/etc/klaxon/server.key")
    #expect(tls.clientCAFile == Fixtures.path("web/ca/clients.pem"))
    #expect(try tls.clientAuth() == .requireAndVerifyClientCert)
    #expect(tls.cipherSuites.count == 17)
    #expect(tls.cipherSuites.filter(\.isTLS13).map(\.name).count == 3)
    #expect(tls.curvePreferences == [.p256, .p384, .p521, .x25519])
    #expect(tls.minVersion == .tls10)
    #expect(tls.maxVersion == .tls12)
    #expect(!tls.preferServerCipherSuites)
    #expect(!config.http2)
}

@Test func defaultsAreExporterToolkits() throws {
    let config = try WebConfig.parse(yaml: "tls_server_config:\n  cert_file: a\n  key_file: b\n", baseDirectory: "/w")
    #expect(config.tlsServerConfig.minVersion == .tls12)
    #expect(config.tlsServerConfig.maxVersion == .tls13)
    #expect(config.tlsServerConfig.preferServerCipherSuites)
    #expect(try config.tlsServerConfig.clientAuth() == .noClientCert)
    #expect(config.http2)
}

@Test func headersAndUsersAreRead() throws {
    let headers = try WebConfig.load(file: Fixtures.path("web/good/web.good-headers.yml")).headers
    #expect(headers["X-Frame-Options"] == "deny")
    #expect(headers["Content-Security-Policy"] == "default-src 'self' *.test.example.net")
    #expect(headers.count == 5)
    let users = try WebConfig.load(file: Fixtures.path("web/good/web.good-users-without-tls.yml")).basicAuthUsers
    #expect(users.keys.sorted() == ["alice", "bob", "carol"])
}

@Test func tlsIsOffWhenOnlyOtherTLSSettingsAreGiven() throws {
    // exporter-toolkit serves plain HTTP unless cert, key, client auth type or client CA is set.
    let config = try WebConfig.parse(
        yaml: "tls_server_config:\n  min_version: TLS13\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
        baseDirectory: ".")
    #expect(!config.tlsEnabled)
}

/// exporter-toolkit's TLS checks that follow reading the YAML, in its order and with its messages.
@Test(arguments: [
    ("cert_file: ''\n  key_file: k", "missing cert_file"),
    ("cert_file: ''\n  key_file: ''\n  client_auth_type: x", "missing cert_file"),
    ("cert_file: c", "missing key_file"),
])
func keyPairMustBeNamed(tls: String, message: String) throws {
    let config = try WebConfig.parse(yaml: "tls_server_config:\n  " + tls + "\n", baseDirectory: ".")
    let error = #expect(throws: ConfigError.self) { try config.tlsServerConfig.checkKeyPairPaths() }
    #expect(error?.description == message)
}

@Test(arguments: [
    ("client_auth_type: x", "Invalid ClientAuth: x"),
    ("client_ca_file: /dev/null", "Client CA's have been configured without a Client Auth Policy"),
    (
        "client_ca_file: /dev/null\n  client_auth_type: NoClientCert",
        "Client CA's have been configured without a Client Auth Policy"
    ),
])
func clientAuthPolicyIsChecked(tls: String, message: String) throws {
    let config = try WebConfig.parse(yaml: "tls_server_config:\n  " + tls + "\n", baseDirectory: ".")
    let error = #expect(throws: ConfigError.self) { try config.tlsServerConfig.clientAuth() }
    #expect(error?.description == message)
}

@Test(arguments: [
    ("", ClientAuthType.noClientCert), ("NoClientCert", .noClientCert), ("RequestClientCert", .requestClientCert),
    ("RequireClientCert", .requireAnyClientCert), ("RequireAnyClientCert", .requireAnyClientCert),
    ("VerifyClientCertIfGiven", .verifyClientCertIfGiven),
    ("RequireAndVerifyClientCert", .requireAndVerifyClientCert),
])
func clientAuthTypesMapAsInExporterToolkit(value: String, policy: ClientAuthType) {
    #expect(ClientAuthType(configValue: value) == policy)
}

@Test func http2WithoutItsRequiredCipherIsRefusedLikeGo() throws {
    let yaml = """
        tls_server_config:
          cert_file: c
          key_file: k
          cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]
          max_version: TLS12
        """
    let config = try WebConfig.parse(yaml: yaml, baseDirectory: ".")
    let error = #expect(throws: ConfigError.self) { try config.checkHTTP2CipherSuites() }
    #expect(error?.description.hasPrefix("http2: TLSConfig.CipherSuites is missing an HTTP/2-required") == true)
    let withoutHTTP2 = try WebConfig.parse(yaml: yaml + "\nhttp_server_config: {http2: false}\n", baseDirectory: ".")
    try withoutHTTP2.checkHTTP2CipherSuites()
}

@Test func bcryptVariantsVerifyAsOneAlgorithm() {
    let hash = "$2y$05$Z21UKtGvrI8YB5e550c0PuLjd0G6uOTRVC1o.nRkGAn2GL6DdBd7O"
    #expect(BcryptHash.normalized(hash) == "$2b$05$Z21UKtGvrI8YB5e550c0PuLjd0G6uOTRVC1o.nRkGAn2GL6DdBd7O")
    #expect(BcryptHash.costError(hash) == nil)
}

@Test func webConfigErrorsNeverShowAHash() throws {
    let hash = "$2y$99$Z21UKtGvrI8YB5e550c0PuLjd0G6uOTRVC1o.nRkGAn2GL6DdBd7O"
    let error = #expect(throws: ConfigError.self) {
        try WebConfig.parse(yaml: "basic_auth_users:\n  alice: '\(hash)'\n", baseDirectory: ".")
    }
    #expect(error?.description == "crypto/bcrypt: cost 99 is outside allowed range (4,31)")
    #expect(error?.detailedDescription.contains("Z21UKtGv") == false)
    let config = try WebConfig.parse(
        yaml: "basic_auth_users:\n  alice: '$2y$05$Z21UKtGvrI8YB5e550c0PuLjd0G6uOTRVC1o.nRkGAn2GL6DdBd7O'\n",
        baseDirectory: ".")
    var dumped = ""
    dump(config, to: &dumped)
    #expect(!"\(config) \(dumped)".contains("Z21UKtGv"))
}
