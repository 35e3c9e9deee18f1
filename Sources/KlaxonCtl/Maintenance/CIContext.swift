import Foundation
import KlaxonAPIModels

/// Where a maintenance window was opened from: the CI system, the pipeline URL, the commit and who triggered it,
/// read from the environment variables GitHub Actions, GitLab CI, Jenkins and Buildkite set. Outside CI it is the
/// local user.
///
/// Only these well-known, non-secret variables are read; URLs lose any `user:password@` part.
public struct CIContext: Hashable, Sendable {
    /// `GitHub Actions`, `GitLab CI`, `Jenkins`, `Buildkite` or `local`.
    public var system: String
    /// The pipeline (run, build) URL.
    public var pipelineURL: String?
    /// The commit being deployed.
    public var commit: String?
    /// Who triggered the pipeline (or the local user).
    public var actor: String?
    /// The project and job, e.g. `acme/api deploy`.
    public var job: String?

    /// Creates a context.
    public init(
        system: String, pipelineURL: String? = nil, commit: String? = nil, actor: String? = nil, job: String? = nil
    ) {
        self.system = system
        self.pipelineURL = pipelineURL
        self.commit = commit
        self.actor = actor
        self.job = job
    }

    /// Reads the context from an environment dictionary (`ProcessInfo.processInfo.environment` in the CLI).
    public init(environment env: [String: String]) {
        func value(_ names: String...) -> String? {
            for name in names {
                if let v = env[name].map(Self.clean), !v.isEmpty { return v }
            }
            return nil
        }
        if env["GITHUB_ACTIONS"] == "true" {
            var url: String?
            if let server = value("GITHUB_SERVER_URL"), let repo = value("GITHUB_REPOSITORY"),
                let run = value("GITHUB_RUN_ID")
            {
                url = "\(server)/\(repo)/actions/runs/\(run)"
                if let attempt = value("GITHUB_RUN_ATTEMPT"), attempt != "1" { url? += "/attempts/\(attempt)" }
            }
            self.init(
                system: "GitHub Actions", pipelineURL: url, commit: value("GITHUB_SHA"),
                actor: value("GITHUB_TRIGGERING_ACTOR", "GITHUB_ACTOR"),
                job: Self.join(value("GITHUB_REPOSITORY"), value("GITHUB_WORKFLOW"), value("GITHUB_JOB")))
        } else if env["GITLAB_CI"] == "true" {
            self.init(
                system: "GitLab CI", pipelineURL: value("CI_PIPELINE_URL", "CI_JOB_URL"),
                commit: value("CI_COMMIT_SHA"),
                actor: value("GITLAB_USER_LOGIN", "GITLAB_USER_NAME"),
                job: Self.join(value("CI_PROJECT_PATH"), value("CI_JOB_NAME")))
        } else if env["BUILDKITE"] == "true" {
            var url = value("BUILDKITE_BUILD_URL")
            if let jobID = value("BUILDKITE_JOB_ID") { url? += "#\(jobID)" }
            self.init(
                system: "Buildkite", pipelineURL: url, commit: value("BUILDKITE_COMMIT"),
                actor: value("BUILDKITE_BUILD_CREATOR", "BUILDKITE_BUILD_AUTHOR", "BUILDKITE_UNBLOCKER"),
                job: Self.join(value("BUILDKITE_PIPELINE_SLUG"), value("BUILDKITE_LABEL")))
        } else if value("JENKINS_URL") != nil || value("JENKINS_HOME") != nil {
            let number = value("BUILD_NUMBER").map { "#\($0)" }
            self.init(
                system: "Jenkins", pipelineURL: value("BUILD_URL", "RUN_DISPLAY_URL"), commit: value("GIT_COMMIT"),
                actor: value("BUILD_USER_ID", "BUILD_USER", "CHANGE_AUTHOR"),
                job: Self.join(value("JOB_NAME"), number))
        } else {
            self.init(system: "local", actor: value("USER", "LOGNAME"))
        }
        pipelineURL = pipelineURL.map(Self.withoutUserInfo)
    }

    /// One line for the silence comment: `GitHub Actions acme/api deploy https://… commit 0a1b2c3d4e5f by octocat`.
    public var summary: String {
        var parts = ["via \(system)"]
        if let job { parts.append(job) }
        if let pipelineURL { parts.append(pipelineURL) }
        if let commit { parts.append("commit \(commit.prefix(12))") }
        if let actor { parts.append("by \(actor)") }
        return parts.joined(separator: " ")
    }

    /// `klaxonctl-maintenance (<actor>)`, the `createdBy` of every window; `author` overrides the CI actor.
    public func createdBy(author: String? = nil) -> String {
        let who = author.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 } ?? actor ?? "unknown"
        return "\(MaintenanceMarker.createdByPrefix) (\(who))"
    }

    /// Newlines and control characters become spaces, the rest is trimmed and capped, so that a value cannot break
    /// the one-line comment.
    private static func clean(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars { out.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar) }
        let trimmed = String(out).trimmingCharacters(in: .whitespaces)
        return trimmed.count > 300 ? String(trimmed.prefix(300)) : trimmed
    }

    private static func join(_ parts: String?...) -> String? {
        let present = parts.compactMap { $0 }
        return present.isEmpty ? nil : present.joined(separator: " ")
    }

    /// `https://user:token@host/x` → `https://host/x`.
    private static func withoutUserInfo(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let afterScheme = url[scheme.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        guard let at = afterScheme[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + String(afterScheme[afterScheme.index(after: at)...])
    }
}
