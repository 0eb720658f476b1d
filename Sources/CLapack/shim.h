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

#endif
