import KlaxonGoCompat

/// Fields and methods of Alertmanager's data model types and of `time.Time`, as templates reach them.
enum Methods {
    static func field(named name: String, on receiver: TemplateValue) -> TemplateValue? {
        switch receiver.storage {
        case .data(let data):
            switch name {
            case "Receiver": return .string(data.receiver)
            case "Status": return .string(data.status)
            case "Alerts": return TemplateValue(storage: .alerts(data.alerts, named: true))
            case "GroupLabels": return .kv(data.groupLabels)
            case "CommonLabels": return .kv(data.commonLabels)
            case "CommonAnnotations": return .kv(data.commonAnnotations)
            case "ExternalURL": return .string(data.externalURL)
            default: return nil
            }
        case .alert(let alert):
            switch name {
            case "Status": return .string(alert.status)
            case "Labels": return .kv(alert.labels)
            case "Annotations": return .kv(alert.annotations)
            case "StartsAt": return .time(TemplateTime(date: alert.startsAt))
            case "EndsAt": return .time(TemplateTime(date: alert.endsAt))
            case "GeneratorURL": return .string(alert.generatorURL)
            case "Fingerprint": return .string(alert.fingerprint)
            default: return nil
            }
        case .pair(let pair):
            switch name {
            case "Name": return .string(pair.name)
            case "Value": return .string(pair.value)
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func constant(_ value: TemplateValue) -> TemplateFunction {
        TemplateFunction([]) { _ in value }
    }

    static func method(named name: String, on receiver: TemplateValue) -> TemplateFunction? {
        switch receiver.storage {
        case .alerts(let alerts, named: true):
            switch name {
            case "Firing":
                return constant(
                    TemplateValue(
                        storage: .alerts(
                            alerts.filter { $0.status == "firing" },
                            named: false)))
            case "Resolved":
                return constant(
                    TemplateValue(
                        storage: .alerts(
                            alerts.filter { $0.status == "resolved" },
                            named: false)))
            default: return nil
            }
        case .kv(let kv):
            switch name {
            case "SortedPairs": return constant(TemplateValue(storage: .pairs(kv.sortedPairs())))
            case "Names": return constant(.strings(kv.names()))
            case "Values": return constant(.strings(kv.values()))
            case "Remove":
                return TemplateFunction([.strings]) { args in
                    guard case .strings(let names) = args[0].storage else { return .kv(kv) }
                    return .kv(kv.removing(names))
                }
            default: return nil
            }
        case .pairs(let pairs):
            switch name {
            case "Names": return constant(.strings(pairs.map(\.name)))
            case "Values": return constant(.strings(pairs.map(\.value)))
            default: return nil
            }
        case .time(let time):
            return timeMethod(name, time)
        case .duration(let nanos):
            switch name {
            case "String": return constant(.string(GoDuration(nanoseconds: nanos).description))
            case "Seconds": return constant(.float(Double(nanos) / 1e9))
            case "Minutes": return constant(.float(Double(nanos) / 6e10))
            case "Hours": return constant(.float(Double(nanos) / 3.6e12))
            case "Milliseconds": return constant(.int(Int(nanos / 1_000_000)))
            case "Nanoseconds": return constant(.int(Int(nanos)))
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func timeMethod(_ name: String, _ time: TemplateTime) -> TemplateFunction? {
        let fields = time.fields
        switch name {
        case "String": return constant(.string(time.description))
        case "Unix": return constant(.int(Int(time.seconds)))
        case "UnixMilli": return constant(.int(Int(time.seconds) * 1000 + Int(time.nanoseconds) / 1_000_000))
        case "UnixNano": return constant(.int(Int(time.seconds) * 1_000_000_000 + Int(time.nanoseconds)))
        case "UTC": return constant(.time(time.utc))
        case "IsZero": return constant(.bool(time.isZero))
        case "Year": return constant(.int(fields.date.year))
        case "Day": return constant(.int(fields.date.day))
        case "Hour": return constant(.int(fields.hour))
        case "Minute": return constant(.int(fields.minute))
        case "Second": return constant(.int(fields.second))
        case "Nanosecond": return constant(.int(Int(time.nanoseconds)))
        case "YearDay": return constant(.int(fields.yearDay))
        case "Format":
            return TemplateFunction([.string]) { args in
                guard case .string(let layout) = args[0].storage else { return .null }
                return .string(time.format(layout))
            }
        case "Before", "After", "Equal":
            return TemplateFunction([.time]) { args in
                guard case .time(let other) = args[0].storage else { return .null }
                let lhs = (time.seconds, time.nanoseconds)
                let rhs = (other.seconds, other.nanoseconds)
                switch name {
                case "Before": return .bool(lhs < rhs)
                case "After": return .bool(lhs > rhs)
                default: return .bool(lhs == rhs)
                }
            }
        default:
            return nil
        }
    }
}
