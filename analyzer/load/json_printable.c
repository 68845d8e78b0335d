/*
 * Printable documents (json_printable.h).
 */
#include "load/json_printable.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "graph/printable.h"

/* Whether the text may hold an unprintable character in a string: an escape
 * other than \" \\ \/ (\n, \u001b, \u202e…), DEL, or the lead byte of a C1
 * control (C2), of U+061C (D8) or of a bidirectional control (E2). Raw C0
 * controls are not valid inside JSON strings (the parser refused them). */
static bool may_hold_unprintable(const char *text, size_t len)
{
    /* one memchr per byte that matters (each pass runs at memory speed; a
     * byte-at-a-time switch was 6% of the load's instructions) */
    static const unsigned char LEADS[] = {0x7F, 0xC2, 0xD8, 0xE2};
    for (size_t k = 0; k < sizeof LEADS; k++)
        if (memchr(text, LEADS[k], len))
            return true;
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        const unsigned char *q = memchr(p + i, '\\', len - i);
        if (!q)
            break;
        size_t j = (size_t)(q - p);
        if (j + 1 < len && p[j + 1] != '"' && p[j + 1] != '\\' && p[j + 1] != '/')
            return true;
        i = j + 2; /* past the escaped character */
    }
    return false;
}

static void make_printable(json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (!sgr_printable(s, n)) {
            char *e = sgr_printable_dup(s, n);
            json_string_set(v, e);
            free(e);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach (v, i, x)
            make_printable(x);
    } else if (json_is_object(v)) {
        const char *key;
        json_t *x;
        size_t n_bad = 0;
        json_object_foreach (v, key, x) {
            /* JSON held in a string, which the Terraform importer parses (where
             * a newline is whitespace) and then makes printable itself */
            if (json_is_string(x) && strcmp(key, "container_definitions") == 0)
                continue;
            make_printable(x);
            if (!sgr_printable(key, strlen(key)))
                n_bad++;
        }
        if (!n_bad)
            return;
        /* keys are renamed after the walk: an object cannot change under its iterator */
        char **bad = calloc(n_bad, sizeof *bad);
        if (!bad)
            sgr_oom();
        size_t k = 0;
        json_object_foreach (v, key, x)
            if (!sgr_printable(key, strlen(key)))
                bad[k++] = strdup(key);
        for (k = 0; k < n_bad; k++) {
            if (!bad[k])
                sgr_oom();
            json_t *val = json_incref(json_object_get(v, bad[k]));
            json_object_del(v, bad[k]);
            char *e = sgr_printable_dup(bad[k], strlen(bad[k]));
            json_object_set_new(v, e, val);
            free(e);
            free(bad[k]);
        }
        free(bad);
    }
}

void sgr_json_make_printable(json_t *doc, const char *text, size_t len)
{
    if (doc && (!text || may_hold_unprintable(text, len)))
        make_printable(doc);
}
