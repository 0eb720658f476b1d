import HeadroomCollect
import Testing

@Suite struct CollectionWindowTests {
    @Test("an explicit start wins over the watermark, the watermark over --since; the end is now less a minute unless given")
    func precedence() {
        let now: Int64 = 1_795_219_200
        #expect(CollectionWindow.resolve(start: 100, end: nil, watermark: 5_000, sinceSeconds: 86_400, now: now)
                == CollectionWindow(start: 100, end: now - 60))
        #expect(CollectionWindow.resolve(start: nil, end: nil, watermark: 5_000, sinceSeconds: 86_400, now: now)
                == CollectionWindow(start: 5_000, end: now - 60))
        #expect(CollectionWindow.resolve(start: nil, end: now - 3_600, watermark: nil, sinceSeconds: 86_400, now: now)
                == CollectionWindow(start: now - 3_600 - 86_400, end: now - 3_600))
    }
}
