/* Small helpers the report writers share. */
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
