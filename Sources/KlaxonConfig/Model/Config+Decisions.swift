import KlaxonCore

extension Config {
    /// The inhibition rules as the core decides with them, in configuration order.
    public var coreInhibitRules: [InhibitRule] {
        inhibitRules.map {
            InhibitRule(
                sourceMatchers: Matchers($0.sourceMatchers), targetMatchers: Matchers($0.targetMatchers),
                equal: $0.equal)
        }
    }

    /// The named time intervals (`time_intervals` and `mute_time_intervals`) as the core evaluates them.
    public var namedTimeIntervals: [String: NamedTimeInterval] {
        timeIntervals.reduce(into: [:]) { result, entry in
            result[entry.key] = NamedTimeInterval(name: entry.key, intervals: entry.value.map(\.spec))
        }
    }
}
