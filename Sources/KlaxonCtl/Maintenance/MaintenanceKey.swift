import Foundation
import KlaxonAPIModels
import KlaxonCore

/// The key that names a maintenance window. CI derives it from the pipeline (`deploy-acme-1234`); every silence that
/// belongs to the window carries it in a marker at the start of its comment, `[klaxon-maintenance key=KEY]`, and has a
/// `createdBy` that starts with `klaxonctl-maintenance`.
///
/// Keys are restricted to characters that cannot end or fake a marker: letters, digits and `. _ - : / @ + #`, at
/// most ``maximumLength`` of them. A silence belongs to a key only when the whole key between `key=` and `]` is equal,
/// so `deploy-1` never matches a window of `deploy-12`.
public struct MaintenanceKey: Hashable, Sendable, CustomStringConvertible {
    /// The key as given.
    public let rawValue: String

    /// The longest key accepted.
    public static let maximumLength = 128

    /// Validates `text` as a key.
    public init(validating text: String) throws(MaintenanceError) {
        guard !text.isEmpty else {
            throw MaintenanceError(.invalidKey, "the maintenance key is empty; pass --key, e.g. --key deploy-1234")
        }
        guard text.unicodeScalars.count <= Self.maximumLength else {
            throw MaintenanceError(
                .invalidKey,
                "the maintenance key is \(text.unicodeScalars.count) characters long; at most "
                    + "\(Self.maximumLength) are allowed")
        }
        for (offset, scalar) in text.unicodeScalars.enumerated() where !MaintenanceMarker.isAllowed(scalar) {
            let shown = scalar.properties.isWhitespace || scalar.value < 0x20 ? "U+\(hex(scalar))" : "\"\(scalar)\""
            throw MaintenanceError(
                .invalidKey,
                "invalid maintenance key \"\(text)\": character \(shown) at position \(offset + 1) is not allowed; "
                    + "keys may contain only letters, digits and . _ - : / @ + #")
        }
        rawValue = text
    }

    /// The marker that starts the comment of every silence of this window.
    public var marker: String { MaintenanceMarker.markerPrefix + rawValue + "]" }

    /// The key.
    public var description: String { rawValue }

    /// Whether `silence` belongs to this window: its `createdBy` is klaxonctl-maintenance's and its comment's marker
    /// names exactly this key.
    public func marks(_ silence: GettableSilence) -> Bool {
        MaintenanceMarker.windowKey(of: silence) == rawValue
    }
}

private func hex(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
