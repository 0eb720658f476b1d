import CLapack

/// Linear least squares by Householder QR (LAPACK `dgeqrf`, `dormqr`, `dtrtrs`), the method to
/// prefer over normal equations for ill-conditioned designs such as Fourier terms plus a trend.
/// These are the steps `dgels` takes, without its `dlange` norm scans (one call per matrix element
/// in the reference LAPACK, ~10 % of forecasting time) that only matter for values near overflow.
public enum LeastSquares {
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let routine: String
        public let info: Int32
        public var description: String {
            info > 0 ? "design matrix is rank deficient (\(routine) info \(info))" : "\(routine) argument \(-info) is invalid"
        }
    }

    /// Solves min ‖A·x − b‖ for `A` given column-major (`rows` × `columns`), rows ≥ columns.
    /// Optional `weights` (one per row) turn it into weighted least squares.
    public static func solve(columnMajor a: [Double], rows: Int, columns: Int, rhs b: [Double], weights: [Double]? = nil) throws(Failure) -> [Double] {
        precondition(a.count == rows * columns && b.count == rows && rows >= columns, "dimensions do not match")
        _ = BLASThreads.pinned
        var (matrix, vector) = weighted(a, b, rows: rows, columns: columns, weights: weights)
        var m = Int32(rows), n = Int32(columns), nrhs: Int32 = 1, lda = Int32(rows), info: Int32 = 0
        var tau = [Double](repeating: 0, count: columns)
        // One workspace, sized by asking both routines.
        var query: Int32 = -1, optimalQR = 0.0, optimalQ = 0.0
        dgeqrf_(&m, &n, &matrix, &lda, &tau, &optimalQR, &query, &info)
        var side = CChar(UInt8(ascii: "L")), transpose = CChar(UInt8(ascii: "T"))
        dormqr_(&side, &transpose, &m, &nrhs, &n, &matrix, &lda, &tau, &vector, &lda, &optimalQ, &query, &info, 1, 1)
        var lwork = Int32(max(1, Int(optimalQR), Int(optimalQ)))
        var work = [Double](repeating: 0, count: Int(lwork))

        dgeqrf_(&m, &n, &matrix, &lda, &tau, &work, &lwork, &info)
        guard info == 0 else { throw Failure(routine: "dgeqrf", info: info) }
        dormqr_(&side, &transpose, &m, &nrhs, &n, &matrix, &lda, &tau, &vector, &lda, &work, &lwork, &info, 1, 1)
        guard info == 0 else { throw Failure(routine: "dormqr", info: info) }
        var upper = CChar(UInt8(ascii: "U")), plain = CChar(UInt8(ascii: "N")), nonUnit = CChar(UInt8(ascii: "N"))
        dtrtrs_(&upper, &plain, &nonUnit, &n, &nrhs, &matrix, &lda, &vector, &lda, &info, 1, 1, 1)
        guard info == 0 else { throw Failure(routine: "dtrtrs", info: info) }
        return Array(vector.prefix(columns))
    }

    /// The same problem through the normal equations (AᵀW²A)·x = AᵀW²b: a BLAS-3 `dsyrk` and a
    /// Cholesky solve (`dposv`), several times faster than QR for tall designs (thousands of rows,
    /// tens of columns). Squaring the condition number is harmless for well-scaled designs such
    /// as centred trends and sines; when the Gram matrix is not positive definite it falls back
    /// to QR.
    public static func solveNormal(columnMajor a: [Double], rows: Int, columns: Int, rhs b: [Double], weights: [Double]? = nil) throws(Failure) -> [Double] {
        precondition(a.count == rows * columns && b.count == rows && rows >= columns, "dimensions do not match")
        _ = BLASThreads.pinned
        let (weighted, target) = weighted(a, b, rows: rows, columns: columns, weights: weights)
        var gram = [Double](repeating: 0, count: columns * columns)
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, weighted, Int32(rows), 0, &gram, Int32(columns))
        var solution = [Double](repeating: 0, count: columns)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(columns), 1, weighted, Int32(rows), target, 1, 0, &solution, 1)
        var n = Int32(columns), nrhs: Int32 = 1, info: Int32 = 0
        var upper = CChar(UInt8(ascii: "U"))
        dposv_(&upper, &n, &nrhs, &gram, &n, &solution, &n, &info, 1)
        if info > 0 { return try solve(columnMajor: a, rows: rows, columns: columns, rhs: b, weights: weights) }
        guard info == 0 else { throw Failure(routine: "dposv", info: info) }
        return solution
    }

    /// Rows of A and b scaled by the weights (unchanged without weights).
    private static func weighted(_ a: [Double], _ b: [Double], rows: Int, columns: Int, weights: [Double]?) -> ([Double], [Double]) {
        guard let weights else { return (a, b) }
        var matrix = a, vector = b
        for column in 0..<columns {
            for row in 0..<rows { matrix[column * rows + row] *= weights[row] }
        }
        for row in 0..<rows { vector[row] *= weights[row] }
        return (matrix, vector)
    }
}
