#include "output/json_writer.h"

#include <stdlib.h>
#include <string.h>

#include "output/report_escape.h"

void sgr_jw_start(sgr_jw *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* jansson's dump_indent: a newline, then two spaces per level. */
static void newline(sgr_jw *w, uint32_t depth)
{
    static const char spaces[] = "                                                                ";
    fputc('\n', w->out);
    for (size_t n = (size_t)depth * 2; n;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        fwrite(spaces, 1, k, w->out);
        n -= k;
    }
}

/* What comes before a value or a key: nothing after a key or at the top, else
 * the separator from the previous member and the new member's indent. */
static void before(sgr_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->filled[w->depth])
        fputc(',', w->out);
    w->filled[w->depth] = true;
    newline(w, w->depth);
}

static void open_container(sgr_jw *w, char opening, char closing)
{
    before(w);
    if (w->depth == SGR_JW_DEPTH_MAX)
        abort(); /* a writer's bug: no document of ours is this deep */
    fputc(opening, w->out);
    w->depth++;
    w->filled[w->depth] = false;
    w->close[w->depth] = closing;
}

void sgr_jw_object(sgr_jw *w)
{
    open_container(w, '{', '}');
}

void sgr_jw_array(sgr_jw *w)
{
    open_container(w, '[', ']');
}

void sgr_jw_end(sgr_jw *w)
{
    if (w->depth == 0)
        abort();
    if (w->filled[w->depth])
        newline(w, w->depth - 1);
    fputc(w->close[w->depth], w->out);
    w->depth--;
}

void sgr_jw_key(sgr_jw *w, const char *key)
{
    before(w);
    sgr_esc_json(w->out, key);
    fputs(": ", w->out);
    w->after_key = true;
}

void sgr_jw_text(sgr_jw *w, const char *s)
{
    if (!s) {
        sgr_jw_null(w);
        return;
    }
    before(w);
    sgr_esc_json(w->out, s);
}

void sgr_jw_int(sgr_jw *w, long long v)
{
    before(w);
    fprintf(w->out, "%lld", v);
}

void sgr_jw_null(sgr_jw *w)
{
    before(w);
    fputs("null", w->out);
}

void sgr_jw_field(sgr_jw *w, const char *key, const char *s)
{
    sgr_jw_key(w, key);
    sgr_jw_text(w, s);
}

void sgr_jw_finish(sgr_jw *w)
{
    fputc('\n', w->out);
}
