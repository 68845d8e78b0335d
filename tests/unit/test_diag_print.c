#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag_print.h"
#include "cli/open.h"

static char *print(const sgr_diag *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgr_diag_print(f, d);
    fclose(f);
    return buf;
}

static void formats(void **state)
{
    (void)state;
    /* SPEC section 3: syntax errors FILE:LINE:COL, content FILE: PATH (line N). */
    sgr_diag syntax = {SGR_SEV_ERROR, "snap/x.json", NULL, 17, 39, "invalid token near '''"};
    char *s = print(&syntax);
    assert_string_equal(s, "sgreach: snap/x.json:17:39: invalid token near '''\n");
    free(s);
    sgr_diag content = {SGR_SEV_WARNING, "snap/x.json", "$.Subnets[0].CidrBlock", 3, 0, "invalid CIDR \"x\""};
    s = print(&content);
    assert_string_equal(s, "sgreach: snap/x.json: $.Subnets[0].CidrBlock (line 3): warning: invalid CIDR \"x\"\n");
    free(s);
    sgr_diag noline = {SGR_SEV_WARNING, "snap/x.json", "$", 0, 0, "m"};
    s = print(&noline);
    assert_string_equal(s, "sgreach: snap/x.json: $: warning: m\n");
    free(s);
    sgr_diag file = {SGR_SEV_ERROR, "snap", NULL, 0, 0, "no *.json file in this directory"};
    s = print(&file);
    assert_string_equal(s, "sgreach: snap: no *.json file in this directory\n");
    free(s);
    sgr_diag bare = {SGR_SEV_ERROR, NULL, NULL, 0, 0, "no snapshot given"};
    s = print(&bare);
    assert_string_equal(s, "sgreach: no snapshot given\n");
    free(s);
}

static void ephemeral(void **state)
{
    (void)state;
    sgr_load_options o = {1024, 65535, false, false};
    assert_true(sgr_parse_ephemeral(NULL, &o));
    assert_int_equal(o.ephemeral_from, 1024);
    assert_true(sgr_parse_ephemeral("32768-60999", &o));
    assert_int_equal(o.ephemeral_from, 32768);
    assert_int_equal(o.ephemeral_to, 60999);
    assert_false(sgr_parse_ephemeral("0-10", &o));
    assert_false(sgr_parse_ephemeral("10-5", &o));
    assert_false(sgr_parse_ephemeral("1-65536", &o));
    assert_false(sgr_parse_ephemeral("1024", &o));
    assert_false(sgr_parse_ephemeral("a-b", &o));
    assert_false(sgr_parse_ephemeral("1-2x", &o));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(formats), cmocka_unit_test(ephemeral)};
    return cmocka_run_group_tests_name("diag_print", tests, NULL, NULL);
}
