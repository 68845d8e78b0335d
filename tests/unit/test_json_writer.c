/* The streaming JSON writer writes the bytes sgr_json_print writes for the
 * same tree: strings of every kind, and every layout of containers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/json_writer.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"

/* What jansson writes for sgr_json_text(s). */
static char *jansson_literal(const char *s)
{
    json_t *j = sgr_json_text(s);
    char *out = json_dumps(j, JSON_ENCODE_ANY);
    json_decref(j);
    return out;
}

static char *streamed_literal(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgr_esc_json(f, s);
    fclose(f);
    return buf;
}

static void same_literal(const char *s)
{
    char *want = jansson_literal(s), *got = streamed_literal(s);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

static void literals(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "sg-0123", "a \"quoted\" \\ path/with/slashes", "tab\there\nline\rreturn",
        "\x01\x1f\x7f", "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80",     /* valid UTF-8 kept */
        "\xE2\x80\xAE" "evil", "\xC2\x85" "nel", "x\xC0\xBCy", "\xE2\x9C", /* bidi, C1, overlong, cut */
        "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF\xFE", "\"\xFF\\\x01\"",  /* surrogate, > U+10FFFF */
        "\xEF\xBF\xBE", "\\x01 written out", "</script>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_literal(cases[i]);
    /* NULL is the empty string here; sgr_jw_text writes it as null */
    char *got = streamed_literal(NULL);
    assert_string_equal(got, "\"\"");
    free(got);
}

/* Random bytes, biased toward the ones that need care. */
static void random_literals(void **state)
{
    (void)state;
    static const unsigned char pick[] = {'a', 'Z', ' ', '"', '\\', '/', '\n', '\t', 0x01, 0x1f, 0x7f, 0x80,
                                         0xbf, 0xc2, 0xc3, 0xdf, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xff};
    uint64_t x = 0x9E3779B97F4A7C15ull;
    char s[24];
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 23);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            s[i] = (char)pick[x % sizeof pick];
        }
        s[n] = '\0';
        same_literal(s);
    }
}


/* The same document both ways: a jansson tree printed by sgr_json_print, and
 * the writer's calls. */
static void same_document(json_t *tree, void (*write)(sgr_jw *))
{
    char *tbuf = NULL, *wbuf = NULL;
    size_t tlen = 0, wlen = 0;
    FILE *tf = open_memstream(&tbuf, &tlen), *wf = open_memstream(&wbuf, &wlen);
    sgr_json_print(tf, tree);
    sgr_jw w;
    sgr_jw_start(&w, wf);
    write(&w);
    sgr_jw_finish(&w);
    fclose(tf);
    fclose(wf);
    assert_string_equal(wbuf, tbuf);
    free(tbuf);
    free(wbuf);
}

static void write_nested(sgr_jw *w)
{
    sgr_jw_object(w);
    sgr_jw_field(w, "from", "internet");
    sgr_jw_key(w, "counts");
    sgr_jw_object(w);
    sgr_jw_key(w, "services");
    sgr_jw_int(w, 3);
    sgr_jw_key(w, "negative");
    sgr_jw_int(w, -42);
    sgr_jw_end(w);
    sgr_jw_key(w, "empty_array");
    sgr_jw_array(w);
    sgr_jw_end(w);
    sgr_jw_key(w, "empty_object");
    sgr_jw_object(w);
    sgr_jw_end(w);
    sgr_jw_key(w, "list");
    sgr_jw_array(w);
    sgr_jw_text(w, "a\nb");
    sgr_jw_null(w);
    sgr_jw_text(w, NULL);
    sgr_jw_array(w);
    sgr_jw_array(w);
    sgr_jw_end(w);
    sgr_jw_end(w);
    sgr_jw_object(w);
    sgr_jw_field(w, "k\"ey", "v\xff");
    sgr_jw_end(w);
    sgr_jw_end(w);
    sgr_jw_field(w, "last", NULL);
    sgr_jw_end(w);
}

static void documents(void **state)
{
    (void)state;
    json_t *t = json_object();
    json_object_set_new(t, "from", sgr_json_text("internet"));
    json_t *counts = json_object();
    json_object_set_new(counts, "services", json_integer(3));
    json_object_set_new(counts, "negative", json_integer(-42));
    json_object_set_new(t, "counts", counts);
    json_object_set_new(t, "empty_array", json_array());
    json_object_set_new(t, "empty_object", json_object());
    json_t *list = json_array();
    json_array_append_new(list, sgr_json_text("a\nb"));
    json_array_append_new(list, json_null());
    json_array_append_new(list, sgr_json_text(NULL));
    json_t *inner = json_array();
    json_array_append_new(inner, json_array());
    json_array_append_new(list, inner);
    json_t *o = json_object();
    json_object_set_new(o, "k\"ey", sgr_json_text("v\xff"));
    json_array_append_new(list, o);
    json_object_set_new(t, "list", list);
    json_object_set_new(t, "last", sgr_json_text(NULL));
    same_document(t, write_nested);
}

static void write_scalar(sgr_jw *w)
{
    sgr_jw_text(w, "alone");
}

static void write_empty_array(sgr_jw *w)
{
    sgr_jw_array(w);
    sgr_jw_end(w);
}

static void top_level_values(void **state)
{
    (void)state;
    /* sgr_json_print writes what json_dumpf accepts: an object or array at the top */
    same_document(json_array(), write_empty_array);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sgr_jw w;
    sgr_jw_start(&w, f);
    write_scalar(&w);
    sgr_jw_finish(&w);
    fclose(f);
    assert_string_equal(buf, "\"alone\"\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literals),
        cmocka_unit_test(random_literals),
        cmocka_unit_test(documents),
        cmocka_unit_test(top_level_values),
    };
    return cmocka_run_group_tests_name("json_writer", tests, NULL, NULL);
}
