/// The typical cycle of the last few cycles, slot by slot: the median (robust to one odd day),
/// the mean, or a mean that weighs recent cycles more (weights decay^age).
public struct SeasonalProfileForecaster: Forecaster {
    public enum Statistic: Sendable, Hashable {
        case median
        case mean
        case decayingMean(Double)
    }

    public let period: Int
    public let cycles: Int
    public let statistic: Statistic

    public init(period: Int, cycles: Int, statistic: Statistic) {
        self.period = period
        self.cycles = cycles
        self.statistic = statistic
    }

    public var name: String {
        switch statistic {
        case .median: "profile-median(\(cycles)×\(period))"
        case .mean: "profile-mean(\(cycles)×\(period))"
        case .decayingMean(let decay): "profile-decaying(\(cycles)×\(period), \(decay))"
        }
    }

    public var isSeasonal: Bool { true }

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        let available = min(cycles, history.count / period)
        guard available >= 1 else { return LevelForecaster().forecast(history, horizon: horizon) }
        let start = history.count - available * period
        var profile = [Double](repeating: 0, count: period)
        var column = [Double](repeating: 0, count: available)
        for slot in 0..<period {
            for cycle in 0..<available { column[cycle] = history[start + cycle * period + slot] }
            profile[slot] = summarize(column)
        }
        return (0..<horizon).map { profile[$0 % period] }
    }

    private func summarize(_ values: [Double]) -> Double {
        switch statistic {
        case .median:
            return median(values)
        case .mean:
            return values.reduce(0, +) / Double(values.count)
        case .decayingMean(let decay):
            var weighted = 0.0
            var total = 0.0
            var weight = 1.0
            for value in values.reversed() {  // newest first
                weighted += weight * value
                total += weight
                weight *= decay
            }
            return weighted / total
        }
    }
}
