/// `transform` of every element on `jobs` workers, in the elements' order: the advisor's
/// batches, and the per-container work around the advice (fingerprints, the advice cache's
/// JSON). Worker k takes elements k, k + jobs, ….
public func parallelMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], jobs: Int, _ transform: @escaping @Sendable (Element) throws -> Result
) async throws -> [Result] {
    let jobs = max(1, min(jobs, elements.count))
    guard jobs > 1 else { return try elements.map(transform) }
    return try await withThrowingTaskGroup(of: [(Int, Result)].self) { group in
        for worker in 0..<jobs {
            group.addTask { try stride(from: worker, to: elements.count, by: jobs).map { ($0, try transform(elements[$0])) } }
        }
        var ordered = [Result?](repeating: nil, count: elements.count)
        for try await part in group { for (index, result) in part { ordered[index] = result } }
        return ordered.map { $0! }
    }
}
