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

/// Weighted least squares for one design solved again and again with new row weights (robust
/// regression by iteratively reweighted least squares): AᵀA and Aᵀb are formed once (BLAS-3
/// `dsyrk`, `dgemv`); each solve takes (1 − w²) of every down-weighted row back out in one
/// rank-k update (`dsyrk` on those rows, `dgemv`), so rows of weight 1, nearly all of them under Huber weights, cost
/// nothing. Several times faster than QR for tall designs (thousands of rows, tens of columns);
/// squaring the condition number is harmless for well-scaled designs such as a trend and sines,
/// and a Gram matrix that is not positive definite falls back to QR.
public struct ReweightedLeastSquares: Sendable {
    let design: [Double]
    let rows: Int
    let columns: Int
    let rhs: [Double]
    let gram: [Double]
    let moment: [Double]

    public init(columnMajor a: [Double], rows: Int, columns: Int, rhs b: [Double]) {
        precondition(a.count == rows * columns && b.count == rows && rows >= columns, "dimensions do not match")
        _ = BLASThreads.pinned
        design = a
        self.rows = rows
        self.columns = columns
        rhs = b
        var gram = [Double](repeating: 0, count: columns * columns)
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, a, Int32(rows), 0, &gram, Int32(columns))
        var moment = [Double](repeating: 0, count: columns)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(columns), 1, a, Int32(rows), b, 1, 0, &moment, 1)
        self.gram = gram
        self.moment = moment
    }

    /// Solves with square-root weights `weights` (one per row, in (0, 1]; nil: all 1).
    public func solve(weights: [Double]?) throws(LeastSquares.Failure) -> [Double] {
        var gram = self.gram
        var solution = moment
        if let weights {
            // The down-weighted rows, scaled by √(1 − w²), gathered into a k × n block: one
            // BLAS-3 update takes them all out of AᵀA, one dgemv out of Aᵀb.
            let downweighted = weights.indices.filter { weights[$0] < 1 }
            let k = downweighted.count
            if k > 0 {
                var block = [Double](repeating: 0, count: k * columns)
                var scaledRHS = [Double](repeating: 0, count: k)
                for (position, row) in downweighted.enumerated() {
                    let scale = (1 - weights[row] * weights[row]).squareRoot()
                    for column in 0..<columns { block[column * k + position] = scale * design[column * rows + row] }
                    scaledRHS[position] = scale * rhs[row]
                }
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(k), -1, block, Int32(k), 1, &gram, Int32(columns))
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(k), Int32(columns), -1, block, Int32(k), scaledRHS, 1, 1, &solution, 1)
            }
        }
        var n = Int32(columns), nrhs: Int32 = 1, info: Int32 = 0
        var upper = CChar(UInt8(ascii: "U"))
        dposv_(&upper, &n, &nrhs, &gram, &n, &solution, &n, &info, 1)
        if info > 0 { return try LeastSquares.solve(columnMajor: design, rows: rows, columns: columns, rhs: rhs, weights: weights) }
        guard info == 0 else { throw LeastSquares.Failure(routine: "dposv", info: info) }
        return solution
    }
}
