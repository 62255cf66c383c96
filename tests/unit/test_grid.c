/* SPDX-License-Identifier: Apache-2.0 */
/* test_grid.c - sweep start times: phases on the step grid, groups bounded, fixed rate. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "grid.h"

static void
test_step(void **state)
{
    (void)state;
    /* A small fleet: the step is the whole interval, every target in one group. */
    assert_int_equal(grid_step(10000, 25), 10000);
    assert_int_equal(grid_step(10000, GRID_GROUP), 10000);
    assert_int_equal(grid_step(10000, 0), 10000);
    /* A large one: about GRID_GROUP targets a step. */
    assert_int_equal(grid_step(60000, 5000), 60000 * GRID_GROUP / 5000);
    /* Never 0, even for absurd counts. */
    assert_int_equal(grid_step(1000, 100000000), 1);
}

static void
test_phase_on_grid(void **state)
{
    (void)state;
    uint64_t iv = 60000, step = grid_step(iv, 5000);
    uint32_t frac = 0x12345678u;
    unsigned groups[60000 / 1 + 1] = {0};
    uint64_t max_group = 0, used = 0;
    for (int i = 0; i < 5000; i++) {
        frac = frac * 1664525u + 1013904223u; /* any spread of fractions */
        uint64_t p = grid_phase(frac, iv, step);
        assert_true(p < iv);
        assert_int_equal(p % step, 0);
        if (groups[p / step]++ == 0)
            used++;
        if (groups[p / step] > max_group)
            max_group = groups[p / step];
    }
    /* Spread over the whole interval, no group far above GRID_GROUP. */
    assert_true(used >= iv / step * 9 / 10);
    assert_true(max_group <= 3 * GRID_GROUP);
    /* The extremes of the fraction stay inside the interval. */
    assert_int_equal(grid_phase(0, iv, step), 0);
    assert_true(grid_phase(UINT32_MAX, iv, step) < iv);
    assert_int_equal(grid_phase(UINT32_MAX, 10000, 10000), 0);
}

static void
test_next(void **state)
{
    (void)state;
    /* On the phase: that instant; just after it: one interval later. */
    assert_int_equal(grid_next(20300, 300, 10000), 20300);
    assert_int_equal(grid_next(20301, 300, 10000), 30300);
    assert_int_equal(grid_next(20299, 300, 10000), 20300);
    /* Fixed rate: a sweep that started at its phase (a little late) is next due one interval on. */
    uint64_t start = 30300 + 7;
    assert_int_equal(grid_next(start + 1, 300, 10000), 40300);
    /* A sweep that overran its interval skips to the next start, never bunches up. */
    assert_int_equal(grid_next(52000, 300, 10000), 60300);
    /* Targets sharing a phase share every start. */
    for (uint64_t t = 0; t < 100000; t += 777)
        assert_int_equal(grid_next(t, 2000, 10000) % 10000, 2000);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step),
        cmocka_unit_test(test_phase_on_grid),
        cmocka_unit_test(test_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
