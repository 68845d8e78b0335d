#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "load/json_split.h"

static sgr_split_key classify(const char *key)
{
    if (!strcmp(key, "Items") || !strcmp(key, "More"))
        return SGR_SPLIT_ELEMENTS;
    if (!strcmp(key, "NextToken"))
        return SGR_SPLIT_SILENT;
    return SGR_SPLIT_OTHER;
}

/* The scan ends a valid document where jansson does, counts its newlines,
 * and its pieces, parsed alone, give the document's elements in order. */
static void pieces_are_the_document(void **state)
{
    (void)state;
    const char *docs[] = {
        "{\"Items\": [1, {\"a\": \"]}\\\"[{\"}, [2, [3]], \"x\\\\\"],\n \"NextToken\": {\"k\": [1]},\n"
        "  \"More\": [ ]}",
        "{\n  \"Items\": [\n    {\n      \"a\": 1\n    },\n    {\n      \"b\": [\n 2\n ]\n    }\n  ]\n}",
        "{\"Items\":[{\"a\":1},{\"b\":2},{\"c\":3}],\"NextToken\":\"t\"}",
    };
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        const char *text = docs[d];
        char buf[512];
        snprintf(buf, sizeof buf, "%s  {\"next\": 1}", text); /* a second document follows */
        size_t len = strlen(buf);
        json_error_t err;
        json_t *whole = json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, &err);
        assert_non_null(whole);
        for (size_t piece_bytes = 1; piece_bytes < 64; piece_bytes *= 4) {
            sgr_split s = {0};
            sgr_split_scan(&s, buf, len, 0, classify, piece_bytes);
            assert_true(s.delimited);
            assert_true(s.split);
            assert_int_equal(s.end, (size_t)err.position);
            uint32_t nl = 0;
            for (size_t i = 0; i < s.end; i++)
                nl += buf[i] == '\n';
            assert_int_equal(s.newlines, nl);
            json_t *items = json_array();
            for (size_t k = 0; k < s.n_pieces; k++) {
                const sgr_split_piece *p = &s.pieces[k];
                char one[512];
                size_t n = p->end - p->start;
                uint32_t before = 0;
                for (size_t i = 0; i < p->start; i++)
                    before += buf[i] == '\n';
                assert_int_equal(p->rel_line, before);
                if (!p->elements) {
                    json_t *v = json_loadb(buf + p->start, n, JSON_DECODE_ANY, NULL);
                    assert_true(json_equal(v, json_object_get(whole, s.members[p->member].key)));
                    json_decref(v);
                    continue;
                }
                snprintf(one, sizeof one, "[%.*s]", (int)n, buf + p->start);
                json_t *arr = json_loads(one, 0, NULL);
                assert_non_null(arr);
                json_t *all = json_object_get(whole, s.members[p->member].key);
                for (size_t i = 0; i < json_array_size(arr); i++)
                    assert_true(json_equal(json_array_get(arr, i), json_array_get(all, p->first_index + i)));
                if (!strcmp(s.members[p->member].key, "Items"))
                    json_array_extend(items, arr);
                json_decref(arr);
            }
            assert_true(json_equal(items, json_object_get(whole, "Items")));
            json_decref(items);
            sgr_split_free(&s);
        }
        json_decref(whole);
    }
}

/* Whatever the glue does not allow is parsed whole (jansson decides). */
static void not_split(void **state)
{
    (void)state;
    const char *docs[] = {
        "{\"Items\": [1, 2,]}",                /* a trailing comma */
        "{\"Items\": [1,, 2]}",                /* an empty element */
        "{\"Items\": [1], \"Items\": [2]}",    /* a key twice */
        "{\"Items\": [1], \"Other\": [2]}",    /* a key read whole */
        "{\"Items\": {\"a\": 1}}",             /* not an array */
        "{\"Items\": [1] 2}",                  /* a second value */
        "{\"It\\u0065ms\": [1]}",              /* an escaped key */
        "{\"Items\" [1]}",                     /* no colon */
        "{\"Items\": [1],}",                   /* a trailing comma at the top */
        "{\"Items\": []}",                     /* nothing to cut */
        "[{\"Items\": [1]}]",                  /* not an object */
    };
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        sgr_split s = {0};
        sgr_split_scan(&s, docs[d], strlen(docs[d]), 0, classify, 1);
        assert_false(s.split);
        sgr_split_free(&s);
    }
    /* unterminated, mismatched, or no container at all: not even delimited */
    const char *broken[] = {"{\"Items\": [1, 2]", "{\"Items\": [1}]", "\"Items\"", "{\"a\": \"]}"};
    for (size_t d = 0; d < sizeof broken / sizeof broken[0]; d++) {
        sgr_split s = {0};
        sgr_split_scan(&s, broken[d], strlen(broken[d]), 0, classify, 1);
        assert_false(s.delimited);
        sgr_split_free(&s);
    }
}

/* A string longer than SGR_JSON_STRING_MAX stops the scan, located, whether
 * it is a value, a key, unterminated or the whole document; one of exactly
 * the limit does not (issue 16). */
static void long_strings(void **state)
{
    (void)state;
    size_t n = SGR_JSON_STRING_MAX + 1;
    const char *head = "{\"Items\": [\n {\"Name\": \"";
    size_t h = strlen(head), len = h + n + 4;
    char *buf = malloc(len);
    memcpy(buf, head, h);
    memset(buf + h, 'a', n);
    memcpy(buf + h + n, "\"}]}", 4);
    sgr_split s = {0};
    sgr_split_scan(&s, buf, len, 0, classify, 1);
    assert_true(s.too_long);
    assert_false(s.delimited);
    assert_int_equal(s.long_at, h - 1);
    assert_int_equal(s.long_len, n);
    assert_int_equal(s.long_line, 1);
    /* the limit itself is read */
    memcpy(buf + h + n - 1, "\"}]}", 4);
    sgr_split_scan(&s, buf, len - 1, 0, classify, 1);
    assert_false(s.too_long);
    assert_true(s.delimited);
    assert_true(s.split);
    /* unterminated: measured to the text's end */
    buf[h + n - 1] = 'a';
    sgr_split_scan(&s, buf, h + n, 0, classify, 1);
    assert_true(s.too_long);
    assert_int_equal(s.long_len, n);
    /* a key, and without classify (a document read whole) */
    buf[0] = '{';
    buf[1] = '"';
    memset(buf + 2, 'k', n);
    memcpy(buf + 2 + n, "\":1}", 4);
    sgr_split_scan(&s, buf, n + 6, 0, NULL, 1);
    assert_true(s.too_long);
    assert_int_equal(s.long_at, 1);
    /* a document that is one string: jansson would read it before refusing it */
    sgr_split_scan(&s, buf, n + 6, 1, classify, 1);
    assert_true(s.too_long);
    assert_int_equal(s.long_at, 1);
    /* the scan after it starts clean */
    sgr_split_scan(&s, "{\"Items\": [1, 2]}", 17, 0, classify, 1);
    assert_false(s.too_long);
    assert_true(s.delimited);
    sgr_split_free(&s);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pieces_are_the_document),
        cmocka_unit_test(not_split),
        cmocka_unit_test(long_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
