import KlaxonCore
import KlaxonGoCompat

/// `KlaxonCore.PostableSilence` is the `postableSilence` model: the silence store takes it as the API sends it, so it
/// has one definition in the core and its wire form here.
extension PostableSilence: APIJSONEncodable {
    /// `postableSilence` as klaxonctl sends it: id (omitted when empty, which creates a silence), comment,
    /// createdBy, endsAt, matchers, startsAt.
    public func encode(to w: inout GoJSONWriter) {
        w.raw(UInt8(ascii: "{"))
        if !id.isEmpty {
            w.raw("\"id\":")
            w.string(id)
            w.raw(UInt8(ascii: ","))
        }
        w.raw("\"comment\":")
        w.string(comment)
        w.raw(",\"createdBy\":")
        w.string(createdBy)
        w.raw(",\"endsAt\":")
        w.timeRFC3339Millis(endsAt)
        w.raw(",\"matchers\":")
        matchers.encode(to: &w)
        w.raw(",\"startsAt\":")
        w.timeRFC3339Millis(startsAt)
        w.raw(UInt8(ascii: "}"))
    }
}
