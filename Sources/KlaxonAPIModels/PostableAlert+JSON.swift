import KlaxonCore
import KlaxonGoCompat

extension PostableAlert: APIJSONEncodable {
    /// `postableAlert` as klaxonctl sends it: annotations, endsAt and startsAt when set, generatorURL when not
    /// empty, labels.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"annotations\":")
        w.object(annotations)
        if let endsAt {
            w.raw(",\"endsAt\":")
            w.timeRFC3339Millis(endsAt)
        }
        if let startsAt {
            w.raw(",\"startsAt\":")
            w.timeRFC3339Millis(startsAt)
        }
        if !generatorURL.isEmpty {
            w.raw(",\"generatorURL\":")
            w.string(generatorURL)
        }
        w.raw(",\"labels\":")
        w.object(labels)
        w.raw(UInt8(ascii: "}"))
    }
}
