import Foundation
import KlaxonTestSupport

/// What curl saw: the status (0 when no HTTP response came), the negotiated HTTP version and the response headers.
struct CurlResult {
    var status: Int
    var httpVersion: String
    var headers: [String: String]
    var body: String
    var stderr: String
}

/// One request with the curl command line (a real TLS and HTTP/2 client).
func curl(_ url: String, _ options: [String] = []) throws -> CurlResult {
    let result = try runProcess(
        URL(fileURLWithPath: "/usr/bin/curl"),
        ["-sS", "--max-time", "10", "-D", "-", "-w", "\n%{http_code} %{http_version}"] + options + [url])
    // "\r\n" is one Character in Swift: normalise it before splitting into lines.
    var lines = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let summary = (lines.popLast() ?? "").split(separator: " ")
    var headers: [String: String] = [:]
    var bodyLines: [String] = []
    var inHeaders = true
    for line in lines {
        if inHeaders {
            if line.isEmpty {
                inHeaders = false
                continue
            }
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
        } else {
            bodyLines.append(line)
        }
    }
    return CurlResult(
        status: summary.first.flatMap { Int($0) } ?? 0, httpVersion: summary.count > 1 ? String(summary[1]) : "",
        headers: headers, body: bodyLines.joined(separator: "\n"), stderr: result.stderr)
}
