import KlaxonCore
import KlaxonGoCompat

extension GoURL {
    /// Alertmanager's message for a URL field that it rejects (`config.URL`: Go's `url.Parse` must succeed, the
    /// scheme be http or https, and the host be set), or nil when the URL is accepted.
    static func validationError(_ raw: String) -> String? {
        switch parse(raw) {
        // Go quotes the whole URL; the userinfo is left out here so that a password never reaches a message.
        case .failure(let error): return "parse \(GoQuote.quote(withoutUserinfo(error.url))): \(error.message)"
        case .success(let url):
            guard url.scheme == "http" || url.scheme == "https" else {
                return "unsupported scheme \(GoQuote.quote(url.scheme)) for URL"
            }
            guard !url.host.isEmpty else { return "missing host for URL" }
            return nil
        }
    }
}
