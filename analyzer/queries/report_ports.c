/* Port sets gathered from several reach results, merged for printing. */
#include "queries/report_int.h"

#include <stdlib.h>

static int cmp_range(const void *pa, const void *pb)
{
    const sgr_portrange *a = pa, *b = pb;
    return a->lo != b->lo ? (a->lo < b->lo ? -1 : 1) : (a->hi < b->hi ? -1 : a->hi > b->hi);
}

static int cmp_proto(const void *pa, const void *pb)
{
    const sgr_proto_ports *a = pa, *b = pb;
    return a->protocol < b->protocol ? -1 : a->protocol > b->protocol;
}

const char *sgr_rep_merge_ports(sgr_arena *a, const sgr_proto_ports *in, uint32_t n_in)
{
    if (!n_in)
        return "";
    sgr_proto_ports *pp = sgr_arena_memdup(a, in, n_in * sizeof *pp);
    for (uint32_t i = 0; i < n_in; i++)
        if (pp[i].protocol == -1)
            return sgr_format_ports(&pp[i], 1, a);
    qsort(pp, n_in, sizeof *pp, cmp_proto);
    sgr_proto_ports *out = SGR_NEW_N(a, sgr_proto_ports, n_in);
    uint32_t n = 0;
    for (uint32_t i = 0; i < n_in;) {
        uint32_t j = i, total = 0;
        bool all = false;
        for (; j < n_in && pp[j].protocol == pp[i].protocol; j++) {
            total += pp[j].n_ranges;
            all = all || pp[j].n_ranges == 0;
        }
        sgr_proto_ports *o = &out[n++];
        o->protocol = pp[i].protocol;
        if (!all && total) {
            sgr_portrange *rs = SGR_NEW_N(a, sgr_portrange, total);
            uint32_t m = 0;
            for (uint32_t k = i; k < j; k++)
                for (uint32_t x = 0; x < pp[k].n_ranges; x++)
                    rs[m++] = pp[k].ranges[x];
            qsort(rs, m, sizeof *rs, cmp_range);
            uint32_t w = 0;
            for (uint32_t x = 0; x < m; x++) {
                if (w && rs[x].lo <= rs[w - 1].hi + 1) {
                    if (rs[x].hi > rs[w - 1].hi)
                        rs[w - 1].hi = rs[x].hi;
                } else {
                    rs[w++] = rs[x];
                }
            }
            o->ranges = rs;
            o->n_ranges = w;
        }
        i = j;
    }
    return sgr_format_ports(out, n, a);
}

