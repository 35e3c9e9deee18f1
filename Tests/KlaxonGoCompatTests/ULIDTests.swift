import Foundation
import KlaxonGoCompat
import Testing

/// Alertmanager's peer names are oklog/ulid ULIDs; the vectors are the ULID specification's.
@Suite struct ULIDTests {
    @Test func theLowestAndHighestValuesEncodeAsTheSpecificationSays() {
        #expect(ULID.encode([UInt8](repeating: 0, count: 16)) == "00000000000000000000000000")
        #expect(ULID.encode([UInt8](repeating: 0xFF, count: 16)) == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
    }

    @Test func theTimestampIsTheFirstTenCharacters() {
        // The specification's example: 1469918176385 ms is 01ARYZ6S41.
        let ulid = ULID.make(time: Date(timeIntervalSince1970: 1_469_918_176.385))
        #expect(ulid.count == 26)
        #expect(ulid.hasPrefix("01ARYZ6S41"))
    }

    @Test func everyBitReachesItsCharacter() {
        // A single set bit at each position of the last byte and of the byte on the 64-bit boundary.
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes[15] = 1
        #expect(ULID.encode(bytes) == "00000000000000000000000001")
        bytes = [UInt8](repeating: 0, count: 16)
        bytes[7] = 0x01  // bit 64 of the 128: character 13 holds bits 60..64, its top bit
        #expect(ULID.encode(bytes) == "0000000000000G000000000000")
    }
}
