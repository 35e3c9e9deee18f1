import Testing

@testable import KlaxonEngine

@Test func moduleLoads() {
    _ = KlaxonEngineModule.self
}
