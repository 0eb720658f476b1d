// LAPACK's Fortran symbols (Debian's liblapack has no C header; lapacke is another package).
// Arguments go by pointer, matrices are column-major, and gfortran passes a hidden size_t
// length after the last argument for every CHARACTER argument.
#ifndef HEADROOM_CLAPACK_SHIM_H
#define HEADROOM_CLAPACK_SHIM_H
#include <stddef.h>
#include <cblas.h>

/// Least squares min ||A x - b|| by QR (A is m×n of full rank); b is overwritten by x.
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, double *work, const int *lwork, int *info, size_t trans_len);

/// QR factorization A = Q·R (Householder reflectors below the diagonal, tau their scalars).
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work, const int *lwork, int *info);

/// C := op(Q)·C for the Q that dgeqrf_ left in A and tau.
void dormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k, const double *a, const int *lda,
             const double *tau, double *c, const int *ldc, double *work, const int *lwork, int *info,
             size_t side_len, size_t trans_len);

/// Solves the triangular system op(A)·X = B in place; info > 0 when A(info, info) is zero.
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs, const double *a,
             const int *lda, double *b, const int *ldb, int *info, size_t uplo_len, size_t trans_len, size_t diag_len);

/// Solves A·X = B for symmetric positive definite A by Cholesky; info > 0 when A is not positive definite.
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb, int *info,
            size_t uplo_len);

#endif
