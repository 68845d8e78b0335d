/* graph/printable.c and load/json_printable.c: what no output may carry raw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "graph/printable.h"
#include "load/json_printable.h"

#define DUP_EQUAL(in, want)                                                                        \
    do {                                                                                           \
        char *got_ = sgr_printable_dup(in, sizeof(in) - 1);                                        \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void escapes(void **state)
{
    (void)state;
    const char *plain = "plain text, caf\xC3\xA9, \xE6\x97\xA5\xE6\x9C\xAC";
    assert_true(sgr_printable(plain, strlen(plain)));
    assert_true(sgr_printable("sgs-\xff.json", 9)); /* a malformed byte is left to each writer */
    assert_false(sgr_printable("a\nb", 3));
    assert_false(sgr_printable("\x7f", 1));
    assert_false(sgr_printable("\xC2\x9B", 2));          /* C1 CSI */
    assert_false(sgr_printable("x\xE2\x80\xAEy", 5));     /* U+202E */
    assert_false(sgr_printable("\xE2\x81\xA6", 3));       /* U+2066 */
    assert_false(sgr_printable("a\0b", 3));               /* NUL inside */
    DUP_EQUAL("ok\n::error file=x::forged", "ok\\n::error file=x::forged");
    DUP_EQUAL("\x1b[2J\r\t", "\\x1B[2J\\r\\t");
    DUP_EQUAL("\x7f\xC2\x85", "\\x7F\\u0085");
    DUP_EQUAL("gnp\xE2\x80\xAE.exe\xE2\x81\xA9", "gnp\\u202E.exe\\u2069");
    DUP_EQUAL("bad\xff\n", "bad\xff\\n");
    DUP_EQUAL("\xE2\x80\x8F\xD8\x9C", "\\u200F\\u061C");
}

static void in_arena(void **state)
{
    (void)state;
    sgr_arena *a = sgr_arena_new();
    const char *clean = "sg-0123 web";
    assert_ptr_equal(sgr_printable_in(a, clean), clean); /* no copy when nothing to escape */
    assert_string_equal(sgr_printable_in(a, "a\nb"), "a\\nb");
    assert_null(sgr_printable_in(a, NULL));
    sgr_arena_free(a);
}

static void documents(void **state)
{
    (void)state;
    const char *text = "{\"Name\": \"a\\nb\", \"k\\u202e\": [\"\\u001b[2J\", 5, {\"x\": \"\\u0085\"}], \"ok\": \"\\\"q\\\"\"}";
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    assert_non_null(doc);
    json_t *name = json_object_get(doc, "Name");
    sgr_json_make_printable(doc, text, strlen(text));
    assert_ptr_equal(json_object_get(doc, "Name"), name); /* in place: line indexes keep their nodes */
    assert_string_equal(json_string_value(name), "a\\nb");
    json_t *arr = json_object_get(doc, "k\\u202E");
    assert_non_null(arr);
    assert_null(json_object_get(doc, "k\xE2\x80\xAE"));
    assert_string_equal(json_string_value(json_array_get(arr, 0)), "\\x1B[2J");
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 2), "x")), "\\u0085");
    assert_string_equal(json_string_value(json_object_get(doc, "ok")), "\"q\"");
    json_decref(doc);

    /* a Terraform container_definitions string is JSON the importer parses first */
    const char *tf = "{\"container_definitions\": \"[\\n {\\\"name\\\": \\\"a\\\"}\\n]\", \"x\": \"\\n\"}";
    doc = json_loads(tf, 0, &err);
    assert_non_null(doc);
    sgr_json_make_printable(doc, tf, strlen(tf));
    assert_string_equal(json_string_value(json_object_get(doc, "container_definitions")), "[\n {\"name\": \"a\"}\n]");
    assert_string_equal(json_string_value(json_object_get(doc, "x")), "\\n");
    json_decref(doc);

    /* a text without a suspicious escape or byte is not walked: the scan decides */
    const char *quiet = "{\"a\": \"\\\"x\\\\y\\/z\"}";
    doc = json_loads(quiet, 0, &err);
    json_object_set_new(doc, "planted", json_string("a\nb")); /* not in the text */
    sgr_json_make_printable(doc, quiet, strlen(quiet));
    assert_string_equal(json_string_value(json_object_get(doc, "planted")), "a\nb");
    sgr_json_make_printable(doc, NULL, 0); /* no text: always walked */
    assert_string_equal(json_string_value(json_object_get(doc, "planted")), "a\\nb");
    json_decref(doc);

    /* what the scan takes for a sign: each lead byte raw in the text, an escape
     * after an escaped backslash; not a letter after one */
    static const struct {
        const char *text;
        bool walked;
    } signs[] = {
        {"{\"a\": \"x\xE2\x80\xAEy\"}", true},
        {"{\"a\": \"\xC2\x85\"}", true},
        {"{\"a\": \"\x7F\"}", true},
        {"{\"a\": \"\xD8\x9C\"}", true},
        {"{\"a\": \"\\\\\\n\"}", true},
        {"{\"a\": \"\\\\n\"}", false},
        {"{\"a\": \"caf\xC3\xA9\"}", false},
    };
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++) {
        doc = json_loads(signs[i].text, 0, &err);
        assert_non_null(doc);
        json_object_set_new(doc, "planted", json_string("a\nb"));
        sgr_json_make_printable(doc, signs[i].text, strlen(signs[i].text));
        assert_string_equal(json_string_value(json_object_get(doc, "planted")), signs[i].walked ? "a\\nb" : "a\nb");
        json_decref(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes),
        cmocka_unit_test(in_arena),
        cmocka_unit_test(documents),
    };
    return cmocka_run_group_tests_name("printable", tests, NULL, NULL);
}
