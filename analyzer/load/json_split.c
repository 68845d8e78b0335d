#include "load/json_split.h"

#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"

/* jansson refuses documents nested deeper than 2048; a piece sits one level
 * higher than in its document, so a deep document is parsed whole. */
#define SPLIT_MAX_DEPTH 2000

/* The bytes a scan below the glue stops at. */
static const bool DEEP_BYTE[256] = {['"'] = true, ['{'] = true, ['}'] = true, ['['] = true,
                                    [']'] = true, ['\n'] = true};

/* Where the scan is among the top-level object's own tokens. */
typedef enum top_state { T_KEY_OR_CLOSE, T_KEY, T_COLON, T_VALUE, T_IN_VALUE } top_state;
/* Where it is among a top-level array's own tokens. */
typedef enum array_state { A_ELEM_OR_CLOSE, A_ELEM, A_IN_ELEM, A_CLOSED } array_state;

/* Per member, while scanning. */
typedef struct member_scan {
    size_t value_start, value_end;
    uint32_t value_line;
    bool is_array;
    size_t first_elem, n_elems;
    size_t close; /* the array's ']' */
} member_scan;

/* Index of the quote closing the string whose body starts at p; len if none. */
static size_t string_end(const char *t, size_t len, size_t p)
{
    for (;;) {
        const char *q = memchr(t + p, '"', len - p);
        if (!q)
            return len;
        size_t i = (size_t)(q - t), b = i;
        while (b > p && t[b - 1] == '\\')
            b--;
        if (((i - b) & 1) == 0)
            return i; /* an even run of backslashes: the quote is real */
        p = i + 1;
    }
}

/* A key that needs no unescaping and no UTF-8 check to be the string jansson reads. */
static bool plain_key(const char *t, size_t start, size_t end)
{
    if (end - start > SGR_SPLIT_KEY_MAX)
        return false;
    for (size_t i = start; i < end; i++)
        if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] > 0x7e || t[i] == '\\')
            return false;
    return true;
}

static void push_elem(sgr_split *s, size_t start, uint32_t line)
{
    if (s->n_elems == s->cap_elems) {
        s->cap_elems = s->cap_elems ? s->cap_elems * 2 : 1024;
        s->elem_start = sgr_xrealloc(s->elem_start, s->cap_elems * sizeof *s->elem_start);
        s->elem_line = sgr_xrealloc(s->elem_line, s->cap_elems * sizeof *s->elem_line);
    }
    s->elem_start[s->n_elems] = start;
    s->elem_line[s->n_elems] = line;
    s->n_elems++;
}

static void push_piece(sgr_split *s, sgr_split_piece p)
{
    if (s->n_pieces == s->cap_pieces) {
        s->cap_pieces = s->cap_pieces ? s->cap_pieces * 2 : 64;
        s->pieces = sgr_xrealloc(s->pieces, s->cap_pieces * sizeof *s->pieces);
    }
    s->pieces[s->n_pieces++] = p;
}

typedef struct members {
    member_scan *v;
    size_t n, cap;
} members;

static member_scan *new_member(sgr_split *s, members *ms, const char *t, size_t start, size_t end)
{
    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 8;
        ms->v = sgr_xrealloc(ms->v, ms->cap * sizeof *ms->v);
    }
    if (s->n_members == s->cap_members) {
        s->cap_members = s->cap_members ? s->cap_members * 2 : 8;
        s->members = sgr_xrealloc(s->members, s->cap_members * sizeof *s->members);
    }
    memcpy(s->members[s->n_members].key, t + start, end - start);
    s->members[s->n_members].key[end - start] = '\0';
    s->n_members++;
    member_scan *m = &ms->v[ms->n++];
    memset(m, 0, sizeof *m);
    return m;
}

/* Whether the members allow the cut, and the pieces when they do. */
static bool cut(sgr_split *s, const members *ms, sgr_split_classify classify, size_t piece_bytes)
{
    bool any = false;
    for (size_t i = 0; i < s->n_members; i++) {
        sgr_split_key k = classify(s->members[i].key);
        if (k == SGR_SPLIT_OTHER || (k == SGR_SPLIT_ELEMENTS && !ms->v[i].is_array))
            return false;
        any |= k == SGR_SPLIT_ELEMENTS;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->members[i].key, s->members[j].key) == 0)
                return false; /* jansson keeps the last: parse it whole */
    }
    if (!any)
        return false;
    size_t n_elements = 0;
    for (size_t i = 0; i < s->n_members; i++) {
        const member_scan *m = &ms->v[i];
        if (classify(s->members[i].key) == SGR_SPLIT_SILENT) {
            push_piece(s, (sgr_split_piece){m->value_start, m->value_end, m->value_line, (uint32_t)i, 0,
                                            false});
            continue;
        }
        n_elements += m->n_elems;
        if (!m->n_elems) /* an empty array still names what the file is (as dispatch() sees it) */
            push_piece(s, (sgr_split_piece){m->close, m->close, m->value_line, (uint32_t)i, 0, true});
        for (size_t a = 0; a < m->n_elems;) {
            size_t start = s->elem_start[m->first_elem + a], b = a + 1;
            size_t end = b < m->n_elems ? s->elem_start[m->first_elem + b] - 1 : m->close;
            while (b < m->n_elems && end - start < piece_bytes) {
                b++;
                end = b < m->n_elems ? s->elem_start[m->first_elem + b] - 1 : m->close;
            }
            push_piece(s, (sgr_split_piece){start, end, s->elem_line[m->first_elem + a], (uint32_t)i, a, true});
            a = b;
        }
    }
    if (!n_elements)
        s->n_pieces = 0; /* empty arrays only: nothing to gain, parse it whole */
    return s->n_pieces > 0;
}

