import Foundation
import KlaxonCore

/// The binary form of timeline events inside a `history.db` batch row: events one after another, each
/// `[UInt32 body length][body]` so a reader that does not want an event jumps over it.
///
/// Body: varint sequence offset from the row's first sequence, kind (1 byte), time (Float64), fingerprints
/// (varint count, UInt64 each), receiver, labels (varint count, name and value each), integration, group key,
/// outcome (1 byte, 0 for none), status, varint attempt, latency (1 byte flag, then Float64 when present),
/// detail. Strings are a varint byte count and UTF-8. Integers are little-endian.
///
/// The first fields are the ones queries filter on (sequence, kind, time, fingerprints, receiver): a reader
/// checks them before it builds labels and strings.
enum HistoryCodec {
    /// Appends one event with `offset` from its row's first sequence.
    static func append(_ event: HistoryEvent, offset: Int64, to bytes: inout [UInt8]) {
        append(
            offset: offset, kind: event.kind, time: event.time, fingerprints: event.fingerprints,
            receiver: event.receiver, labels: event.labels, to: &bytes
        ) { bytes in
            appendString(event.integration, to: &bytes)
            appendString(event.groupKey, to: &bytes)
            bytes.append(event.outcome.map(outcomeCode) ?? 0)
            appendString(event.status, to: &bytes)
            appendVarint(UInt64(max(0, event.attempt)), to: &bytes)
            if let latency = event.latency {
                bytes.append(1)
                appendFixed(latency.bitPattern, to: &bytes)
            } else {
                bytes.append(0)
            }
            appendString(event.detail, to: &bytes)
        }
    }

    /// Appends an alert change (the event with no integration, group key, outcome, status, attempt, latency or
    /// detail) with `offset` from its row's first sequence.
    static func append(_ change: HistoryBatch.AlertChange, offset: Int64, to bytes: inout [UInt8]) {
        append(
            offset: offset, kind: change.kind, time: change.time, fingerprints: CollectionOfOne(change.fingerprint),
            receiver: "", labels: change.labels, to: &bytes
        ) { bytes in
            // integration, group key, no outcome, status, attempt 0, no latency, detail
            bytes.append(contentsOf: [0, 0, 0, 0, 0, 0, 0])
        }
    }

