import HeadroomCore

/// `headroom serve --config FILE`: the service's settings in one YAML file
/// (`models/serve/serve.example.yaml`). Every key is optional; a flag, then its environment
/// variable (`HEADROOM_SERVE_<KEY>`, `HEADROOM_DB` for the store), then the file, then the
/// built-in default decide each setting. Values are checked here, so a mistake is reported as
/// `FILE:LINE: reason` before the service starts.
public struct ServeConfigFile: Sendable, Equatable {
    public var db: String?
    public var listen: String?
    public var prometheus: String?
    public var backfill: String?
    public var assessInterval: String?
    public var collectInterval: String?
    public var staleness: String?
    public var tokenFile: String?
    public var protectMetrics: Bool?
    public var budgets: String?
    /// Alert rule file: evaluated and delivered after every good cycle.
    public var alerts: String?
    public var cluster: String?
    public var logFormat: String?
    public var logLevel: String?

    public init() {}

    static let keys: Set<String> = ["db", "listen", "prometheus", "backfill", "assessInterval", "collectInterval", "staleness", "tokenFile", "protectMetrics",
                                    "budgets", "alerts", "cluster", "log"]
    public static let logFormats: Set<String> = ["logfmt", "json"]
    public static let logLevels: Set<String> = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public static func load(_ path: String) throws(ConfigError) -> ServeConfigFile {
        try parse(try LocatedYAML.load(path))
    }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> ServeConfigFile {
        var file = ServeConfigFile()
        for (key, value) in try document.mapping(allowed: keys, what: "the serve configuration") {
            switch key {
            case "db": file.db = try value.string(what: "db")
            case "listen":
                let text = try value.string(what: "listen")
                guard ListenAddress.parse(text) != nil else { throw value.fail("listen \"\(text)\" is not HOST:PORT") }
                file.listen = text
            case "prometheus":
                let text = try value.string(what: "prometheus")
                guard text.hasPrefix("http://") || text.hasPrefix("https://") else { throw value.fail("prometheus must be an http:// or https:// URL, got \"\(text)\"") }
                file.prometheus = text
            case "backfill": file.backfill = try duration(value, "backfill")
            case "assessInterval": file.assessInterval = try duration(value, "assessInterval")
            case "collectInterval": file.collectInterval = try duration(value, "collectInterval")
            case "staleness": file.staleness = try duration(value, "staleness")
            case "tokenFile": file.tokenFile = try value.string(what: "tokenFile")
            case "protectMetrics":
                guard let flag = value.node.bool else { throw value.fail("protectMetrics must be true or false") }
                file.protectMetrics = flag
            case "budgets": file.budgets = try value.string(what: "budgets")
            case "alerts": file.alerts = try value.string(what: "alerts")
            case "cluster": file.cluster = try value.string(what: "cluster")
            case "log":
                for (logKey, logValue) in try value.mapping(allowed: ["format", "level"], what: "log") {
                    let text = try logValue.string(what: "log.\(logKey)")
                    let allowed = logKey == "format" ? logFormats : logLevels
                    guard allowed.contains(text) else { throw logValue.fail("log.\(logKey) \"\(text)\" is not one of \(allowed.sorted().joined(separator: ", "))") }
                    if logKey == "format" { file.logFormat = text } else { file.logLevel = text }
                }
            default: break
            }
        }
        return file
    }

    /// A duration of at least one second, as the flags take it (`15m`, `1h`, `7d`).
    private static func duration(_ value: LocatedYAML, _ key: String) throws(ConfigError) -> String {
        let text = try value.string(what: key)
        let seconds: Int64
        do { seconds = try DurationParser.seconds(text) } catch { throw value.fail("\(key): \(error.description)") }
        guard seconds >= 1 else { throw value.fail("\(key) must be at least 1s") }
        return text
    }
}

/// `HOST:PORT` as `--listen` and the configuration take it; IPv6 hosts in brackets.
public enum ListenAddress {
    public static func parse(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
