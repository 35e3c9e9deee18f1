import Testing

@testable import KlaxonCtl

@Test func moduleLoads() {
    _ = KlaxonCtlModule.self
}
