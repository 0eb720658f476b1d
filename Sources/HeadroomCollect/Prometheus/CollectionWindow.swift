/// Where a collection run starts and ends: an explicit start wins, else the source's watermark
/// (resuming exactly where the last run stopped, so nothing is read twice or missed), else
/// `since` back from the end; the end is explicit or `now` less a minute for late scrapes.
public struct CollectionWindow: Sendable, Hashable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Scrapes arrive late: collecting up to `now` would watermark buckets still filling.
    public static let lateScrapeSeconds: Int64 = 60

    public static func resolve(start: Int64?, end: Int64?, watermark: Int64?, sinceSeconds: Int64, now: Int64) -> CollectionWindow {
        let until = end ?? now - lateScrapeSeconds
        return CollectionWindow(start: start ?? watermark ?? until - sinceSeconds, end: until)
    }
}
