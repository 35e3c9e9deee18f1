import Testing

@testable import KlaxonNotify

@Test func moduleLoads() {
    _ = KlaxonNotifyModule.self
}
