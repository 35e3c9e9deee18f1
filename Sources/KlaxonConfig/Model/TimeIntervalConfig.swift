import Foundation
import KlaxonCore

/// One entry of a named time interval as the config holds it: the core's `TimeIntervalSpec` (parsed and validated
/// by the core's parser, the one `TimeIntervalSpec.contains` is tested against) and the `location` as written, which
/// the masked config (`/api/v2/status`) prints back as Alertmanager does (`Local` stays `Local`).
public struct TimeIntervalConfig: Sendable, Hashable {
    /// The entry as the core evaluates it. A field absent (or null) in the YAML is `nil` and matches every instant; a
    /// present but empty list matches none, as in Alertmanager 0.25.
    public var spec: TimeIntervalSpec
    /// `location` as Alertmanager prints it back (`time.Location.String()`); nil when absent.
    public var location: String?

    /// Creates an entry.
    public init(spec: TimeIntervalSpec = TimeIntervalSpec(), location: String? = nil) {
        self.spec = spec
        self.location = location
    }
}
