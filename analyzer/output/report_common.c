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

void sgr_rep_text_with_groups(FILE *out, const sgr_report *r, const char *text, void (*esc)(FILE *, const char *))
{
    esc(out, text);
    size_t pos = 0, len;
    bool any = false;
    for (const char *p; (p = sgr_rep_next_group_id(text, &pos, &len));) {
        char id[64], buf[512];
        if (len >= sizeof id)
            continue;
        memcpy(id, p, len);
        id[len] = '\0';
        /* each group once, at its first mention */
        size_t again = 0, l2;
        const char *first = sgr_rep_next_group_id(text, &again, &l2);
        while (first && !(l2 == len && memcmp(first, id, len) == 0))
            first = sgr_rep_next_group_id(text, &again, &l2);
        const char *names = first == p ? sgr_rep_group_names(r, id, buf, sizeof buf) : NULL;
        if (!names)
            continue;
        fputs(any ? ", " : " (groups: ", out);
        esc(out, id);
        fputc(' ', out);
        esc(out, names);
        any = true;
    }
    if (any)
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
