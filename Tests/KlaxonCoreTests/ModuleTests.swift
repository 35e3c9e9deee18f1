import Testing

@testable import KlaxonCore

@Test func moduleLoads() {
    _ = KlaxonCoreModule.self
}
