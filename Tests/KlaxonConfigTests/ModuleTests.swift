import Testing

@testable import KlaxonConfig

@Test func moduleLoads() {
    _ = KlaxonConfigModule.self
}
