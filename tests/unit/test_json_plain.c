/* The fast parser builds jansson's tree or gives up, and sgr_json_loadb then
 * answers exactly as json_loadb: on crafted texts, on the AWS CLI's shapes,
 * and on random mutations of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/json_plain.h"

/* A tree as text that tells every difference jansson keeps: member order,
 * integer against real, the values. */
static char *dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* sgr_json_loadb and json_loadb agree on text: the same tree, or the same
 * error at the same place; the position after a success too. Returns whether
 * the fast half handled it. */
static bool agree(const char *text, size_t len, size_t flags)
{
    json_error_t je, pe;
    json_t *j = json_loadb(text, len, flags, &je);
    size_t used = 0;
    json_t *fast = sgr_json_plain(text, len, flags, &used);
    json_t *p = sgr_json_loadb(text, len, flags, &pe);
    if (fast) {
        assert_non_null(j); /* never a tree where jansson refuses */
        char *a = dump(j), *b = dump(fast);
        assert_string_equal(b, a);
        free(a);
        free(b);
        assert_int_equal((int)used, je.position);
        json_decref(fast);
    }
    if (!j) {
        assert_null(p);
        assert_string_equal(pe.text, je.text);
        assert_int_equal(pe.line, je.line);
        assert_int_equal(pe.column, je.column);
        assert_int_equal(pe.position, je.position);
    } else {
        assert_non_null(p);
        char *a = dump(j), *b = dump(p);
        assert_string_equal(b, a);
        free(a);
        free(b);
        assert_int_equal(pe.position, je.position);
        assert_int_equal(pe.line, je.line);
        assert_string_equal(pe.text, je.text);
    }
    json_decref(j);
    json_decref(p);
    return fast != NULL;
}

static bool agree_s(const char *text, size_t flags)
{
    return agree(text, strlen(text), flags);
}

/* What the AWS CLI writes is handled by the fast half, not handed on. */
static void cli_shapes_are_fast(void **state)
{
    (void)state;
    static const char *const fast[] = {
        "{\n    \"SecurityGroups\": [\n        {\n            \"Description\": \"web \\\"tier\\\" a/b\",\n"
        "            \"GroupName\": \"web\",\n            \"IpPermissions\": [\n                {\n"
        "                    \"FromPort\": 443,\n                    \"IpProtocol\": \"tcp\",\n"
        "                    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}],\n"
        "                    \"ToPort\": -1,\n                    \"UserIdGroupPairs\": []\n                }\n"
        "            ],\n            \"Tags\": [{\"Key\": \"caf\xC3\xA9\", \"Value\": \"\xE2\x9C\x93\"}],\n"
        "            \"VpcId\": \"vpc-1\", \"Ok\": true, \"No\": false, \"Nothing\": null\n        }\n    ]\n}\n",
        "[]", "{}", "[{}, [], {\"a\": {}}]", "{\"a\":1,\"a\":2}", "[-0, 0, 123456789012345678, -123456789012345678]",
        "{\"k\\n\\t\\b\\f\\r\\/\\\\\": \"v\"}", "\t\r\n [ 1 ] \n",
    };
    for (size_t i = 0; i < sizeof fast / sizeof fast[0]; i++)
        assert_true(agree_s(fast[i], 0));
    /* a document followed by another: the position after the first */
    assert_true(agree_s("{\"a\": [1]}  {\"b\": 2}", JSON_DISABLE_EOF_CHECK));
    assert_true(agree_s("[1]\n", JSON_DISABLE_EOF_CHECK));
}

/* What the fast half leaves to jansson, and jansson's answers stand. */
static void the_rest_goes_to_jansson(void **state)
{
    (void)state;
    static const char *const handed_on[] = {
        "[1.5]", "[1e3]", "[1E-3]", "[1234567890123456789]", "[99999999999999999999]", "[-9223372036854775809]",
        "[\"\\u00e9\"]", "[\"\\ud83d\\ude00\"]", "[\"\\ud83d\"]", "[\"\\u0000\"]", "{\"\\u0000\": 1}",
        "[\"a\nb\"]", "[\"a\x01\"]", "[\"\xC0\xBC\"]", "[\"\xE2\x9C\"]", "[\"\xED\xA0\x80\"]", "[\"\xF4\x90\x80\x80\"]",
        "[\"\\x\"]", "[\"abc", "[01]", "[-]", "[-01]", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":1,}", "{1: 2}",
        "[tru]", "[truex]", "[nul]", "[True]", "[1 2]", "[1]x", "[1] [2]", "", "   ", "1", "\"s\"", "[",
        "{\"a\":", "[\"\xFF\"]", "[1\x00]", "[true1]", "[\"a\"\"b\"]", "{\"a\":1 \"b\":2}", "\xEF\xBB\xBF[]",
    };
    for (size_t i = 0; i < sizeof handed_on / sizeof handed_on[0]; i++) {
        assert_false(agree_s(handed_on[i], 0));
        agree_s(handed_on[i], JSON_DISABLE_EOF_CHECK);
    }
    /* a NUL inside the text, which strlen would not see */
    assert_false(agree("[1,\0 2]", 7, 0));
    /* nesting past the fast half's limit, and past jansson's */
    for (size_t depth = 990; depth <= 2100; depth += 1110 / 2) {
        char *t = malloc(2 * depth + 1);
        memset(t, '[', depth);
        memset(t + depth, ']', depth);
        t[2 * depth] = '\0';
        agree_s(t, 0);
        free(t);
    }
}

/* Random edits of CLI-shaped texts: bytes that matter to a JSON lexer put
 * anywhere. Both must agree on every one. */
static void random_mutations(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "{\"NetworkInterfaces\": [{\"Groups\": [{\"GroupId\": \"sg-1\", \"GroupName\": \"a b\"}], "
        "\"PrivateIpAddress\": \"10.0.0.1\", \"Attachment\": {\"DeviceIndex\": 0, \"Status\": \"attached\"}, "
        "\"RequesterManaged\": false, \"Ipv6Addresses\": [], \"Association\": null}]}",
        "[{\"FromPort\": 22, \"ToPort\": 22, \"IpProtocol\": \"-1\", \"Desc\": \"caf\xC3\xA9 \\\"x\\\"\"}]",
    };
    static const char alphabet[] = "{}[]:,\"\\ \n\t0123456789-+.eEtrufalsn/u\x01\x7f\xc3\xa9\xe2\xed\xf4\xff";
    uint64_t x = 0x2545F4914F6CDD1Dull;
    char buf[512];
    int fast = 0, runs = 0;
    for (int round = 0; round < 40000; round++) {
        const char *seed = seeds[round % 2];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        int edits = 1 + round % 3;
        for (int e = 0; e < edits; e++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t at = (size_t)(x >> 8) % n;
            char c = alphabet[(x >> 40) % (sizeof alphabet - 1)];
            switch ((x >> 56) % 3) {
            case 0: buf[at] = c; break;                                   /* replace */
            case 1: memmove(buf + at + 1, buf + at, n - at), buf[at] = c, n++; break; /* insert */
            default: memmove(buf + at, buf + at + 1, n - at - 1), n--; break;        /* delete */
            }
        }
        fast += agree(buf, n, round & 1 ? JSON_DISABLE_EOF_CHECK : 0);
        runs++;
    }
    /* the mutations must leave some texts valid, or this tested only the hand-off */
    assert_true(fast > runs / 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_shapes_are_fast),
        cmocka_unit_test(the_rest_goes_to_jansson),
        cmocka_unit_test(random_mutations),
    };
    return cmocka_run_group_tests_name("json_plain", tests, NULL, NULL);
}
