/* record --budget's pause rule (engine/budget.c budget_off_ns): a cycle (the pause and the
 * window after it) costs the budget's share of all CPUs, no more; within budget, no pause;
 * never longer than BUDGET_MAX_OFF_NS. */
#include "engine/budget.h"
#include "testutil.h"

#define MS 1000000.0

START_TEST(within_budget_no_pause)
{
	/* 5% of 2 CPUs over a 1 s window is 100 ms of CPU: 100 ms and less pay for no pause */
	ck_assert_uint_eq(budget_off_ns(100 * MS, 1000 * MS, 5, 2), 0);
	ck_assert_uint_eq(budget_off_ns(0, 1000 * MS, 5, 2), 0);
}
END_TEST

START_TEST(pause_sizes_cycle_to_budget)
{
	/* 300 ms of CPU at 5% of 2 CPUs needs a 3 s cycle: 2 s off after a 1 s window */
	unsigned long long off = budget_off_ns(300 * MS, 1000 * MS, 5, 2);

	ck_assert_uint_eq(off, 2000 * MS);
	/* the cycle then costs exactly the budget */
	ck_assert_double_eq_tol(300 * MS / ((1000 * MS + off) * 2), 0.05, 1e-9);
	/* one CPU: twice as long a cycle for the same cost */
	ck_assert_uint_eq(budget_off_ns(300 * MS, 1000 * MS, 5, 1), 5000 * MS);
	/* ncpus 0 (unknown) counts as one */
	ck_assert_uint_eq(budget_off_ns(300 * MS, 1000 * MS, 5, 0), 5000 * MS);
}
END_TEST

START_TEST(pause_capped)
{
	ck_assert_uint_eq(budget_off_ns(1e12, 1000 * MS, 1, 2), BUDGET_MAX_OFF_NS);
	ck_assert_uint_eq(budget_off_ns(300 * MS, 1000 * MS, 0, 2), 0);   /* no budget: never off */
}
END_TEST

int main(void)
{
	return RUN_TESTS("budget", "off", within_budget_no_pause, pause_sizes_cycle_to_budget, pause_capped);
}
