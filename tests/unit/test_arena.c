#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "graph/arena.h"
#include "graph/strmap.h"

static void arena_zeroes_and_aligns(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    for (int i = 1; i < 5000; i += 7) {
        unsigned char *p = sgr_arena_alloc(a, (size_t)i);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int k = 0; k < i; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xab, (size_t)i);
    }
    void *big = sgr_arena_alloc(a, 4u << 20); /* larger than a block */
    assert_non_null(big);
    assert_true(sgr_arena_used(a) >= (4u << 20));
    assert_string_equal(sgr_arena_printf(a, "%s-%d", "sg", 42), "sg-42");
    assert_null(sgr_arena_strdup(a, NULL));
    sgr_arena_free(a);
}

static void arena_grow_keeps_contents(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    uint32_t cap = 0;
    int *v = NULL;
    for (uint32_t i = 0; i < 1000; i++) {
        v = sgr_arena_grow(a, v, &cap, i + 1, sizeof *v);
        v[i] = (int)i * 3;
    }
    assert_true(cap >= 1000);
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(v[i], (int)i * 3);
    sgr_arena_free(a);
}

/* The text builder: parts appended in order, numbers as "%ld" prints them,
 * printf output longer than its stack buffer whole; and sgr_arena_printf the
 * same on both sides of its stack buffer. */
static void text_appends(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_text t = {.a = a};
    assert_null(t.s);
    char want[2048] = "";
    long nums[] = {0, 7, -42, 65535, 2147483647L, -2147483647L - 1};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        sgr_text_str(&t, i ? "," : "tcp:");
        sgr_text_int(&t, nums[i]);
        char one[32];
        snprintf(one, sizeof one, "%s%ld", i ? "," : "tcp:", nums[i]);
        strcat(want, one);
    }
    char long_part[600];
    memset(long_part, 'x', sizeof long_part - 1);
    long_part[sizeof long_part - 1] = '\0';
    sgr_text_printf(&t, " %s|%d", long_part, 9);
    strcat(want, " ");
    strcat(want, long_part);
    strcat(want, "|9");
    assert_string_equal(t.s, want);
    assert_int_equal(t.len, strlen(want));
    assert_string_equal(sgr_arena_printf(a, "%s-%d", "ab", 3), "ab-3");
    assert_string_equal(sgr_arena_printf(a, "%s!", long_part) + 598, "x!");
    assert_int_equal(strlen(sgr_arena_printf(a, "%s!", long_part)), 600);
    sgr_arena_free(a);
}

static void strmap_put_get_replace(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    sgr_strmap *m = sgr_strmap_new(a);
    char *keys[3000];
    for (int i = 0; i < 3000; i++) {
        keys[i] = sgr_arena_printf(a, "eni-%08x", (unsigned)i * 2654435761u);
        assert_null(sgr_strmap_put(m, 1, keys[i], keys[i]));
    }
    assert_int_equal(sgr_strmap_count(m), 3000);
    for (int i = 0; i < 3000; i++) {
        assert_ptr_equal(sgr_strmap_get(m, 1, keys[i]), keys[i]);
        assert_null(sgr_strmap_get(m, 2, keys[i])); /* tags are namespaces */
    }
    assert_ptr_equal(sgr_strmap_put(m, 1, keys[5], keys[6]), keys[5]);
    assert_ptr_equal(sgr_strmap_get(m, 1, keys[5]), keys[6]);
    assert_null(sgr_strmap_get(m, 1, "eni-missing"));
    size_t pos = 0, seen = 0;
    while (sgr_strmap_next(m, &pos, NULL, NULL, NULL))
        seen++;
    assert_int_equal(seen, 3000);
    sgr_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_zeroes_and_aligns),
        cmocka_unit_test(arena_grow_keeps_contents),
        cmocka_unit_test(text_appends),
        cmocka_unit_test(strmap_put_get_replace),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
