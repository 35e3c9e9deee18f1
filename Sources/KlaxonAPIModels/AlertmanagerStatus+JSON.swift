import KlaxonGoCompat

extension AlertmanagerStatus: APIJSONEncodable, APIJSONDecodable {
    /// `alertmanagerStatus`: cluster (name when set, peers in the order given, status), config (original),
    /// uptime, versionInfo (branch, buildDate, buildUser, goVersion, revision, version).
    public func encode(to w: inout GoJSONWriter) {
        w.raw("{\"cluster\":{")
        if !clusterName.isEmpty {
            w.raw("\"name\":")
            w.string(clusterName)
            w.raw(UInt8(ascii: ","))
        }
        w.raw("\"peers\":[")
        for (index, peer) in peers.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"address\":")
            w.string(peer.address)
            w.raw(",\"name\":")
            w.string(peer.name)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("],\"status\":")
        w.string(clusterStatus)
        w.raw("},\"config\":{\"original\":")
        w.string(configYAML)
        w.raw("},\"uptime\":")
        w.timeRFC3339Millis(uptime)
        let v = versionInfo
        w.raw(",\"versionInfo\":{\"branch\":")
        w.string(v.branch)
        w.raw(",\"buildDate\":")
        w.string(v.buildDate)
        w.raw(",\"buildUser\":")
        w.string(v.buildUser)
        w.raw(",\"goVersion\":")
        w.string(v.goVersion)
        w.raw(",\"revision\":")
        w.string(v.revision)
        w.raw(",\"version\":")
        w.string(v.version)
        w.raw("}}")
    }

    /// Reads an `alertmanagerStatus`; `config.original` and `uptime` are required.
    public init(jsonObject: Any) throws(APIDecodingError) {
        let s = try JSONObject.object(jsonObject, "status")
        let config = s["config"] as? [String: Any] ?? [:]
        let cluster = s["cluster"] as? [String: Any] ?? [:]
        let peers = ((cluster["peers"] as? [Any]) ?? []).compactMap { any -> Peer? in
            guard let p = any as? [String: Any] else { return nil }
            return Peer(name: p["name"] as? String ?? "", address: p["address"] as? String ?? "")
        }
        let version = s["versionInfo"] as? [String: Any] ?? [:]
        func field(_ key: String) -> String { version[key] as? String ?? "" }
        self.init(
            configYAML: try JSONObject.string(config, "original"), uptime: try JSONObject.date(s, "uptime"),
            versionInfo: VersionInfo(
                branch: field("branch"), buildDate: field("buildDate"), buildUser: field("buildUser"),
                goVersion: field("goVersion"), revision: field("revision"), version: field("version")),
            clusterName: cluster["name"] as? String ?? "", clusterStatus: cluster["status"] as? String ?? "",
            peers: peers)
    }
}
