import Foundation
import KlaxonCore
import KlaxonGoCompat
import Yams

extension AccessConfig {
    /// Reads and validates an access file.
    public static func load(file: String) throws(ConfigError) -> AccessConfig {
        try parse(yaml: Config.readFile(file))
    }

    /// Parses access-file text; unknown keys and wrong types are reported as yaml.v2 reports them for
    /// alertmanager.yml, other problems with the principal or tenant they concern.
    public static func parse(yaml: String) throws(ConfigError) -> AccessConfig {
        let root: Node?
        do {
            root = try Parser(yaml: yaml).nextRoot()
        } catch {
            throw Config.syntaxError(
                error, yamlText: yaml,
                structType: { parent in
                    ["principals": "access.Principal", "tenants": "access.Tenant", "limits": "access.Limits"][parent]
                        ?? "access.Config"
                }, mapKeys: [])
        }
        let decoder = ConfigDecoder(baseDirectory: "")
        guard let root, !decoder.isNull(YNode(node: root, path: "")) else { return AccessConfig() }
        let config = try decoder.decodeAccess(YNode(node: root, path: ""))
        if let error = decoder.unmarshalError() { throw error }
        return config ?? AccessConfig()
    }
}

extension ConfigDecoder {
    fileprivate func decodeAccess(_ n: YNode) throws(ConfigError) -> AccessConfig? {
        let before = typeErrorCount
        guard let f = fields(n, known: ["tenant_label", "principals", "tenants"], goType: "access.Config") else {
            return nil
        }
        var config = AccessConfig(tenantLabel: f.string("tenant_label"))
        var entries: [(AccessConfig.Entry, YNode)] = []
        for item in sequence(f["principals"], goType: "[]access.Principal") ?? [] {
            if let entry = try decodePrincipal(item) { entries.append((entry, item)) }
        }
        var limits: [(String, TenantLimits, YNode)] = []
        for item in sequence(f["tenants"], goType: "[]access.Tenant") ?? [] {
            if let tenant = try decodeTenant(item) { limits.append((tenant.0, tenant.1, item)) }
        }
        guard typeErrorCount == before else { return nil }

        if let label = config.tenantLabel, !LabelName.isValid(label) {
            throw f.error("\(GoQuote.quote(label)) is not a valid label name", at: "tenant_label")
        }
        var names: Set<String> = []
        var digests: Set<[UInt8]> = []
        for (entry, node) in entries {
            let name = entry.principal.name
            guard names.insert(name).inserted else {
                throw error("duplicate principal name \(GoQuote.quote(name))", at: node)
            }
            if let digest = entry.bearerTokenSHA256, !digests.insert(digest).inserted {
                throw error(
                    "principal \(GoQuote.quote(name)): the same bearer token is given to another principal", at: node)
            }
        }
        config.entries = entries.map(\.0)
        for (name, tenantLimits, node) in limits {
            guard config.limits[name] == nil else {
                throw error("duplicate tenant \(GoQuote.quote(name))", at: node)
            }
            config.limits[name] = tenantLimits
        }
        return config
    }

    private func decodePrincipal(_ n: YNode) throws(ConfigError) -> AccessConfig.Entry? {
        let before = typeErrorCount
        let keys = ["name", "role", "tenants", "bearer_token_sha256"]
        guard let f = fields(n, known: keys, goType: "access.Principal") else { return nil }
        let name = f.string("name") ?? ""
        let roleText = f.string("role") ?? ""
        let tenants = f.stringList("tenants") ?? []
        let digestText = f.string("bearer_token_sha256")
        guard typeErrorCount == before else { return nil }

        if name.isEmpty { throw f.error("missing name in principal") }
        let quoted = GoQuote.quote(name)
        guard let role = Role(rawValue: roleText) else {
            let known = "admin, tenant-admin, viewer or sender"
            let problem = roleText.isEmpty ? "missing role" : "unknown role \(GoQuote.quote(roleText))"
            throw f.error("principal \(quoted): \(problem) (one of \(known))", at: roleText.isEmpty ? nil : "role")
        }
        if role == .admin, !tenants.isEmpty {
            throw f.error("principal \(quoted): an admin acts in every tenant; remove its tenants", at: "tenants")
        }
        if role != .admin, tenants.isEmpty {
            throw f.error("principal \(quoted): role \(role.rawValue) needs at least one tenant in tenants")
        }
        if let empty = tenants.firstIndex(of: "") {
            throw f.error("principal \(quoted): tenants[\(empty)] is empty", at: "tenants")
        }
        var digest: [UInt8]?
        if let digestText {
            guard let bytes = GoHex.decode(digestText), bytes.count == 32 else {
                throw f.error(
                    "principal \(quoted): bearer_token_sha256 must be 64 hexadecimal digits (the SHA-256 of the token)",
                    at: "bearer_token_sha256")
            }
            digest = bytes
        }
        return AccessConfig.Entry(
            principal: Principal(name: name, role: role, tenants: Set(tenants)), bearerTokenSHA256: digest)
    }

    private func decodeTenant(_ n: YNode) throws(ConfigError) -> (String, TenantLimits)? {
        let before = typeErrorCount
        guard let f = fields(n, known: ["name", "limits"], goType: "access.Tenant") else { return nil }
        let name = f.string("name") ?? ""
        var limits = TenantLimits()
        let keys = ["max_active_alerts", "max_silences", "max_notifications_per_minute"]
        if let l = fields(f["limits"], known: keys, goType: "access.Limits") {
            limits.maxActiveAlerts = int(l["max_active_alerts"])
            limits.maxSilences = int(l["max_silences"])
            limits.maxNotificationsPerMinute = int(l["max_notifications_per_minute"])
            guard typeErrorCount == before else { return nil }
            for key in keys {
                if let value = int(l[key]), value < 1 {
                    throw l.error(
                        "tenant \(GoQuote.quote(name)): \(key) must be at least 1 (leave it out for no limit)", at: key)
                }
            }
        }
        guard typeErrorCount == before else { return nil }
        if name.isEmpty { throw f.error("missing name in tenant") }
        return (name, limits)
    }
}
