/* Helpers shared by the Terraform importer's unit tests (header-only). */
#ifndef SGR_TF_TEST_UTIL_H
#define SGR_TF_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include "load/import.h"
#include "sgreach/snapshot.h"

#define TF_DATA SGR_SOURCE_DIR "/tests/data/terraform/"

static inline sgr_snapshot *tf_load(const char *a, const char *b)
{
    const char *paths[2] = {a, b};
    sgr_snapshot *snap = NULL;
    sgr_load_options o = {0};
    o.quiet = true;
    sgr_load_status st = sgr_snapshot_load(paths, b ? 2 : 1, &o, &snap);
    if (st != SGR_LOAD_OK)
        for (uint32_t i = 0; i < snap->n_diags; i++)
            fprintf(stderr, "diag: %s: %s\n", snap->diags[i]->path ? snap->diags[i]->path : "-",
                    snap->diags[i]->message);
    return st == SGR_LOAD_OK ? snap : (sgr_snapshot_free(snap), NULL);
}

static inline sgr_sg *tf_sg(const sgr_snapshot *s, const char *id)
{
    return sgr_snapshot_find(s, SGR_KIND_SG, id);
}

/* Rules of g in a direction whose peer (CIDR text or group/prefix-list id) is `peer`
 * and whose ports are [from, to]; counts them. */
static inline int tf_rules(const sgr_sg *g, bool egress, const char *peer, int32_t from, int32_t to)
{
    int n = 0;
    char buf[64];
    for (uint32_t i = 0; g && i < g->n_rules; i++) {
        const sgr_sg_rule *r = &g->rules[i];
        if (r->egress != egress || r->from_port != from || r->to_port != to)
            continue;
        const char *p = r->peer_kind == SGR_PEER_CIDR    ? sgr_format_prefix(&r->cidr, buf, sizeof buf)
                        : r->peer_kind == SGR_PEER_GROUP ? r->group_id
                                                         : r->prefix_list_id;
        if (p && !strcmp(p, peer))
            n++;
    }
    return n;
}

static inline int tf_count_dir(const sgr_sg *g, bool egress)
{
    int n = 0;
    for (uint32_t i = 0; g && i < g->n_rules; i++)
        n += g->rules[i].egress == egress;
    return n;
}

static inline bool tf_has_diag(const sgr_snapshot *s, const char *needle)
{
    for (uint32_t i = 0; i < s->n_diags; i++)
        if (strstr(s->diags[i]->message, needle))
            return true;
    return false;
}

static inline int tf_count_diag(const sgr_snapshot *s, const char *needle)
{
    int n = 0;
    for (uint32_t i = 0; i < s->n_diags; i++)
        n += strstr(s->diags[i]->message, needle) != NULL;
    return n;
}

static inline bool tf_strs_has(sgr_strs s, const char *v)
{
    for (uint32_t i = 0; i < s.count; i++)
        if (!strcmp(s.items[i], v))
            return true;
    return false;
}

#endif
