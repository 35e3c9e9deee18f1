import KlaxonCore
import KlaxonGoCompat

extension GettableAlert: APIJSONEncodable, APIJSONDecodable {
    /// `gettableAlert`: annotations, endsAt, fingerprint, receivers, startsAt, status (inhibitedBy, silencedBy,
    /// state), updatedAt, generatorURL (omitted when empty), labels; maps with sorted keys.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"annotations\":")
        w.object(annotations)
        w.raw(",\"endsAt\":")
        w.timeRFC3339Millis(endsAt)
        w.raw(",\"fingerprint\":")
        w.string(fingerprint)
        w.raw(",\"receivers\":")
        receivers.map(Receiver.init(name:)).encode(to: &w)
        w.raw(",\"startsAt\":")
        w.timeRFC3339Millis(startsAt)
        w.raw(",\"status\":{\"inhibitedBy\":")
        w.stringArray(inhibitedBy)
        w.raw(",\"silencedBy\":")
        w.stringArray(silencedBy)
        w.raw(",\"state\":")
        w.string(state?.rawValue ?? "")
        w.raw("},\"updatedAt\":")
        w.timeRFC3339Millis(updatedAt)
        if !generatorURL.isEmpty {
            w.raw(",\"generatorURL\":")
            w.string(generatorURL)
        }
        w.raw(",\"labels\":")
        w.object(labels)
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads a `gettableAlert`; the times are required, an unknown state reads as nil.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let a = try JSONObject.object(jsonObject, "alert")
        let status = a["status"] as? [String: Any] ?? [:]
        let receivers = ((a["receivers"] as? [Any]) ?? []).compactMap { try? Receiver(jsonObject: $0).name }
        self.init(
            labels: JSONObject.labelSet(a["labels"]), annotations: JSONObject.labelSet(a["annotations"]),
            startsAt: try JSONObject.date(a, "startsAt"), endsAt: try JSONObject.date(a, "endsAt"),
            updatedAt: try JSONObject.date(a, "updatedAt"),
            fingerprint: try JSONObject.string(a, "fingerprint", default: ""), receivers: receivers,
            generatorURL: a["generatorURL"] as? String ?? "",
            state: AlertState(rawValue: try JSONObject.string(status, "state", default: "")),
            silencedBy: JSONObject.strings(status["silencedBy"]), inhibitedBy: JSONObject.strings(status["inhibitedBy"])
        )
    }
}

extension AlertGroup: APIJSONEncodable, APIJSONDecodable {
    /// `alertGroup`: alerts (in the order given), labels, receiver.
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"alerts\":")
        alerts.encode(to: &w)
        w.raw(",\"labels\":")
        w.object(labels)
        w.raw(",\"receiver\":")
        Receiver(name: receiver).encode(to: &w)
        w.raw(UInt8(ascii: "}"))
    }

    /// Reads an `alertGroup`.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let g = try JSONObject.object(jsonObject, "group")
        var alerts: [GettableAlert] = []
        for item in try JSONObject.array(g["alerts"], "alerts") { alerts.append(try GettableAlert(jsonObject: item)) }
        self.init(
            labels: JSONObject.labelSet(g["labels"]), receiver: try Receiver(jsonObject: g["receiver"] as Any).name,
            alerts: alerts)
    }
}
