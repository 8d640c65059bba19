/* check_mode.c -- per-mode borrowing configurations and the hybrid's resource checks. */
#include <check.h>
#include <string.h>

#include "mode.h"

static dse_point design(void)
{
    dse_point p;
    dse_point_defaults(&p);
    p.rows = 8; p.cols = 8;
    p.w_shape = DSE_SHAPE_T; p.w_lookahead = 2; p.w_lookaside = 1; p.w_unit = 1;   /* fan-in 4 */
    p.a_shape = DSE_SHAPE_L; p.a_lookahead = 1; p.a_lookaside = 5; p.a_unit = 0;   /* fan-in 7 */
    p.dual_org = DSE_DUAL_JOINT;
    return p;
}

static int zero_window(const dse_window *w) { return w->lookahead == 0 && w->lookaside == 0 && w->unit == 0; }

START_TEST(test_four_modes)
{
    dse_point p = design();
    dse_config c;
    dse_err e = {0, ""};
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DENSE, &c, &e), DSE_OK);
    ck_assert(!c.wsparse && !c.asparse && zero_window(&c.w) && zero_window(&c.a));
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_OK);
    ck_assert(c.wsparse && !c.asparse && zero_window(&c.a));
    ck_assert(c.w.lookahead == 2 && c.w.lookaside == 1 && c.w.unit == 1 && c.w.shape == DSE_SHAPE_T);
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_ACT, &c, &e), DSE_OK);
    ck_assert(!c.wsparse && c.asparse && zero_window(&c.w));
    ck_assert(c.a.lookahead == 1 && c.a.lookaside == 5 && c.a.unit == 0 && c.a.shape == DSE_SHAPE_L);
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DUAL, &c, &e), DSE_OK);
    ck_assert(c.wsparse && c.asparse && c.org == DSE_DUAL_JOINT);
    ck_assert(c.w.lookahead == 2 && c.a.lookaside == 5);
    /* a design without the activation side has a zero window there */
    p.a_lookahead = p.a_lookaside = 0;
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DUAL, &c, &e), DSE_OK);
    ck_assert(zero_window(&c.a) && c.w.lookahead == 2);
    ck_assert_int_eq(dse_mode_config(&p, (dse_mode)DSE_NMODES, &c, &e), DSE_EINPUT);
}
END_TEST

START_TEST(test_hybrid_legal)
{
    dse_point p = design();
    dse_config c;
    dse_err e = {0, ""};
    char why[256];
    p.hybrid = 1;
    ck_assert_int_eq(dse_mode_valid(&p, why, sizeof why), 1);   /* -1: own windows */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_OK);
    ck_assert(c.w.lookahead == 2 && c.w.lookaside == 1);
    /* weight mode: fan-in up to 4 + 7 - 1 = 10 (T: H + D + 1), depth up to max(2, 1) = 2 */
    p.wmode_lookahead = 2; p.wmode_lookaside = 7;
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_OK);
    ck_assert(c.wsparse && c.w.lookahead == 2 && c.w.lookaside == 7 && zero_window(&c.a));
    /* act mode: fan-in up to 10 (L: H + D + 1), depth up to 2 */
    p.amode_lookahead = 2; p.amode_lookaside = 7;
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_ACT, &c, &e), DSE_OK);
    ck_assert(c.asparse && c.a.lookahead == 2 && c.a.lookaside == 7 && zero_window(&c.w));
    ck_assert_int_eq(dse_mode_valid(&p, why, sizeof why), 1);
    ck_assert_str_eq(why, "");
    /* dense and dual run the own windows */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DUAL, &c, &e), DSE_OK);
    ck_assert(c.w.lookaside == 1 && c.a.lookaside == 5);
}
END_TEST