    private static func append(
        offset: Int64, kind: HistoryEvent.Kind, time: Date, fingerprints: some Collection<Fingerprint>,
        receiver: String, labels: LabelSet, to bytes: inout [UInt8], rest: (inout [UInt8]) -> Void
    ) {
        let lengthAt = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        appendVarint(UInt64(offset), to: &bytes)
        bytes.append(kindCode(kind))
        appendFixed(time.timeIntervalSince1970.bitPattern, to: &bytes)
        appendVarint(UInt64(fingerprints.count), to: &bytes)
        for fingerprint in fingerprints { appendFixed(fingerprint.rawValue, to: &bytes) }
        appendString(receiver, to: &bytes)
        appendVarint(UInt64(labels.count), to: &bytes)
        for label in labels.labels {
            appendString(label.name, to: &bytes)
            appendString(label.value, to: &bytes)
        }
        rest(&bytes)
        let length = UInt32(bytes.count - lengthAt - 4)
        for shift in 0..<4 { bytes[lengthAt + shift] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(shift))) }
    }

    /// The bit of `kind` in a row's kind mask.
    static func kindBit(_ kind: HistoryEvent.Kind) -> Int64 { 1 << Int64(kindCode(kind)) }

    /// The events of a row (its first sequence and blob) that pass `filter`, in order. `filter` sees the
    /// sequence, kind, time, fingerprints and receiver before the rest is decoded. Malformed bytes end the row.
    static func events(
        first: Int64, in blob: UnsafeRawBufferPointer,
        where filter: (
            _ sequence: Int64, _ kind: HistoryEvent.Kind, _ time: Date, _ fingerprints: [Fingerprint],
            _ receiver: String
        ) -> Bool
    ) -> [HistoryEvent] {
        var result: [HistoryEvent] = []
        var reader = Reader(bytes: blob)
        while let length = reader.fixed32() {
            let end = reader.position + Int(length)
            guard end <= blob.count else { break }
            defer { reader.position = end }
            guard let offset = reader.varint(), let kindByte = reader.byte(), let kind = kind(kindByte),
                let timeBits = reader.fixed64(), let count = reader.varint(), count <= UInt64(blob.count)
            else { continue }
            var fingerprints: [Fingerprint] = []
            fingerprints.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let raw = reader.fixed64() else { break }
                fingerprints.append(Fingerprint(raw))
            }
            let sequence = first + Int64(offset)
            let time = Date(timeIntervalSince1970: Double(bitPattern: timeBits))
            guard let receiver = reader.string(),
                filter(sequence, kind, time, fingerprints, receiver),
                let labelCount = reader.varint(), labelCount <= UInt64(blob.count)
            else { continue }
            var labels: [Label] = []
            labels.reserveCapacity(Int(labelCount))
            for _ in 0..<labelCount {
                guard let name = reader.string(), let value = reader.string() else { break }
                labels.append(Label(name: name, value: value))
            }
            guard let integration = reader.string(), let groupKey = reader.string(), let outcomeByte = reader.byte(),
                let status = reader.string(), let attempt = reader.varint(), let hasLatency = reader.byte()
            else { continue }
            var latency: Double?
            if hasLatency == 1 {
                guard let bits = reader.fixed64() else { continue }
                latency = Double(bitPattern: bits)
            }
            guard let detail = reader.string() else { continue }
            result.append(
                HistoryEvent(
                    sequence: sequence, time: time, kind: kind, labels: LabelSet(sorted: labels),
                    fingerprints: fingerprints, receiver: receiver, integration: integration, groupKey: groupKey,
                    outcome: outcome(outcomeByte), status: status, attempt: Int(clamping: attempt), latency: latency,
                    detail: detail))
        }
        return result
    }

    /// The distinct fingerprints of a row's events (for the fingerprint index).
    static func fingerprints(in blob: UnsafeRawBufferPointer) -> Set<UInt64> {
        var result: Set<UInt64> = []
        var reader = Reader(bytes: blob)
        while let length = reader.fixed32() {
            let end = reader.position + Int(length)
            guard end <= blob.count else { break }
            defer { reader.position = end }
            guard reader.varint() != nil, reader.byte() != nil, reader.fixed64() != nil, let count = reader.varint()
            else { continue }
            for _ in 0..<min(count, UInt64(blob.count)) {
                guard let raw = reader.fixed64() else { break }
                result.insert(raw)
            }
        }
        return result
    }

    // MARK: Codes (stored: never renumber)

    private static func kindCode(_ kind: HistoryEvent.Kind) -> UInt8 {
        switch kind {
        case .firing: 1
        case .resolved: 2
        case .silenced: 3
        case .unsilenced: 4
        case .inhibited: 5
        case .uninhibited: 6
        case .muted: 7
        case .notification: 8
        case .silence: 9
        case .reload: 10
        }
    }

    private static func kind(_ code: UInt8) -> HistoryEvent.Kind? {
        HistoryEvent.Kind.allCases.first { kindCode($0) == code }
    }

    private static func outcomeCode(_ outcome: HistoryEvent.Outcome) -> UInt8 {
        switch outcome {
        case .sent: 1
        case .failed: 2
        case .gaveUp: 3
        case .deduplicated: 4
        case .digested: 5
        }
    }

    private static func outcome(_ code: UInt8) -> HistoryEvent.Outcome? {
        HistoryEvent.Outcome.allCases.first { outcomeCode($0) == code }
    }

    // MARK: Primitives

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func appendFixed(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        let utf8 = string.utf8
        appendVarint(UInt64(utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }

    /// Reads the primitives back; every read answers nil past the end.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func fixed32() -> UInt32? {
            guard bytes.count - position >= 4 else { return nil }
            defer { position += 4 }
            return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        }

        mutating func fixed64() -> UInt64? {
            guard bytes.count - position >= 8 else { return nil }
            defer { position += 8 }
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = byte() {
                guard shift < 64 else { return nil }
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func string() -> String? {
            guard let length = varint(), length <= UInt64(bytes.count - position) else { return nil }
            defer { position += Int(length) }
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(length)]), as: UTF8.self)
        }
    }
}
