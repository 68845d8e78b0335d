#include "load/json_plain.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "graph/printable.h"

/* Below jansson's own limit (JSON_PARSER_MAX_DEPTH, 2048), so that a text
 * nested deeper always reaches jansson and gets its error. */
#define PLAIN_DEPTH_MAX 1000

typedef struct plain {
    const char *p, *end;
    char *buf; /* a string with escapes, decoded */
    size_t cap;
    unsigned depth;
} plain;

/* A byte a string's fast loop stops at: the closing quote, an escape, a
 * control character (jansson refuses it), a byte past ASCII (checked). */
static bool stops(unsigned char c)
{
    return (unsigned char)(c - 0x20) >= 0x60 || c == '"' || c == '\\';
}

size_t sgr_json_skip_space(const char *text, size_t len, size_t pos)
{
    while (pos < len && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t'))
        pos++;
    return pos;
}

static void skip_space(plain *s)
{
    s->p += sgr_json_skip_space(s->p, (size_t)(s->end - s->p), 0);
}

/* A valid UTF-8 sequence at p, as jansson's stream checks it: its length, or
 * 0 (malformed, or cut by the end). */
static size_t utf8_length(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if ((size_t)(end - p) < need)
        return 0;
    size_t n;
    uint32_t cp = sgr_utf8_next((const unsigned char *)p, &n);
    if (cp == SGR_REPLACEMENT_CHAR && n == 1)
        return 0;
    return n;
}

/* The string whose opening quote is at s->p: *out and *len, pointing into the
 * text when it has no escape, into s->buf when it has; false to give up. */
static bool string(plain *s, const char **out, size_t *len)
{
    const char *start = ++s->p, *p = start, *end = s->end;
    bool escaped = false;
    for (;;) {
        while (p < end && !stops((unsigned char)*p))
            p++;
        if (p >= end)
            return false;
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c == '\\') {
            if (p + 1 >= end || !strchr("\"\\/bfnrt", p[1]) || !p[1])
                return false; /* \u, or what jansson refuses */
            escaped = true;
            p += 2;
        } else if (c >= 0x80) {
            size_t n = utf8_length(p, end);
            if (!n)
                return false;
            p += n;
        } else {
            return false; /* a control character */
        }
    }
    s->p = p + 1;
    if (!escaped) {
        *out = start;
        *len = (size_t)(p - start);
        return true;
    }
    size_t raw = (size_t)(p - start);
    if (s->cap < raw + 1) {
        s->cap = raw + 1 + raw / 2;
        s->buf = sgr_xrealloc(s->buf, s->cap);
    }
    char *t = s->buf;
    for (const char *q = start; q < p; q++) {
        if (*q != '\\') {
            *t++ = *q;
            continue;
        }
        switch (*++q) {
        case 'b': *t++ = '\b'; break;
        case 'f': *t++ = '\f'; break;
        case 'n': *t++ = '\n'; break;
        case 'r': *t++ = '\r'; break;
        case 't': *t++ = '\t'; break;
        default: *t++ = *q; break; /* " \ / */
        }
    }
    *out = s->buf;
    *len = (size_t)(t - s->buf);
    return true;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* true, false or null at s->p: jansson reads the whole run of letters. */
static json_t *word(plain *s)
{
    size_t left = (size_t)(s->end - s->p);
    static const struct {
        const char *text;
        size_t len;
    } WORDS[] = {{"true", 4}, {"false", 5}, {"null", 4}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = WORDS[i].len;
        if (left >= n && memcmp(s->p, WORDS[i].text, n) == 0 && !(left > n && is_alpha(s->p[n]))) {
            s->p += n;
            return i == 0 ? json_true() : i == 1 ? json_false() : json_null();
        }
    }
    return NULL;
}

/* An integer of at most 18 digits (no overflow is possible): jansson's
 * strtoll gives the same value. A fraction or an exponent gives up. */
static json_t *integer(plain *s)
{
    const char *p = s->p, *end = s->end;
    bool negative = p < end && *p == '-';
    if (negative)
        p++;
    const char *digits = p;
    long long v = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        if (p - digits == 18)
            return NULL; /* 19 digits may not fit: jansson decides */
        v = v * 10 + (*p++ - '0');
    }
    size_t n = (size_t)(p - digits);
    if (n == 0 || (n > 1 && *digits == '0'))
        return NULL;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9')))
        return NULL;
    s->p = p;
    return json_integer(negative ? -v : v);
}

