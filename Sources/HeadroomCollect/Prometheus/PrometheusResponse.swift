import Foundation

/// One series of a matrix result: its labels and its raw samples.
public struct PrometheusSeries: Sendable, Equatable {
    public var labels: [String: String]
    /// (unix seconds, value) in time order; `NaN`/`±Inf` as Prometheus sent them.
    public var samples: [(time: Double, value: Double)]

    public static func == (lhs: PrometheusSeries, rhs: PrometheusSeries) -> Bool {
        lhs.labels == rhs.labels && lhs.samples.elementsEqual(rhs.samples) { $0.time == $1.time && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN)) }
    }
}

/// The envelope of every Prometheus HTTP API answer.
struct PrometheusEnvelope<DataType: Decodable>: Decodable {
    var status: String
    var data: DataType?
    var errorType: String?
    var error: String?
    var warnings: [String]?
}

/// `data` of a query answer: a matrix (range vector or query_range) or a vector.
struct PrometheusQueryData: Decodable {
    var resultType: String
    var result: [PrometheusResultSeries]

    /// Every series with its samples: a matrix's `values`, a vector's single `value`.
    var series: [PrometheusSeries] { result.map(\.series) }
}

struct PrometheusResultSeries: Decodable {
    var metric: [String: String]
    var values: [PrometheusSamplePair]?
    var value: PrometheusSamplePair?

    /// Its labels and samples: a matrix's `values`, a vector's single `value`.
    var series: PrometheusSeries {
        PrometheusSeries(labels: metric, samples: (values ?? []).map { ($0.time, $0.value) } + (value.map { [($0.time, $0.value)] } ?? []))
    }
}

/// `[1712345678.123, "0.5"]`: a time as a number and a value as a string ("NaN", "+Inf" allowed).
struct PrometheusSamplePair: Decodable {
    var time: Double
    var value: Double

    init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        time = try container.decode(Double.self)
        let text = try container.decode(String.self)
        switch text {
        case "NaN": value = .nan
        case "+Inf", "Inf": value = .infinity
        case "-Inf": value = -.infinity
        default:
            guard let parsed = Double(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "sample value \"\(text)\" is not a number")
            }
            value = parsed
        }
    }
}

/// `data` of /api/v1/status/buildinfo.
public struct PrometheusBuildInfo: Decodable, Sendable {
    public var version: String
}
