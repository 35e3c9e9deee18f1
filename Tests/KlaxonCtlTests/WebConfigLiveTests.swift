import Foundation
import KlaxonTestSupport
import Testing

/// `klaxon --web.config.file` served for real: TLS from certificates made in the test, bcrypt users from
/// `htpasswd -B`, curl, klaxonctl and amtool 0.25 as clients. exporter-toolkit (what Alertmanager 0.25 serves with)
/// is the reference: every path needs the password, `/-/healthy` included.
@Suite(.serialized, .enabled(if: TestPKI.toolsInstalled, "needs openssl, htpasswd (apache2-utils) and curl"))
struct WebConfigLive {
    private static let password = "correct horse battery staple"

    /// A PKI, a web config with TLS and the user `alice`, and klaxon serving it.
    private func start(_ extra: String = "", tls: String = "", probeWithClientCertificate: Bool = false) throws -> (
        TestPKI, LiveServer
    ) {
        let pki = try TestPKI()
        let hash = try TestPKI.bcryptHash(user: "alice", password: Self.password)
        let web = try pki.write(
            "web.yml",
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
            \(tls)
            basic_auth_users:
              alice: '\(hash)'
            \(extra)
            """)
        do {
            let probe =
                probeWithClientCertificate ? ["--cert", pki.path("client.crt"), "--key", pki.path("client.key")] : []
            let server = try LiveServer.klaxon(arguments: ["--web.config.file=\(web)"]) { port in
                // Any HTTP answer over TLS means it is listening (the answer itself is 401 without a password).
                ((try? curl("https://127.0.0.1:\(port)/-/ready", ["-k"] + probe))?.status ?? 0) != 0
            }
            return (pki, server)
        } catch {
            pki.remove()
            throw error
        }
    }

    /// Runs `body` against a fresh server (see `start`) with its healthy URL and curl options that trust the CA and
    /// carry alice's password; stops the server and removes the PKI afterwards.
    private func withServer(
        _ extra: String = "", tls: String = "", probeWithClientCertificate: Bool = false,
        _ body: (TestPKI, LiveServer, _ healthy: String, _ trusted: [String]) throws -> Void
    ) throws {
        let (pki, server) = try start(extra, tls: tls, probeWithClientCertificate: probeWithClientCertificate)
        defer {
            server.stop()
            pki.remove()
        }
        try body(
            pki, server, "https://127.0.0.1:\(server.port)/-/healthy",
            ["--cacert", pki.path("ca.crt"), "-u", "alice:\(Self.password)"])
    }

    private func httpConfig(_ pki: TestPKI, password: String = password, extra: String = "") throws -> String {
        try pki.write(
            "http-\(UUID().uuidString.prefix(6)).yml",
            """
            basic_auth:
              username: alice
              password: '\(password)'
            tls_config:
              ca_file: \(pki.path("ca.crt"))
            \(extra)
            """)
    }

    @Test func everyPathNeedsTheBcryptPasswordAndAnswers401WithBasicChallenge() throws {
        let (pki, server) = try start("http_server_config:\n  headers:\n    X-Frame-Options: deny")
        defer {
            server.stop()
            pki.remove()
        }
        let base = "https://127.0.0.1:\(server.port)"
        let ca = ["--cacert", pki.path("ca.crt")]
        for path in ["/-/healthy", "/-/ready", "/api/v2/status", "/metrics", "/no/such/page"] {
            let anonymous = try curl(base + path, ca)
            #expect(anonymous.status == 401, "\(path): \(anonymous)")
            #expect(anonymous.headers["www-authenticate"] == "Basic", "\(path)")
            #expect(anonymous.headers["x-frame-options"] == "deny", "\(path)")
            #expect(anonymous.body == "Unauthorized\n", "\(path)")
            let wrong = try curl(base + path, ca + ["-u", "alice:wrong"])
            #expect(wrong.status == 401, "\(path)")
            let stranger = try curl(base + path, ca + ["-u", "mallory:\(Self.password)"])
            #expect(stranger.status == 401, "\(path)")
        }
        let healthy = try curl(base + "/-/healthy", ca + ["-u", "alice:\(Self.password)"])
        #expect(healthy.status == 200)
        #expect(healthy.headers["x-frame-options"] == "deny")
        let missing = try curl(base + "/no/such/page", ca + ["-u", "alice:\(Self.password)"])
        #expect(missing.status == 404)
        // Plain HTTP on the TLS port gets no HTTP answer; a client that does not trust the CA gets none either.
        #expect(try curl("http://127.0.0.1:\(server.port)/-/healthy").status != 200)
        #expect(try curl(base + "/-/healthy", ["-u", "alice:\(Self.password)"]).status == 0)
    }

    @Test func klaxonctlWorksThroughHTTPConfigFileWithTLSAndBasicAuth() throws {
        let (pki, server) = try start()
        defer {
            server.stop()
            pki.remove()
        }
        let url = "--alertmanager.url=https://127.0.0.1:\(server.port)"
        let config = "--http.config.file=\(try httpConfig(pki))"
        let added = try runProcess(
            Binaries.klaxonctl, [url, config, "silence", "add", "alertname=Storm", "-c", "over TLS", "-a", "alice"])
        #expect(added.exitCode == 0, "\(added)")
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = try runProcess(Binaries.klaxonctl, [url, config, "silence", "query", "-q"])
        #expect(query.exitCode == 0, "\(query)")
        #expect(query.stdout.contains(id))
        let alert = try runProcess(Binaries.klaxonctl, [url, config, "alert", "add", "alertname=DiskFull", "sev=crit"])
        #expect(alert.exitCode == 0, "\(alert)")
        let alerts = try runProcess(Binaries.klaxonctl, [url, config, "alert", "query"])
        #expect(alerts.stdout.contains("DiskFull"), "\(alerts)")

        let anonymous = try runProcess(
            Binaries.klaxonctl,
            [
                url,
                "--http.config.file=\(try pki.write("ca-only.yml", "tls_config:\n  ca_file: \(pki.path("ca.crt"))\n"))",
                "silence", "query",
            ])
        #expect(anonymous.exitCode != 0, "\(anonymous)")
        let wrong = try runProcess(
            Binaries.klaxonctl,
            [url, "--http.config.file=\(try httpConfig(pki, password: "wrong"))", "silence", "query"])
        #expect(wrong.exitCode != 0, "\(wrong)")
        #expect(!wrong.stdout.contains(id))
    }

    @Test(.enabled(if: Binaries.amtool != nil, "needs amtool 0.25 (apt-get install prometheus-alertmanager)"))
    func amtoolWorksThroughHTTPConfigFileWithTLSAndBasicAuth() throws {
        let amtool = try #require(Binaries.amtool)
        let (pki, server) = try start()
        defer {
            server.stop()
            pki.remove()
        }
        let url = "--alertmanager.url=https://127.0.0.1:\(server.port)"
        let config = "--http.config.file=\(try httpConfig(pki))"
        let added = try runProcess(amtool, [url, config, "silence", "add", "alertname=Storm", "-c", "amtool over TLS"])
        #expect(added.exitCode == 0, "\(added)")
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = try runProcess(amtool, [url, config, "silence", "query", "-q"])
        #expect(query.exitCode == 0, "\(query)")
        #expect(query.stdout.contains(id), "\(query)")
        let alert = try runProcess(amtool, [url, config, "alert", "add", "alertname=Storm"])
        #expect(alert.exitCode == 0, "\(alert)")
        let alerts = try runProcess(amtool, [url, config, "alert", "query"])
        #expect(alerts.exitCode == 0, "\(alerts)")
        let expire = try runProcess(amtool, [url, config, "silence", "expire", id])
        #expect(expire.exitCode == 0, "\(expire)")
        // amtool's version check reads /api/v2/status through the same credentials.
        let status = try runProcess(amtool, [url, config, "config", "show"])
        #expect(status.exitCode == 0, "\(status)")
        #expect(status.stdout.contains("receiver: default"), "\(status)")

        let wrong = try runProcess(
            amtool, [url, "--http.config.file=\(try httpConfig(pki, password: "wrong"))", "silence", "query"])
        #expect(wrong.exitCode != 0, "\(wrong)")
    }

    @Test func http2IsNegotiatedUnlessTheWebConfigTurnsItOff() throws {
        for (extra, expected) in [("", "2"), ("http_server_config:\n  http2: false", "1.1")] {
            let (pki, server) = try start(extra)
            defer {
                server.stop()
                pki.remove()
            }
            let result = try curl(
                "https://127.0.0.1:\(server.port)/api/v2/status",
                ["--http2", "--cacert", pki.path("ca.crt"), "-u", "alice:\(Self.password)"])
            #expect(result.status == 200, "\(result)")
            #expect(result.httpVersion == expected, "http2 config \(extra.isEmpty ? "default" : extra)")
        }
    }

    @Test func editedUsersAndReplacedCertificatesApplyWithoutARestart() throws {
        let (pki, server) = try start()
        defer {
            server.stop()
            pki.remove()
        }
        let url = "https://127.0.0.1:\(server.port)/-/healthy"
        #expect(try curl(url, ["--cacert", pki.path("ca.crt"), "-u", "alice:\(Self.password)"]).status == 200)

        // exporter-toolkit reads the users on every request: a new password works at once, the old one no more.
        let newHash = try TestPKI.bcryptHash(user: "bob", password: "rotated")
        let web = try String(contentsOfFile: pki.path("web.yml"), encoding: .utf8)
            .replacingOccurrences(of: "  alice:", with: "  bob: '\(newHash)'\n  alice-old:")
        try pki.write("web.yml", web)
        #expect(try curl(url, ["--cacert", pki.path("ca.crt"), "-u", "bob:rotated"]).status == 200)
        #expect(try curl(url, ["--cacert", pki.path("ca.crt"), "-u", "alice:\(Self.password)"]).status == 401)

        // ...and the certificate on every new connection.
        try pki.reissueServerCertificate(ca: "rogue-ca")
        #expect(try curl(url, ["--cacert", pki.path("rogue-ca.crt"), "-u", "bob:rotated"]).status == 200)
        #expect(try curl(url, ["--cacert", pki.path("ca.crt"), "-u", "bob:rotated"]).status == 0)
    }

    @Test func aWebConfigBrokenAfterStartRefusesRequestsUntilItIsFixed() throws {
        // Basic auth without TLS: exporter-toolkit answers 500 while the file does not load.
        let pki = try TestPKI()
        defer { pki.remove() }
        let good = "basic_auth_users:\n  alice: '\(try TestPKI.bcryptHash(user: "alice", password: Self.password))'\n"
        let web = try pki.write("web.yml", good)
        let server = try LiveServer.klaxon(arguments: ["--web.config.file=\(web)"]) { port in
            (try? httpGet(port: port, path: "/-/ready")) == 401
        }
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/-/healthy"
        #expect(try curl(url, ["-u", "alice:\(Self.password)"]).status == 200)
        #expect(try curl(url).status == 401)
        try pki.write("web.yml", "basic_auth_users: [\n")
        let broken = try curl(url, ["-u", "alice:\(Self.password)"])
        #expect(broken.status == 500)
        #expect(broken.body == "Internal Server Error\n")
        try pki.write("web.yml", good)
        #expect(try curl(url, ["-u", "alice:\(Self.password)"]).status == 200)

        // With TLS the new connection's handshake fails instead, as Go's does, until the file loads again.
        try withServer { (pki, _, url, trusted) throws in
            let good = try String(contentsOfFile: pki.path("web.yml"), encoding: .utf8)
            try pki.write(
                "web.yml", good.replacingOccurrences(of: "cert_file: server.crt", with: "cert_file: gone.crt"))
            #expect(try curl(url, trusted).status == 0)
            try pki.write("web.yml", good)
            #expect(try curl(url, trusted).status == 200)
        }
    }

    @Test func clientCertificatesAreVerifiedAgainstTheClientCA() throws {
        let tls = "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt"
        try withServer(tls: tls, probeWithClientCertificate: true) { (pki, server, url, trusted) throws in
            #expect(try curl(url, trusted).status == 0)
            let client = ["--cert", pki.path("client.crt"), "--key", pki.path("client.key")]
            let accepted = try curl(url, trusted + client)
            #expect(accepted.status == 200, "\(accepted)")
            let rogue = ["--cert", pki.path("rogue-client.crt"), "--key", pki.path("rogue-client.key")]
            #expect(try curl(url, trusted + rogue).status == 0)

            // klaxonctl presents its certificate from --http.config.file.
            let config = try httpConfig(
                pki, extra: "  cert_file: \(pki.path("client.crt"))\n  key_file: \(pki.path("client.key"))")
            let query = try runProcess(
                Binaries.klaxonctl,
                [
                    "--alertmanager.url=https://127.0.0.1:\(server.port)", "--http.config.file=\(config)", "silence",
                    "query",
                ])
            #expect(query.exitCode == 0, "\(query)")
        }
    }

    @Test func optionalClientCertificatesMustStillBeValidWhenPresented() throws {
        try withServer(tls: "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt") {
            (pki, _, url, trusted) throws in
            #expect(try curl(url, trusted).status == 200)
            #expect(
                try curl(url, trusted + ["--cert", pki.path("client.crt"), "--key", pki.path("client.key")]).status
                    == 200)
            let rogue = ["--cert", pki.path("rogue-client.crt"), "--key", pki.path("rogue-client.key")]
            #expect(try curl(url, trusted + rogue).status == 0)
        }
    }

    @Test func anyClientCertificateIsEnoughWhenOnlyRequired() throws {
        try withServer(tls: "  client_auth_type: RequireAnyClientCert", probeWithClientCertificate: true) {
            (pki, _, url, trusted) throws in
            #expect(try curl(url, trusted).status == 0)
            let rogue = ["--cert", pki.path("rogue-client.crt"), "--key", pki.path("rogue-client.key")]
            let accepted = try curl(url, trusted + rogue)
            #expect(accepted.status == 200, "\(accepted)")
        }
    }

    @Test func tlsVersionsAndCipherSuitesAreEnforced() throws {
        let tls =
            "  min_version: TLS12\n  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]"
        try withServer(tls: tls) { (_, _, url, trusted) throws in
            #expect(try curl(url, trusted).status == 200)
            #expect(try curl(url, trusted + ["--tlsv1.3"]).status == 0)
            #expect(try curl(url, trusted + ["--ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384"]).status == 0)
            #expect(try curl(url, trusted + ["--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"]).status == 200)
        }
    }

    @Test func curvePreferencesLimitTheKeyExchange() throws {
        try withServer(tls: "  min_version: TLS13\n  curve_preferences: [CurveP384]") { (_, _, url, trusted) throws in
            #expect(try curl(url, trusted + ["--tls-max", "1.2"]).status == 0)
            #expect(try curl(url, trusted + ["--curves", "X25519"]).status == 0)
            #expect(try curl(url, trusted + ["--curves", "P-384"]).status == 200)
        }
    }

    /// Files Alertmanager refuses at start are refused by klaxon at start, with exporter-toolkit's message; when
    /// Alertmanager 0.25 is installed it is run on the same file to check the message.
    @Test func badWebConfigStopsKlaxonAtStartWithExporterToolkitsMessage() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let cases: [(String, String)] = [
            ("tls_server_config:\n  cert_file: server.crt\n", "missing key_file"),
            (
                "tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n",
                "failed to load X509KeyPair: open \(pki.path("nope.crt")): no such file or directory"
            ),
            (
                "tls_server_config:\n  cert_file: server.crt\n  key_file: ca.crt\n",
                "failed to load X509KeyPair: tls: found a certificate rather than a key in the PEM for the private key"
            ),
            (
                "tls_server_config:\n  cert_file: server.crt\n  key_file: ca.key\n",
                "failed to load X509KeyPair: tls: private key does not match public key"
            ),
            (
                "tls_server_config:\n  cert_file: junk.pem\n  key_file: server.key\n",
                "failed to load X509KeyPair: tls: failed to find any PEM data in certificate input"
            ),
            (
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Maybe\n",
                "Invalid ClientAuth: Maybe"
            ),
            (
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n",
                "Client CA's have been configured without a Client Auth Policy"
            ),
            (
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: none.pem\n"
                    + "  client_auth_type: RequireAndVerifyClientCert\n",
                "open \(pki.path("none.pem")): no such file or directory"
            ),
            (
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  max_version: TLS12\n"
                    + "  cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]\n",
                "http2: TLSConfig.CipherSuites is missing an HTTP/2-required AES_128_GCM_SHA256 cipher"
            ),
            (
                "basic_auth_users:\n  alice: plaintext\n",
                "crypto/bcrypt: hashedSecret too short to be a bcrypted password"
            ),
            ("tls_server_config:\n  certfile: server.crt\n", "field certfile not found in type web.TLSConfig"),
        ]
        let alertmanagerConfig = try pki.write("am.yml", LiveServer.minimalConfig)
        try pki.write("junk.pem", "not a certificate\n")
        for (index, (yaml, message)) in cases.enumerated() {
            let web = try pki.write("bad-\(index).yml", yaml)
            let port = try freePort()
            let arguments = [
                "--config.file=\(alertmanagerConfig)", "--storage.path=\(pki.path("data-\(index)"))",
                "--web.listen-address=127.0.0.1:\(port)", "--web.config.file=\(web)",
            ]
            let klaxon = try runProcess(Binaries.klaxon, arguments, timeout: .seconds(30))
            #expect(klaxon.exitCode != 0, "\(yaml)")
            #expect(klaxon.stderr.contains(message), "\(yaml)\n\(klaxon)")
            #expect(!klaxon.stderr.contains("Starting Klaxon"), "\(yaml)")
            if let alertmanager = Binaries.alertmanager {
                let reference = try runProcess(
                    alertmanager, arguments + ["--cluster.listen-address="], timeout: .seconds(30))
                #expect(reference.exitCode != 0, "Alertmanager accepted \(yaml)")
                #expect(reference.stderr.contains(message), "Alertmanager: \(yaml)\n\(reference)")
            }
        }
    }
}
