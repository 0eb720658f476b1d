import CLapack

/// Linear least squares through LAPACK's `dgels` (QR), the routine to prefer over normal
/// equations for ill-conditioned designs such as Fourier terms plus a trend.
public enum LeastSquares {
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let info: Int32
        public var description: String { info > 0 ? "design matrix is rank deficient (dgels info \(info))" : "dgels argument \(-info) is invalid" }
    }

    /// Solves min ‖A·x − b‖ for `A` given column-major (`rows` × `columns`), rows ≥ columns.
    /// Optional `weights` (one per row) turn it into weighted least squares.
    public static func solve(columnMajor a: [Double], rows: Int, columns: Int, rhs b: [Double], weights: [Double]? = nil) throws(Failure) -> [Double] {
        precondition(a.count == rows * columns && b.count == rows && rows >= columns, "dimensions do not match")
        _ = BLASThreads.pinned
        var matrix = a
        var vector = b
        if let weights {
            for column in 0..<columns {
                for row in 0..<rows { matrix[column * rows + row] *= weights[row] }
            }
            for row in 0..<rows { vector[row] *= weights[row] }
        }
        var m = Int32(rows), n = Int32(columns), nrhs: Int32 = 1, lda = Int32(rows), ldb = Int32(rows), info: Int32 = 0
        var trans = CChar(UInt8(ascii: "N"))
        // Workspace query, then the solve.
        var lwork: Int32 = -1
        var optimal = 0.0
        dgels_(&trans, &m, &n, &nrhs, &matrix, &lda, &vector, &ldb, &optimal, &lwork, &info, 1)
        lwork = Int32(max(1, Int(optimal)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgels_(&trans, &m, &n, &nrhs, &matrix, &lda, &vector, &ldb, &work, &lwork, &info, 1)
        guard info == 0 else { throw Failure(info: info) }
        return Array(vector.prefix(columns))
    }
}
