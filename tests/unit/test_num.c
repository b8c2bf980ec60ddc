/* SPDX-License-Identifier: Apache-2.0 */
/* ff_num: the strict decimal parser behind every numeric option. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ff_num.h"

static void accepts_plain_digits(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_int_equal(ff_num_u64("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(ff_num_u64("0042", &v), 0);
	assert_true(v == 42);
	assert_int_equal(ff_num_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
}

/* what strtoull would take and a user did not mean as a count */
static void rejects_signs_spaces_suffixes(void **state)
{
	(void)state;
	static const char *const bad[] = { "", "-1", "+1", " 1", "1 ", "1k", "0x10", "1.5", "١" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 99;
		assert_int_equal(ff_num_u64(bad[i], &v), -EINVAL);
		assert_true(v == 99); /* untouched on error */
	}
}

static void overflow_is_a_range_error(void **state)
{
	(void)state;
	uint64_t v = 99;
	assert_int_equal(ff_num_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(ff_num_u64("99999999999999999999999", &v), -ERANGE);
	assert_true(v == 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_plain_digits),
		cmocka_unit_test(rejects_signs_spaces_suffixes),
		cmocka_unit_test(overflow_is_a_range_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
