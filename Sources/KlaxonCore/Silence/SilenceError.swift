/// Why a silence could not be set or expired.
///
/// `description` is the exact string Alertmanager 0.25 puts in the HTTP response body:
/// - `POST /silences`, 400: `Failed to create silence: start time must be before end time`,
///   `Failed to create silence: end time can't be in the past`, `silence invalid: <reason>`;
/// - `POST /silences` with an unknown `id`: 404 `silence not found`;
/// - `DELETE /silence/{id}` with an unknown ID: 500 `silence not found` in 0.25 (404 from 0.26).
///
/// `message` is the store's own wording, without the HTTP handler's `Failed to create silence: ` prefix.
public struct SilenceError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case startNotBeforeEnd
        case endInPast
        case invalid(String)
        case notFound
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// `startsAt >= endsAt`.
    public static let startNotBeforeEnd = SilenceError(.startNotBeforeEnd)
    /// `endsAt < now`.
    public static let endInPast = SilenceError(.endInPast)
    /// The ID is unknown.
    public static let notFound = SilenceError(.notFound)

    /// The silence failed validation; `reason` follows `silence invalid: `.
    public static func invalid(_ reason: String) -> SilenceError { SilenceError(.invalid(reason)) }

    /// Whether the silence ID was unknown (HTTP 404 for POST, 500 in 0.25 for DELETE).
    public var isNotFound: Bool { kind == .notFound }

    /// The message without the HTTP handler prefix.
    public var message: String {
        switch kind {
        case .startNotBeforeEnd: "start time must be before end time"
        case .endInPast: "end time can't be in the past"
        case .invalid(let reason): "silence invalid: \(reason)"
        case .notFound: "silence not found"
        }
    }

    /// The exact HTTP response body text of Alertmanager 0.25 (before JSON string encoding).
    public var description: String {
        switch kind {
        case .startNotBeforeEnd, .endInPast: "Failed to create silence: \(message)"
        case .invalid, .notFound: message
        }
    }
}
