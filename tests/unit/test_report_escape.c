/* The escapers: hostile strings come out inert in every output language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/report_escape.h"

static char *esc(void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    return buf;
}

#define CHECK(fn, in, want)                                                                        \
    do {                                                                                           \
        char *got_ = esc(fn, in);                                                                  \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static const char HOSTILE[] = "<script>alert('x')</script> \"q\" ]]> --> `b` |p| & \\ #1";

static void html_and_xml(void **state)
{
    (void)state;
    CHECK(sgr_esc_html, HOSTILE,
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;q&quot; ]]&gt; --&gt; `b` |p| &amp; \\ #1");
    CHECK(sgr_esc_xml, HOSTILE,
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;q&quot; ]]&gt; --&gt; `b` |p| &amp; \\ #1");
    CHECK(sgr_esc_html, NULL, "");
    CHECK(sgr_esc_html, "caf\xC3\xA9 \xE2\x9C\x93", "caf\xC3\xA9 \xE2\x9C\x93"); /* valid UTF-8 kept */
    /* Control characters and malformed UTF-8 never pass through. */
    CHECK(sgr_esc_xml, "a\x01" "b\nc", "a\\x01b c");
    CHECK(sgr_esc_html, "x\xC0\xBCy", "x\xEF\xBF\xBD\xEF\xBF\xBDy"); /* overlong '<' */
    CHECK(sgr_esc_html, "\xE2\x9C", "\xEF\xBF\xBD\xEF\xBF\xBD");     /* truncated */
    CHECK(sgr_esc_html, "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
}

static void markdown(void **state)
{
    (void)state;
    CHECK(sgr_esc_md, HOSTILE,
          "&lt;script\\>alert('x')&lt;/script\\> \"q\" \\]\\]\\> --\\> \\`b\\` \\|p\\| &amp; \\\\ \\#1");
    CHECK(sgr_esc_md, "a\nb|c", "a b\\|c");
    CHECK(sgr_esc_md, "[link](http://x) *em* _u_ ~s~ $m$ !", "\\[link\\](http://x) \\*em\\* \\_u\\_ \\~s\\~ \\$m\\$ \\!");
}

static void dot_labels(void **state)
{
    (void)state;
    CHECK(sgr_esc_dot, HOSTILE,
          "&lt;script&gt;alert('x')&lt;/script&gt; \\\"q\\\" ]]&gt; --&gt; `b` |p| &amp; \\\\ #1");
    CHECK(sgr_esc_dot, "a\nb", "a\\nb");
    CHECK(sgr_esc_dot, "\\N\\G", "\\\\N\\\\G"); /* no Graphviz escapes sneak in */
}

static void mermaid_labels(void **state)
{
    (void)state;
    CHECK(sgr_esc_mermaid, HOSTILE,
          "#60;script#62;alert#40;'x'#41;#60;/script#62; #34;q#34; #93;#93;#62; --#62; #96;b#96; #124;p#124; "
          "#38; #92; #35;1");
    CHECK(sgr_esc_mermaid, "```\nend", "#96;#96;#96; end");
}

/* CSV: one quoted field, quotes doubled, line breaks flattened, and a
 * value a spreadsheet would evaluate kept as text. */
static void csv_fields(void **state)
{
    (void)state;
    CHECK(sgr_esc_csv, HOSTILE, "\"<script>alert('x')</script> \"\"q\"\" ]]> --> `b` |p| & \\ #1\"");
    CHECK(sgr_esc_csv, "a,b\nc\r\"d", "\"a,b c \"\"d\"");
    CHECK(sgr_esc_csv, "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(sgr_esc_csv, "+1", "\"'+1\"");
    CHECK(sgr_esc_csv, "-1", "\"'-1\"");
    CHECK(sgr_esc_csv, "@SUM(A1)", "\"'@SUM(A1)\"");
    CHECK(sgr_esc_csv, "tcp:22", "\"tcp:22\"");
    CHECK(sgr_esc_csv, "\xff\x01x", "\"\xEF\xBF\xBD\\x01x\"");
    CHECK(sgr_esc_csv, NULL, "\"\"");
}

/* What jansson writes for sgr_json_text(s). */
static char *jansson_literal(const char *s)
{
    json_t *j = sgr_json_text(s);
    char *out = json_dumps(j, JSON_ENCODE_ANY);
    json_decref(j);
    return out;
}

static void same_literal(const char *s)
{
    char *want = jansson_literal(s), *got = esc(sgr_esc_json, s);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

/* JSON: sgr_esc_json writes the literal jansson writes for sgr_json_text. */
static void json_literals(void **state)
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
    char *got = esc(sgr_esc_json, NULL);
    assert_string_equal(got, "\"\"");
    free(got);
}

/* Random bytes, biased toward the ones that need care. */
static void json_random_literals(void **state)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_and_xml),
        cmocka_unit_test(markdown),
        cmocka_unit_test(dot_labels),
        cmocka_unit_test(mermaid_labels),
        cmocka_unit_test(csv_fields),
        cmocka_unit_test(json_literals),
        cmocka_unit_test(json_random_literals),
    };
    return cmocka_run_group_tests_name("report_escape", tests, NULL, NULL);
}
