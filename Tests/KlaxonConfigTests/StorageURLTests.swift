import Foundation
import KlaxonConfig
import Testing

/// `--storage.url` and `--storage.url-file`: what is accepted, what is refused, and that the password shows nowhere.
@Suite struct StorageURLTests {
    @Test func aFullURLGivesEveryPartAndShowsThePasswordMasked() throws {
        let url = try StorageURL(
            parsing: "postgres://klaxon:p%40ss@db.example:6432/alerts?sslmode=verify-full", environment: [:])
        #expect(url.host == "db.example")
        #expect(url.port == 6432)
        #expect(url.user == "klaxon")
        #expect(url.password?.revealed == "p@ss")
        #expect(url.database == "alerts")
        #expect(url.sslMode == .verifyFull)
        #expect(url.masked == "postgres://klaxon:<secret>@db.example:6432/alerts?sslmode=verify-full")
        for shown in [
            "\(url)", String(reflecting: url),
            {
                var out = ""; dump(url, to: &out); return out
            }(),
        ] {
            #expect(!shown.contains("p@ss") && !shown.contains("p%40ss"), "\(shown)")
        }
    }

    @Test func libpqsDefaultsApplyToWhatTheURLLeavesOut() throws {
        let url = try StorageURL(parsing: "postgresql://klaxon@[::1]", environment: [:])
        #expect(url.host == "::1")
        #expect(url.port == 5432)
        #expect(url.database == "klaxon")
        #expect(url.sslMode == .prefer)
        #expect(url.password == nil)
        #expect(url.masked == "postgres://klaxon@[::1]:5432/klaxon?sslmode=prefer")
    }

    @Test func thePasswordComesFromPGPASSWORDWhenTheURLHasNone() throws {
        let fromEnvironment = try StorageURL(
            parsing: "postgres://klaxon@db/alerts", environment: ["PGPASSWORD": "from-env"])
        #expect(fromEnvironment.password?.revealed == "from-env")
        let fromURL = try StorageURL(
            parsing: "postgres://klaxon:in-url@db/alerts", environment: ["PGPASSWORD": "from-env"])
        #expect(fromURL.password?.revealed == "in-url")
    }

    @Test(arguments: [
        ("sqlite:///var/lib/klaxon.db", "must start with postgres:// or postgresql://"),
        ("postgres://klaxon:hunter2@db:notaport/alerts", "is not a valid URL"),
        ("postgres://klaxon:hunter2@db:70000/alerts", "has an invalid port 70000"),
        ("postgres://:hunter2@db/alerts", "has no user name"),
        ("postgres://klaxon:hunter2@db/alerts?sslmode=allow", #"has sslmode "allow"; supported are disable"#),
        ("postgres://klaxon:hunter2@db/alerts?sslrootcert=x", #"unsupported parameter "sslrootcert""#),
        ("postgres://klaxon:hunter2@db/a/b", "has a path that is not a database name"),
    ])
    func aBadURLIsRefusedWithAMessageThatDoesNotRepeatThePassword(url: String, expected: String) {
        #expect {
            try StorageURL.resolve(url: url, urlFile: nil, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("--storage.url: the URL ") && text.contains(expected) && !text.contains("hunter2")
        }
    }

    @Test func theURLFileIsReadAndBothFlagsAtOnceAreRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("storage-url-\(UUID())")
        try "postgres://klaxon:from-file@db/alerts?sslmode=require\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let url = try #require(try StorageURL.resolve(url: "", urlFile: file.path, environment: [:]))
        #expect(url.password?.revealed == "from-file")
        #expect(url.sslMode == .require)
        #expect(try StorageURL.resolve(url: "", urlFile: "", environment: [:]) == nil)
        #expect(throws: StorageURLError.self) {
            try StorageURL.resolve(url: "postgres://k@db", urlFile: file.path, environment: [:])
        }
        #expect {
            try StorageURL.resolve(url: nil, urlFile: "/nonexistent/klaxon-url", environment: [:])
        } throws: { error in
            "\(error)" == "--storage.url-file: /nonexistent/klaxon-url cannot be read."
        }
    }
}
