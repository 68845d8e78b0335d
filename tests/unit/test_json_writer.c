/* The streaming JSON writer writes the bytes sgr_json_print writes for the
 * same tree, in every layout of containers (its strings: sgr_esc_json,
 * test_report_escape.c). */
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
        cmocka_unit_test(documents),
        cmocka_unit_test(top_level_values),
    };
    return cmocka_run_group_tests_name("json_writer", tests, NULL, NULL);
}
