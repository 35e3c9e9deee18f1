import Testing

@testable import KlaxonTemplate

@Test func moduleLoads() {
    _ = KlaxonTemplateModule.self
}
