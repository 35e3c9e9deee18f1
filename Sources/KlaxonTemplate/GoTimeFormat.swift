import Foundation

/// Go's reference-time layouts (`2006-01-02 15:04:05.999999999 -0700 MST`) for formatting times.
enum GoTimeFormat {
    private static let longMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(_ time: TemplateTime, layout: String) -> String {
        let civil = time.civil
        let src = Array(layout.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(src.count + 10)
        var i = 0
        func has(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            guard i + bytes.count <= src.count else { return false }
            return Array(src[i..<i + bytes.count]) == bytes
        }
        func put(_ text: String) { out.append(contentsOf: Array(text.utf8)) }
        func pad(_ value: Int, _ width: Int, _ fill: UInt8 = 48) {
            let digits = Array(String(value).utf8)
            if digits.count < width { out.append(contentsOf: [UInt8](repeating: fill, count: width - digits.count)) }
            out.append(contentsOf: digits)
        }
        func zone(colon: Bool, seconds: Bool, hoursOnly: Bool, zulu: Bool) {
            if zulu && time.utcOffset == 0 {
                out.append(90)
                return
            }
            var offset = time.utcOffset
            out.append(offset < 0 ? 45 : 43)
            offset = abs(offset)
            pad(offset / 3600, 2)
            if hoursOnly { return }
            if colon { out.append(58) }
            pad(offset % 3600 / 60, 2)
            if seconds {
                if colon { out.append(58) }
                pad(offset % 60, 2)
            }
        }
        let hour12 = civil.hour % 12 == 0 ? 12 : civil.hour % 12
        while i < src.count {
            let c = src[i]
            switch c {
            case UInt8(ascii: "J") where has("January"):
                put(longMonths[civil.month - 1]); i += 7
            case UInt8(ascii: "J") where has("Jan"):
                put(String(longMonths[civil.month - 1].prefix(3))); i += 3
            case UInt8(ascii: "M") where has("Monday"):
                put(longDays[civil.weekday]); i += 6
            case UInt8(ascii: "M") where has("Mon"):
                put(String(longDays[civil.weekday].prefix(3))); i += 3
            case UInt8(ascii: "M") where has("MST"):
                if time.zoneName.isEmpty {
                    zone(colon: false, seconds: false, hoursOnly: false, zulu: false)
                } else {
                    put(time.zoneName)
                }
                i += 3
            case UInt8(ascii: "0") where has("002"):
                pad(civil.yearDay, 3); i += 3
            case UInt8(ascii: "0") where has("01"): pad(civil.month, 2); i += 2
            case UInt8(ascii: "0") where has("02"): pad(civil.day, 2); i += 2
            case UInt8(ascii: "0") where has("03"): pad(hour12, 2); i += 2
            case UInt8(ascii: "0") where has("04"): pad(civil.minute, 2); i += 2
            case UInt8(ascii: "0") where has("05"): pad(civil.second, 2); i += 2
            case UInt8(ascii: "0") where has("06"): pad(civil.year % 100, 2); i += 2
            case UInt8(ascii: "1") where has("15"): pad(civil.hour, 2); i += 2
            case UInt8(ascii: "1"): put(String(civil.month)); i += 1
            case UInt8(ascii: "2") where has("2006"): pad(civil.year, 4); i += 4
            case UInt8(ascii: "2"): put(String(civil.day)); i += 1
            case UInt8(ascii: "_") where has("_2006"): put("_"); pad(civil.year, 4); i += 5
            case UInt8(ascii: "_") where has("__2"): pad(civil.yearDay, 3, 32); i += 3
            case UInt8(ascii: "_") where has("_2"): pad(civil.day, 2, 32); i += 2
            case UInt8(ascii: "3"): put(String(hour12)); i += 1
            case UInt8(ascii: "4"): put(String(civil.minute)); i += 1
            case UInt8(ascii: "5"): put(String(civil.second)); i += 1
            case UInt8(ascii: "P") where has("PM"): put(civil.hour >= 12 ? "PM" : "AM"); i += 2
            case UInt8(ascii: "p") where has("pm"): put(civil.hour >= 12 ? "pm" : "am"); i += 2
            case UInt8(ascii: "-") where has("-070000"):
                zone(colon: false, seconds: true, hoursOnly: false, zulu: false); i += 7
            case UInt8(ascii: "-") where has("-07:00:00"):
                zone(colon: true, seconds: true, hoursOnly: false, zulu: false); i += 9
            case UInt8(ascii: "-") where has("-0700"):
                zone(colon: false, seconds: false, hoursOnly: false, zulu: false); i += 5
            case UInt8(ascii: "-") where has("-07:00"):
                zone(colon: true, seconds: false, hoursOnly: false, zulu: false); i += 6
            case UInt8(ascii: "-") where has("-07"):
                zone(colon: false, seconds: false, hoursOnly: true, zulu: false); i += 3
            case UInt8(ascii: "Z") where has("Z070000"):
                zone(colon: false, seconds: true, hoursOnly: false, zulu: true); i += 7
            case UInt8(ascii: "Z") where has("Z07:00:00"):
                zone(colon: true, seconds: true, hoursOnly: false, zulu: true); i += 9
            case UInt8(ascii: "Z") where has("Z0700"):
                zone(colon: false, seconds: false, hoursOnly: false, zulu: true); i += 5
            case UInt8(ascii: "Z") where has("Z07:00"):
                zone(colon: true, seconds: false, hoursOnly: false, zulu: true); i += 6
            case UInt8(ascii: "Z") where has("Z07"):
                zone(colon: false, seconds: false, hoursOnly: true, zulu: true); i += 3
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard i + 1 < src.count, src[i + 1] == 48 || src[i + 1] == 57 else {
                    out.append(c); i += 1
                    continue
                }
                let digit = src[i + 1]
                var j = i + 1
                while j < src.count && src[j] == digit { j += 1 }
                if j < src.count && src[j] >= 48 && src[j] <= 57 {
                    out.append(c); i += 1
                    continue
                }
                let width = min(j - i - 1, 9)
                var fraction = Array(String(format: "%09d", Int(time.nanoseconds)).utf8).prefix(width)
                if digit == 57 {
                    while let last = fraction.last, last == 48 { fraction.removeLast() }
                    if !fraction.isEmpty {
                        out.append(c)
                        out.append(contentsOf: fraction)
                    }
                } else {
                    out.append(c)
                    out.append(contentsOf: fraction)
                }
                i = j
            default:
                out.append(c); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
