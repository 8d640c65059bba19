/* testutil.h -- helpers shared by the Check suites (header-only). */
#ifndef DSE_TESTUTIL_H
#define DSE_TESTUTIL_H

#include <check.h>
#include <math.h>

/* |a - b| <= tol * max(1, |b|) */
#define ck_assert_near(a, b, tol) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (tol) * fmax(1.0, fabs((double)(b))), \
                  "%s = %.17g, expected %.17g (tol %g)", #a, (double)(a), (double)(b), (double)(tol))

#endif