START_TEST(test_hybrid_illegal)
{
    dse_point p = design();
    dse_config c;
    dse_err e = {0, ""};
    char why[512];
    p.hybrid = 1;
    p.wmode_lookaside = 8;   /* T, H 2: fan-in 11 > 10 */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "multiplexer"));
    ck_assert_ptr_nonnull(strstr(e.msg, "fan-in of 11"));
    ck_assert_int_eq(dse_mode_valid(&p, why, sizeof why), 0);
    ck_assert_ptr_nonnull(strstr(why, "multiplexer"));
    p.wmode_lookaside = -1;
    p.wmode_lookahead = 3;   /* depth 3 > max(2, 1); fan-in 5 fits */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "buffer depth 3"));
    p.wmode_lookahead = -1;
    p.amode_lookahead = 3;   /* act side: depth 3 > 2 */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_ACT, &c, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "activation-only"));
    ck_assert_int_eq(dse_mode_valid(&p, why, sizeof why), 0);
    /* buffer entries: 8 rows x depth 3 = 24 > 8 x 1 + 2 x 4 = 16 */
    p = design();
    p.hybrid = 1; p.rows = 8; p.cols = 2;
    p.w_lookahead = 1; p.a_lookahead = 4;
    p.wmode_lookahead = 3;
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "24 lookahead buffer entries"));
    p.wmode_lookahead = 2;   /* 16 <= 16 */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_OK);
    /* per-mode windows on a design that is not a hybrid */
    p.hybrid = 0;
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DENSE, &c, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "hybrid is false"));
    ck_assert_int_eq(dse_mode_valid(&p, why, sizeof why), 0);
}
END_TEST

START_TEST(test_rect_fanin)
{
    /* w: rect H=1 D=1, 3 candidates, fan-in 4; a: rect H=2 D=0, 2 candidates,
     * fan-in 3; together 4 + 3 - 1 = 6 multiplexer inputs */
    dse_point p;
    dse_point_defaults(&p);
    p.hybrid = 1;
    p.w_shape = p.a_shape = DSE_SHAPE_RECT;
    p.w_lookahead = 1; p.w_lookaside = 1;
    p.a_lookahead = 2; p.a_lookaside = 0;
    dse_config c;
    dse_err e = {0, ""};
    p.wmode_lookahead = 2; p.wmode_lookaside = 0;   /* 2 candidates: fits */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_OK);
    p.wmode_lookahead = 1; p.wmode_lookaside = 2;   /* 5 candidates, fan-in 6 <= 4 + 3 - 1 */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_OK);
    p.wmode_lookahead = 2; p.wmode_lookaside = 1;   /* 6 candidates, fan-in 7 > 6 */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &c, &e), DSE_EINPUT);
}
END_TEST

/* Lateral and unit entries sit one step ahead: without lookahead they
 * would use a buffer the design does not own. */
START_TEST(test_lookaside_needs_lookahead)
{
    dse_point p;
    dse_point_defaults(&p);
    char why[256];
    ck_assert(dse_mode_valid(&p, why, sizeof why));          /* no window at all */
    p.w_lookaside = 3;                                         /* T(0,3) */
    ck_assert(!dse_mode_valid(&p, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "needs lookahead >= 1"));
    p.w_lookahead = 1;                                         /* T(1,3) */
    ck_assert(dse_mode_valid(&p, why, sizeof why));
    p.a_unit = 1;                                              /* unit lookaside alone */
    ck_assert(!dse_mode_valid(&p, why, sizeof why));
    p.a_lookahead = 2;
    ck_assert(dse_mode_valid(&p, why, sizeof why));
    p.hybrid = 1;                                              /* a hybrid mode window too */
    p.wmode_lookahead = 0;
    p.wmode_lookaside = 2;
    ck_assert(!dse_mode_valid(&p, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "hybrid weight-only mode window"));
}
END_TEST

Suite *suite_mode(void); /* called by test/run.c */
Suite *suite_mode(void)
{
    Suite *s = suite_create("mode");
    TCase *tc = tcase_create("mode");
    tcase_add_test(tc, test_four_modes);
    tcase_add_test(tc, test_hybrid_legal);
    tcase_add_test(tc, test_hybrid_illegal);
    tcase_add_test(tc, test_rect_fanin);
    tcase_add_test(tc, test_lookaside_needs_lookahead);
    suite_add_tcase(s, tc);
    return s;
}
