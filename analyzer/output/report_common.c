/* Small helpers the report writers share. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queries/report.h"

const char *sgr_rep_class_name(sgr_rep_class c)
{
    static const char *const NAMES[] = {"database", "admin port", "other service", "internet", "other"};
    return (unsigned)c <= SGR_REP_OTHER ? NAMES[c] : "other";
}

const char *sgr_rep_where(sgr_arena *a, const char *file, uint32_t line)
{
    if (!file)
        return "";
    if (!line)
        return file;
    return sgr_arena_printf(a, "%s:%u", file, (unsigned)line);
}

const char *sgr_rep_blast_selector(const sgr_rep_blast *b)
{
    return b->service_id && strstr(b->service_id, ":service/") ? b->service_id : NULL;
}

static int cmp_group_id(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const sgr_rep_group_name *)elem)->id);
}

void sgr_rep_id_with_names(FILE *out, const sgr_report *r, const char *id, void (*esc)(FILE *, const char *))
{
    char buf[512];
    const char *names = sgr_rep_group_names(r, id, buf, sizeof buf);
    esc(out, id);
    if (names) {
        fputs(" (", out);
        esc(out, names);
        fputc(')', out);
    }
}

void sgr_rep_text_with_groups(FILE *out, const sgr_report *r, const char *text, void (*esc)(FILE *, const char *))
{
    esc(out, text);
    const char *shown[16]; /* the ids named so far: each once, at its first mention */
    size_t shown_len[16], n_shown = 0, pos = 0, len;
    for (const char *p; n_shown < 16 && (p = sgr_rep_next_group_id(text, &pos, &len));) {
        bool again = false;
        for (size_t i = 0; i < n_shown && !again; i++)
            again = shown_len[i] == len && memcmp(shown[i], p, len) == 0;
        char id[64], buf[512];
        if (again || len >= sizeof id)
            continue;
        memcpy(id, p, len);
        id[len] = '\0';
        const char *names = sgr_rep_group_names(r, id, buf, sizeof buf);
        if (!names)
            continue;
        fputs(n_shown ? ", " : " (groups: ", out);
        esc(out, id);
        fputc(' ', out);
        esc(out, names);
        shown[n_shown] = p;
        shown_len[n_shown++] = len;
    }
    if (n_shown)
        fputc(')', out);
}

const char *sgr_rep_group_names(const sgr_report *r, const char *id, char *buf, size_t size)
{
    if (!id || !r->n_groups)
        return NULL;
    const sgr_rep_group_name *g = bsearch(id, r->groups, r->n_groups, sizeof *r->groups, cmp_group_id);
    if (!g || (!g->name && !g->name_tag))
        return NULL;
    if (g->name && g->name_tag)
        snprintf(buf, size, "%s, Name tag: %s", g->name, g->name_tag);
    else
        snprintf(buf, size, "%s", g->name ? g->name : g->name_tag);
    return buf;
}
