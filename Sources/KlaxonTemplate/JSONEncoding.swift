import KlaxonCore
import KlaxonGoCompat

/// `encoding/json.Marshal` of template values (for `toJson`).
enum JSONEncoding {
    static func encode(_ value: TemplateValue) -> String {
        var out = ""
        write(value, &out)
        return out
    }

    private static func object(_ entries: [(String, TemplateValue)], _ out: inout String) {
        out += "{"
        for (index, entry) in entries.enumerated() {
            if index > 0 { out += "," }
            out += GoJSONWriter.quoted(entry.0)
            out += ":"
            write(entry.1, &out)
        }
        out += "}"
    }

    private static func write(_ value: TemplateValue, _ out: inout String) {
        switch value.storage {
        case .invalid: out += "null"
        case .bool(let bool): out += bool ? "true" : "false"
        case .int(let int): out += String(int)
        case .duration(let nanos): out += String(nanos)
        case .float(let float): out += GoFormat.formatFloatShortest(float)
        case .string(let text): out += GoJSONWriter.quoted(text)
        case .time(let time):
            out += GoJSONWriter.quoted(time.format("2006-01-02T15:04:05.999999999Z07:00"))
        case .strings, .list, .alerts, .pairs:
            out += "["
            for (index, element) in (value.sliceElements ?? []).enumerated() {
                if index > 0 { out += "," }
                write(element, &out)
            }
            out += "]"
        case .map, .kv: object(value.sortedMapEntries ?? [], &out)
        case .pair(let pair): object([("Name", .string(pair.name)), ("Value", .string(pair.value))], &out)
        case .alert(let alert):
            let names = ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"]
            object(Array(zip(names, alert.fieldValues)), &out)
        case .data(let data):
            let names = [
                "receiver", "status", "alerts", "groupLabels", "commonLabels", "commonAnnotations", "externalURL",
            ]
            object(Array(zip(names, data.fieldValues)), &out)
        }
    }
}
