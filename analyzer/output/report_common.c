/* Small helpers the report writers share. */
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
