import ArgumentParser
import HeadroomConfig
import HeadroomCore
import HeadroomService
import Logging

/// The service's settings once flags, environment variables and the `--config` file are merged,
/// in that order of precedence, over the defaults. A bad flag or variable is a usage error
/// naming it (exit 2); a bad file value is `FILE:LINE: reason` (exit 1).
struct ServeSettings: Equatable {
    var db: String
    var listen: String
    var host: String
    var port: Int
    var prometheus: String?
    var backfillSeconds: Int64
    var assessIntervalSeconds: Int64
    var collectIntervalSeconds: Int64
    var stalenessSeconds: Int64
    var tokenFile: String?
    var protectMetrics: Bool
    var budgets: String?
    var alerts: String?
    var cluster: String?
    var logFormat: StructuredLogHandler.Format
    var logLevel: Logger.Level

    /// The environment variable that stands for `key` (`assessInterval` → `HEADROOM_SERVE_ASSESS_INTERVAL`).
    static func variable(_ key: String) -> String {
        "HEADROOM_SERVE_" + key.reduce(into: "") { name, character in
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
    }

    /// - Parameters:
    ///   - flags: what the command line gave, by configuration key (nil: not given).
    ///   - file: the `--config` file, if any.
    static func resolve(flags: [String: String], environment: [String: String], file: ServeConfigFile?, defaultDB: String) throws -> ServeSettings {
        func value(_ key: String, flag: String, _ fromFile: String?) -> (text: String, source: String)? {
            if let given = flags[key] { return (given, flag) }
            let name = variable(key)
            if let set = environment[name], !set.isEmpty { return (set, name) }
            return fromFile.map { ($0, "the --config file's \(key)") }
        }
        func duration(_ key: String, flag: String, _ fromFile: String?, default fallback: Int64) throws -> Int64 {
            guard let (text, source) = value(key, flag: flag, fromFile) else { return fallback }
            let seconds: Int64
            do { seconds = try DurationParser.seconds(text) } catch { throw ValidationError("\(source): \(error.description)") }
            guard seconds >= 1 else { throw ValidationError("\(source) must be at least 1s") }
            return seconds
        }

        let listen = value("listen", flag: "--listen", file?.listen) ?? ("127.0.0.1:8080", "")
        guard let address = ListenAddress.parse(listen.text) else { throw ValidationError("\(listen.source) \"\(listen.text)\" is not HOST:PORT") }
        let prometheus = value("prometheus", flag: "--prometheus", file?.prometheus)
        if let prometheus, !(prometheus.text.hasPrefix("http://") || prometheus.text.hasPrefix("https://")) {
            throw ValidationError("\(prometheus.source) must be an http:// or https:// URL, got \"\(prometheus.text)\"")
        }
        let format = value("logFormat", flag: "--log-format", file?.logFormat)
        let logFormat = try format.map { given in
            guard let parsed = StructuredLogHandler.Format(rawValue: given.text) else { throw ValidationError("\(given.source) must be logfmt or json") }
            return parsed
        } ?? .logfmt
        let level = value("logLevel", flag: "--log-level", file?.logLevel)
        let logLevel = try level.map { given in
            guard let parsed = Logger.Level(rawValue: given.text) else {
                throw ValidationError("\(given.source) must be one of \(ServeConfigFile.logLevels.sorted().joined(separator: ", "))")
            }
            return parsed
        } ?? .info
        let protect = value("protectMetrics", flag: "--protect-metrics", file?.protectMetrics.map { $0 ? "true" : "false" })
        guard protect == nil || ["true", "false"].contains(protect!.text) else { throw ValidationError("\(protect!.source) must be true or false") }
        let tokenFile = value("tokenFile", flag: "--token-file", file?.tokenFile)?.text
        let protectMetrics = protect?.text == "true"
        if protectMetrics, tokenFile == nil { throw ValidationError("--protect-metrics needs a token file (--token-file)") }
        return ServeSettings(
            db: flags["db"] ?? environment["HEADROOM_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? file?.db ?? defaultDB,
            listen: listen.text, host: address.host, port: address.port, prometheus: prometheus?.text,
            backfillSeconds: try duration("backfill", flag: "--backfill", file?.backfill, default: 7 * 86_400),
            assessIntervalSeconds: try duration("assessInterval", flag: "--assess-interval", file?.assessInterval, default: 900),
            collectIntervalSeconds: try duration("collectInterval", flag: "--collect-interval", file?.collectInterval, default: 300),
            stalenessSeconds: try duration("staleness", flag: "--staleness", file?.staleness, default: 3_600),
            tokenFile: tokenFile, protectMetrics: protectMetrics,
            budgets: value("budgets", flag: "--budgets", file?.budgets)?.text, alerts: value("alerts", flag: "--alerts", file?.alerts)?.text, cluster: value("cluster", flag: "--cluster", file?.cluster)?.text,
            logFormat: logFormat, logLevel: logLevel)
    }
}
