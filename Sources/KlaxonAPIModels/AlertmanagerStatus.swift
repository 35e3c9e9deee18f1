import Foundation

/// What `GET /api/v2/status` carries (Alertmanager's `alertmanagerStatus`), flattened: the cluster's fields sit
/// beside the configuration, uptime and version.
public struct AlertmanagerStatus: Sendable, Hashable {
    /// Build information (`versionInfo`).
    public struct VersionInfo: Sendable, Hashable {
        /// VCS branch.
        public var branch: String
        /// Build date.
        public var buildDate: String
        /// Build user.
        public var buildUser: String
        /// Toolchain version (`goVersion`).
        public var goVersion: String
        /// VCS revision.
        public var revision: String
        /// Version.
        public var version: String

        /// Creates version info; absent fields are empty.
        public init(
            branch: String = "",
            buildDate: String = "",
            buildUser: String = "",
            goVersion: String = "",
            revision: String = "",
            version: String = ""
        ) {
            self.branch = branch
            self.buildDate = buildDate
            self.buildUser = buildUser
            self.goVersion = goVersion
            self.revision = revision
            self.version = version
        }
    }

    /// One cluster peer (`peerStatus`).
    public struct Peer: Sendable, Hashable {
        /// Peer name.
        public var name: String
        /// `host:port`.
        public var address: String

        /// Creates a peer.
        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// The running configuration re-marshalled to YAML with secrets masked (`config.original`).
    public var configYAML: String
    /// Start time of the process (`uptime`).
    public var uptime: Date
    /// Build information.
    public var versionInfo: VersionInfo
    /// Own peer name (`cluster.name`); empty without clustering (then not rendered, as Go's `omitempty`).
    public var clusterName: String
    /// `cluster.status`: `ready`, `settling` or `disabled`.
    public var clusterStatus: String
    /// `cluster.peers` (the server renders them sorted by name).
    public var peers: [Peer]

    /// Creates a status.
    public init(
        configYAML: String,
        uptime: Date,
        versionInfo: VersionInfo = VersionInfo(),
        clusterName: String = "",
        clusterStatus: String = "disabled",
        peers: [Peer] = []
    ) {
        self.configYAML = configYAML
        self.uptime = uptime
        self.versionInfo = versionInfo
        self.clusterName = clusterName
        self.clusterStatus = clusterStatus
        self.peers = peers
    }
}
