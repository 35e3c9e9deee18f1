import Testing

@testable import KlaxonServer

@Test func moduleLoads() {
    _ = KlaxonServerModule.self
}
