import Testing

@testable import KlaxonStorage

@Test func moduleLoads() {
    _ = KlaxonStorageModule.self
}