/* Whether the string whose opening quote is at q and whose closing quote (or
 * the text's end) is at e is too long: then recorded, and the scan stops. */
static bool too_long(sgr_split *s, size_t q, size_t e, uint32_t nl)
{
    if (e - q - 1 <= SGR_JSON_STRING_MAX)
        return false;
    s->too_long = true;
    s->long_at = q;
    s->long_len = e - q - 1;
    s->long_line = nl;
    s->delimited = s->split = false;
    return true;
}

void sgr_split_scan(sgr_split *s, const char *text, size_t len, size_t pos,
                    sgr_split_classify classify, size_t piece_bytes)
{
    s->delimited = s->split = s->too_long = false;
    s->n_members = s->n_pieces = s->n_elems = 0;
    s->newlines = 0;
    s->end = pos;
    if (pos < len && text[pos] == '"') { /* not a document jansson takes, but it reads the string first */
        too_long(s, pos, string_end(text, len, pos + 1), 0);
        return;
    }
    if (pos >= len || (text[pos] != '{' && text[pos] != '['))
        return;
    bool can_split = classify && text[pos] == '{';
    members ms = {0};
    member_scan *m = NULL;
    top_state top = T_KEY_OR_CLOSE;
    array_state arr = A_CLOSED;
    size_t depth = 0, sep = 0;
    uint32_t nl = 0, sep_line = 0;
    for (size_t p = pos; p < len; p++) {
        if (!can_split || depth > 2) {
            /* below the glue only brackets, strings and newlines matter */
            while (p < len && !DEEP_BYTE[(unsigned char)text[p]])
                p++;
            if (p >= len)
                break;
        }
        char c = text[p];
        switch (c) {
        case '\n':
            nl++;
            continue;
        case ' ':
        case '\t':
        case '\r':
            continue;
        case '}':
        case ']':
            if (!depth || (c == '}') != (s->stack[depth - 1] == '{'))
                goto out; /* not JSON: parsed whole, jansson says where */
            depth--;
            if (!depth) {
                if (top == T_IN_VALUE)
                    m->value_end = p;
                else if (top != T_KEY_OR_CLOSE)
                    can_split = false;
                s->delimited = true;
                s->end = p + 1;
                s->newlines = nl;
                goto out;
            }
            if (depth == 1 && can_split && m && m->is_array && arr != A_CLOSED) {
                if (arr == A_ELEM)
                    can_split = false; /* a comma before ']' */
                m->close = p;
                m->n_elems = s->n_elems - m->first_elem;
                arr = A_CLOSED;
            }
            continue;
        case ',':
            if (can_split && depth == 1) {
                if (top == T_IN_VALUE) {
                    m->value_end = p;
                    top = T_KEY;
                } else {
                    can_split = false;
                }
            } else if (can_split && depth == 2 && m->is_array) {
                if (arr == A_IN_ELEM) {
                    arr = A_ELEM;
                    sep = p + 1;
                    sep_line = nl;
                } else {
                    can_split = false;
                }
            }
            continue;
        case ':':
            if (can_split && depth == 1) {
                if (top == T_COLON) {
                    top = T_VALUE;
                    m->value_start = p + 1;
                    m->value_line = nl;
                } else {
                    can_split = false;
                }
            } else if (can_split && depth == 2 && m->is_array) {
                can_split = false;
            }
            continue;
        default:
            break;
        }
        /* A token starts at p, directly inside the container at `depth`. */
        if (can_split && depth == 1) {
            if (top == T_KEY_OR_CLOSE || top == T_KEY) {
                size_t q = c == '"' ? string_end(text, len, p + 1) : len;
                if (q >= len || !plain_key(text, p + 1, q)) {
                    can_split = false;
                } else {
                    m = new_member(s, &ms, text, p + 1, q);
                    top = T_COLON;
                    p = q;
                    continue;
                }
            } else if (top == T_VALUE) {
                top = T_IN_VALUE;
                m->is_array = c == '[';
                if (m->is_array) {
                    arr = A_ELEM_OR_CLOSE;
                    m->first_elem = s->n_elems;
                    sep = p + 1;
                    sep_line = nl;
                }
            } else if (top == T_COLON || (m->is_array && arr == A_CLOSED)) {
                can_split = false; /* a second value, or a value where a colon belongs */
            }
        } else if (can_split && depth == 2 && m->is_array && arr != A_IN_ELEM) {
            push_elem(s, sep, sep_line);
            arr = A_IN_ELEM;
        }
        if (c == '"') {
            size_t q = p;
            p = string_end(text, len, p + 1);
            if (too_long(s, q, p, nl)) {
                free(ms.v);
                return;
            }
            if (p >= len)
                goto out;
        } else if (c == '{' || c == '[') {
            if (depth == s->cap_stack) {
                s->cap_stack = s->cap_stack ? s->cap_stack * 2 : 256;
                s->stack = sgr_xrealloc(s->stack, s->cap_stack);
            }
            s->stack[depth++] = (unsigned char)c;
            if (depth > SPLIT_MAX_DEPTH)
                can_split = false;
        }
    }
out:
    if (s->delimited && can_split)
        s->split = cut(s, &ms, classify, piece_bytes ? piece_bytes : 1);
    free(ms.v);
}

void sgr_split_free(sgr_split *s)
{
    if (!s)
        return;
    free(s->members);
    free(s->pieces);
    free(s->elem_start);
    free(s->elem_line);
    free(s->stack);
    memset(s, 0, sizeof *s);
}