static json_t *value(plain *s);

/* Past the opening bracket at s->p: whether the container closes at once. */
static bool opens_empty(plain *s, char close)
{
    s->p++;
    skip_space(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    return false;
}

/* After a member or an element: 1 at the container's end (passed), 0 at a
 * comma (passed, and the space after it), -1 at anything else: give up. */
static int after_item(plain *s, char close)
{
    skip_space(s);
    if (s->p >= s->end || (*s->p != close && *s->p != ','))
        return -1;
    bool closed = *s->p++ == close;
    if (!closed)
        skip_space(s);
    return closed;
}

static json_t *object(plain *s)
{
    json_t *o = json_object();
    if (opens_empty(s, '}'))
        return o;
    for (;;) {
        const char *key;
        size_t klen;
        if (s->p >= s->end || *s->p != '"' || !string(s, &key, &klen))
            break;
        /* a key with escapes is in s->buf, which the value may reuse */
        char small[64], *copy = (char *)key;
        if (key == s->buf) {
            copy = klen < sizeof small ? small : sgr_xmalloc(klen + 1);
            memcpy(copy, key, klen);
        }
        skip_space(s);
        json_t *v = NULL;
        if (s->p < s->end && *s->p == ':') {
            s->p++;
            skip_space(s);
            v = value(s);
        }
        bool ok = v && json_object_setn_new_nocheck(o, copy, klen, v) == 0;
        if (copy != key && copy != small)
            free(copy);
        int next = ok ? after_item(s, '}') : -1;
        if (next < 0)
            break;
        if (next)
            return o;
    }
    json_decref(o); /* given up */
    return NULL;
}

static json_t *array(plain *s)
{
    json_t *a = json_array();
    if (opens_empty(s, ']'))
        return a;
    for (;;) {
        json_t *v = value(s);
        int next = v && json_array_append_new(a, v) == 0 ? after_item(s, ']') : -1;
        if (next < 0)
            break;
        if (next)
            return a;
    }
    json_decref(a); /* given up */
    return NULL;
}

/* The value at s->p (no space before it); NULL to give up. */
static json_t *value(plain *s)
{
    if (s->p >= s->end)
        return NULL;
    char c = *s->p;
    json_t *v = NULL;
    if (c == '{' || c == '[') {
        if (++s->depth > PLAIN_DEPTH_MAX)
            return NULL;
        v = c == '{' ? object(s) : array(s);
        s->depth--;
    } else if (c == '"') {
        const char *text;
        size_t len;
        if (string(s, &text, &len))
            v = json_stringn_nocheck(text, len);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v = integer(s);
    } else {
        v = word(s);
    }
    return v;
}

json_t *sgr_json_plain(const char *text, size_t len, size_t flags, size_t *used)
{
    if (!text || flags & ~(size_t)JSON_DISABLE_EOF_CHECK)
        return NULL; /* jansson says what is wrong */
    plain s = {.p = text, .end = text + len};
    skip_space(&s);
    json_t *v = NULL;
    if (s.p < s.end && (*s.p == '{' || *s.p == '['))
        v = value(&s);
    if (v) {
        *used = (size_t)(s.p - text);
        if (!(flags & JSON_DISABLE_EOF_CHECK)) {
            skip_space(&s);
            if (s.p != s.end) {
                json_decref(v);
                v = NULL; /* jansson says what follows the value */
            }
            *used = len; /* jansson's check read to the end */
        }
    }
    free(s.buf);
    return v;
}

json_t *sgr_json_loadb(const char *text, size_t len, size_t flags, json_error_t *err)
{
    size_t used;
    json_t *v = sgr_json_plain(text, len, flags, &used);
    if (!v)
        return json_loadb(text, len, flags, err);
    if (err) {
        /* what json_loadb leaves after a success: no message, the position reached */
        memset(err, 0, sizeof *err);
        err->line = -1;
        err->column = -1;
        snprintf(err->source, sizeof err->source, "%s", "<buffer>");
        err->position = (int)used;
    }
    return v;
}
