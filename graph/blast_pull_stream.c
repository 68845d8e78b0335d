/*
 * What a level pulled by destination (blast_pull.c, forward) or by reaching
 * endpoint (blast_pull_rev.c, --to) records, shared by both: events gathered
 * in streams walked in key order, merged by key into each member's entry,
 * and each entry's path through its first definite event, else its first
 * (the order the expansions of blast_run.c would have met them in). These
 * call blast_level.c only.
 */
#include "blast_pull_int.h"

#include <string.h>

static const char DIRECT[] = "direct";

enum { TAG_SERVED = 0x4260 };

/* Takes event (key, from, v, via) into f if it comes earlier. */
static void firsts_take(pull_firsts *f, pull_evkey key, const blast_node *from, sgr_verdict v, const char *via)
{
    if (!f->have || key_cmp(key, f->key) < 0) {
        f->have = true;
        f->key = key;
        f->from = from;
        f->v = v;
        f->via = via;
    }
    if (v == SGR_REACHABLE && (!f->have_def || key_cmp(key, f->def_key) < 0)) {
        f->have_def = true;
        f->def_key = key;
        f->def_from = from;
        f->def_via = via;
    }
}

void sgr_pull_stream_check_done(pull_stream *st)
{
    st->done = (st->f.have_def || st->no_def) && st->bounded &&
               sgr_ports_cover(st->ports, st->n_ports, st->bound, st->n_bound);
}

void sgr_pull_stream_take(blast_state *R, sgr_arena *a, pull_stream *st, pull_evkey key, const blast_node *from,
                          const sgr_reach *r)
{
    sgr_verdict v = sgr_blast_worst(from->verdict, r->verdict);
    const char *via = !r->via || strcmp(r->via, DIRECT) == 0 ? DIRECT : r->via;
    bool earlier = !st->f.have || key_cmp(key, st->f.key) < 0 ||
                   (v == SGR_REACHABLE && (!st->f.have_def || key_cmp(key, st->f.def_key) < 0));
    if (earlier && via != DIRECT)
        via = sgr_arena_strdup(a, via);
    firsts_take(&st->f, key, from, v, via);
    sgr_blast_merge(a, R->scratch, &st->ports, &st->n_ports, r->ports, r->n_ports);
    if (r->n_maybe)
        sgr_blast_merge(a, R->scratch, &st->maybe, &st->n_maybe, r->maybe, r->n_maybe);
}

/* The entry of endpoint ep this level, created on its first event; NULL
 * when it was reached at an earlier level. */
static blast_node *entry_node(pull_state *P, const sgr_endpoint *ep)
{
    blast_state *R = P->R;
    blast_node *x = R->at[ep->index];
    if (x)
        return x->hops == P->depth + 1 ? x : NULL;
    x = SGR_NEW(R->a, blast_node);
    x->ep = ep;
    x->hops = P->depth + 1;
    sgr_strmap_put(R->seen, TAG_NODE, ep->id, x);
    R->at[ep->index] = x;
    sgr_blast_push(R->work, P->next, x);
    P->touched[P->n_touched++] = ep->index;
    return x;
}

void sgr_pull_apply(pull_state *P, const pull_stream *st, const sgr_endpoint *ep, uint32_t idx, uint32_t k)
{
    if (!st->f.have)
        return;
    blast_node *x = entry_node(P, ep);
    if (!x)
        return;
    blast_state *R = P->R;
    pull_firsts *e = &P->entry[ep->index];
    pull_evkey key = {st->f.key.j, idx, k};
    firsts_take(e, key, st->f.from, st->f.v, st->f.via);
    if (st->f.have_def) {
        pull_evkey dk = {st->f.def_key.j, idx, k};
        firsts_take(e, dk, st->f.def_from, SGR_REACHABLE, st->f.def_via);
    }
    sgr_blast_merge(R->a, R->scratch, &x->ports, &x->n_ports, st->ports, st->n_ports);
    if (st->n_maybe)
        sgr_blast_merge(R->a, R->scratch, &x->maybe, &x->n_maybe, st->maybe, st->n_maybe);
}

void sgr_pull_single(pull_state *P, uint32_t j, const blast_node *from, const sgr_reach *r, const sgr_endpoint *other,
                     uint32_t idx, uint32_t k)
{
    sgr_reach fr;
    /* the task that answers: the destination, or --to the level's endpoint (sgr_blast_discover) */
    const sgr_endpoint *server = P->R->reverse ? from->ep : other;
    if (r->verdict == SGR_UNREACHABLE || !sgr_blast_filter(P->R, server, r, &fr))
        return;
    pull_stream st = {0};
    sgr_pull_stream_take(P->R, P->a, &st, (pull_evkey){j, idx, k}, from, &fr);
    sgr_pull_apply(P, &st, other, idx, k);
}

uint32_t sgr_pull_served_number(pull_state *P, const sgr_endpoint *ep)
{
    if (P->served_id[ep->index])
        return P->served_id[ep->index];
    sgr_proto_ports *p;
    uint32_t n;
    const char *key = "*";
    if (sgr_blast_served(P->R, ep, "direct", &p, &n))
        key = sgr_format_ports(p, n, P->a);
    uintptr_t id = (uintptr_t)sgr_strmap_get(P->served_ids, TAG_SERVED, key);
    if (!id) {
        id = ++P->n_served_ids;
        sgr_strmap_put(P->served_ids, TAG_SERVED, sgr_arena_strdup(P->a, key), (void *)id);
    }
    return P->served_id[ep->index] = (uint32_t)id;
}

int sgr_pull_cmp_member(const void *x, const void *y)
{
    const pull_member *a = x, *b = y;
    if (a->sig != b->sig)
        return a->sig < b->sig ? -1 : 1;
    if (a->sub != b->sub)
        return a->sub < b->sub ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

bool sgr_pull_hosts_a_source(const pull_state *P, const sgr_endpoint *ep)
{
    const sgr_endpoint *const *m = P->R->mates[ep->index];
    for (uint32_t i = 0; m && m[i]; i++)
        if (P->epos[m[i]->index] != NONE)
            return true;
    return false;
}

void sgr_pull_finish(pull_state *P)
{
    blast_state *R = P->R;
    for (uint32_t t = 0; t < P->n_touched; t++) {
        const pull_firsts *f = &P->entry[P->touched[t]];
        blast_node *x = R->at[P->touched[t]];
        x->parent = f->have_def ? f->def_from : f->from;
        x->verdict = f->have_def ? SGR_REACHABLE : f->v;
        x->via = sgr_arena_strdup(R->a, f->have_def ? f->def_via : f->via);
    }
}
