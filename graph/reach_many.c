/*
 * One hop from many sources at once (reach_many.h). The contract it rests
 * on: two endpoints of one pair class (blast_class.h) reach the same
 * endpoints on the same ports and are reached alike, for pairs on two
 * different interfaces; and graph/inbound.h's, which lets a destination look
 * up the sources its rules admit. tests/e2e/test_report_scale.sh compares the
 * report built on it with the one asked of sgr_reach_from for every task.
 */
#include "reach_many.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blast_class.h"
#include "blast_pull_int.h"

enum { TAG_CLASS = 0x524d, TAG_ANSWER, TAG_ENI };

/* An answer of a source class: toward every member of destination group dg. */
typedef struct hit {
    uint32_t dg, answer;
} hit;

typedef struct sclass {
    uint32_t *members;          /* endpoint indices, in endpoint order */
    uint32_t n_members, cap_members;
    hit *hits;                  /* malloc'ed: grown to millions at scale */
    uint32_t n_hits, cap_hits;
} sclass;

struct sgr_reach_many {
    sgr_graph *g;
    const sgr_endpoint *const *eps;
    uint32_t n_eps;
    sgr_arena *a;
    uint32_t *dgroup;           /* per endpoint: its destination group */
    uint32_t *dg_first, *dg_members; /* group k's members: dg_members[dg_first[k] .. dg_first[k + 1]) */
    uint32_t n_dgroups;
    uint32_t *sc_of;            /* per endpoint: its source class + 1, 0 when not a source */
    sclass *sc;
    uint32_t n_sc;
    sgr_reach *answers;         /* distinct answers (from, to unset) */
    uint32_t n_answers, cap_answers;
    sgr_strmap *answer_ids;
    const sgr_endpoint ***mates; /* per endpoint: every endpoint on its interface, itself too (NULL-ended), or NULL */
};

static bool is_endpoint(const sgr_reach_many *m, const sgr_endpoint *ep)
{
    return ep->index < m->n_eps && m->eps[ep->index] == ep;
}

/* ------------------------------------------------------------------ classes */

/* Pair classes, numbered from 1 (0: a class of its own). */
static uint32_t *pair_classes(sgr_reach_many *m, const sgr_snapshot *snap, sgr_arena *tmp)
{
    uint32_t *cls = SGR_NEW_N(tmp, uint32_t, m->n_eps ? m->n_eps : 1);
    sgr_blast_keyer kr;
    sgr_blast_keyer_init(&kr, m->g, snap, tmp);
    sgr_strmap *ids = sgr_strmap_new(tmp);
    uintptr_t next = 1;
    for (uint32_t i = 0; i < m->n_eps; i++) {
        const char *key = sgr_blast_class_key(&kr, m->eps[i], true, tmp);
        if (!key)
            continue;
        uintptr_t id = (uintptr_t)sgr_strmap_get(ids, TAG_CLASS, key);
        if (!id) {
            id = next++;
            sgr_strmap_put(ids, TAG_CLASS, key, (void *)id);
        }
        cls[i] = (uint32_t)id;
    }
    return cls;
}

/* Destination groups: one per pair class, one per endpoint without a class. */
static void destination_groups(sgr_reach_many *m, const uint32_t *cls, uint32_t n_cls, sgr_arena *tmp)
{
    uint32_t n = m->n_eps ? m->n_eps : 1;
    uint32_t *of_class = SGR_NEW_N(tmp, uint32_t, n_cls + 1);
    m->dgroup = SGR_NEW_N(m->a, uint32_t, n);
    for (uint32_t i = 0; i < m->n_eps; i++) {
        if (cls[i] && of_class[cls[i]]) {
            m->dgroup[i] = of_class[cls[i]] - 1;
            continue;
        }
        m->dgroup[i] = m->n_dgroups++;
        if (cls[i])
            of_class[cls[i]] = m->n_dgroups;
    }
    m->dg_first = SGR_NEW_N(m->a, uint32_t, m->n_dgroups + 1);
    for (uint32_t i = 0; i < m->n_eps; i++)
        m->dg_first[m->dgroup[i] + 1]++;
    for (uint32_t k = 0; k < m->n_dgroups; k++)
        m->dg_first[k + 1] += m->dg_first[k];
    uint32_t *fill = SGR_NEW_N(tmp, uint32_t, m->n_dgroups + 1);
    m->dg_members = SGR_NEW_N(m->a, uint32_t, n);
    for (uint32_t i = 0; i < m->n_eps; i++) {
        uint32_t k = m->dgroup[i];
        m->dg_members[m->dg_first[k] + fill[k]++] = i;
    }
}

/* Source classes: the sources' pair classes, one per source without a class. */
static void source_classes(sgr_reach_many *m, const uint32_t *cls, uint32_t n_cls, const sgr_endpoint *const *src,
                           uint32_t n_src, sgr_arena *tmp)
{
    uint32_t n = m->n_eps ? m->n_eps : 1;
    uint32_t *of_class = SGR_NEW_N(tmp, uint32_t, n_cls + 1);
    bool *is_src = SGR_NEW_N(tmp, bool, n);
    for (uint32_t i = 0; i < n_src; i++)
        if (is_endpoint(m, src[i]))
            is_src[src[i]->index] = true;
    m->sc_of = SGR_NEW_N(m->a, uint32_t, n);
    m->sc = SGR_NEW_N(m->a, sclass, n);
    for (uint32_t i = 0; i < m->n_eps; i++) { /* in endpoint order: the same run gives the same classes */
        if (!is_src[i])
            continue;
        uint32_t k;
        if (cls[i] && of_class[cls[i]]) {
            k = of_class[cls[i]] - 1;
        } else {
            k = m->n_sc++;
            if (cls[i])
                of_class[cls[i]] = k + 1;
        }
        sclass *c = &m->sc[k];
        if (c->n_members == c->cap_members)
            c->members = sgr_arena_grow(m->a, c->members, &c->cap_members, c->n_members + 1, sizeof *c->members);
        c->members[c->n_members++] = i;
        m->sc_of[i] = k + 1;
    }
}

/* Every endpoint on the interface of each endpoint that has one. */
static void interface_mates(sgr_reach_many *m, sgr_arena *tmp)
{
    typedef struct on_eni {
        const sgr_endpoint **v;
        uint32_t n, cap;
    } on_eni;
    m->mates = SGR_NEW_N(m->a, const sgr_endpoint **, m->n_eps ? m->n_eps : 1);
    sgr_strmap *by_eni = sgr_strmap_new(tmp);
    for (uint32_t i = 0; i < m->n_eps; i++) {
        const sgr_endpoint *ep = m->eps[i];
        if (!ep->eni || !ep->eni->id)
            continue;
        on_eni *o = sgr_strmap_get(by_eni, TAG_ENI, ep->eni->id);
        if (!o) {
            o = SGR_NEW(tmp, on_eni);
            sgr_strmap_put(by_eni, TAG_ENI, ep->eni->id, o);
        }
        if (o->n + 1 >= o->cap)
            o->v = sgr_arena_grow(tmp, o->v, &o->cap, o->n + 2, sizeof *o->v);
        o->v[o->n++] = ep;
    }
    for (uint32_t i = 0; i < m->n_eps; i++) {
        const sgr_endpoint *ep = m->eps[i];
        on_eni *o = ep->eni && ep->eni->id ? sgr_strmap_get(by_eni, TAG_ENI, ep->eni->id) : NULL;
        if (!o)
            continue;
        const sgr_endpoint **v = SGR_NEW_N(m->a, const sgr_endpoint *, o->n + 1);
        uint32_t k = 0;
        for (uint32_t j = 0; j < o->n; j++)
            if (o->v[j]->eni == ep->eni)
                v[k++] = o->v[j];
        m->mates[i] = v;
    }
}

/* ------------------------------------------------------------------ answers */

static uint32_t answer_id(sgr_reach_many *m, const sgr_reach *r, sgr_arena *tmp)
{
    const char *key = sgr_arena_printf(tmp, "%d|%s|%s|%s", (int)r->verdict, r->via ? r->via : "",
                                       sgr_format_ports(r->ports, r->n_ports, tmp),
                                       sgr_format_ports(r->maybe, r->n_maybe, tmp));
    uintptr_t id = (uintptr_t)sgr_strmap_get(m->answer_ids, TAG_ANSWER, key);
    if (id)
        return (uint32_t)id - 1;
    if (m->n_answers == m->cap_answers)
        m->answers = sgr_arena_grow(m->a, m->answers, &m->cap_answers, m->n_answers + 1, sizeof *m->answers);
    sgr_reach *c = &m->answers[m->n_answers];
    sgr_reach_copy(m->a, c, r);
    c->from = c->to = NULL;
    sgr_strmap_put(m->answer_ids, TAG_ANSWER, sgr_arena_strdup(m->a, key), (void *)(uintptr_t)(m->n_answers + 1));
    return m->n_answers++;
}

static void add_hit(sclass *c, uint32_t dg, uint32_t answer)
{
    if (c->n_hits == c->cap_hits) {
        c->cap_hits = c->cap_hits ? c->cap_hits * 2 : 16;
        c->hits = sgr_xrealloc(c->hits, c->cap_hits * sizeof *c->hits);
    }
    c->hits[c->n_hits++] = (hit){dg, answer};
}

/* A pair of the two classes on two different interfaces, or false. */
static bool pick_pair(const sgr_reach_many *m, const sclass *c, uint32_t dg, const sgr_endpoint **from,
                      const sgr_endpoint **to)
{
    const sgr_endpoint *f = m->eps[c->members[0]];
    for (uint32_t k = m->dg_first[dg]; k < m->dg_first[dg + 1]; k++) {
        const sgr_endpoint *t = m->eps[m->dg_members[k]];
        if (!f->eni || f->eni != t->eni) {
            *from = f;
            *to = t;
            return true;
        }
    }
    /* every member of the group is on the first source's interface */
    const sgr_endpoint *t = m->eps[m->dg_members[m->dg_first[dg]]];
    for (uint32_t i = 1; i < c->n_members; i++) {
        f = m->eps[c->members[i]];
        if (f->eni != t->eni) {
            *from = f;
            *to = t;
            return true;
        }
    }
    return false;
}

/* Each destination group asks the source classes its inbound rules admit
 * (blast_pull_int.h's look-ups, over one "level" whose sources are the
 * classes' first members). */
static void by_destination(sgr_reach_many *m, sgr_arena *tmp)
{
    blast_state R;
    memset(&R, 0, sizeof R);
    R.g = m->g;
    R.eps = m->eps;
    R.n_eps = m->n_eps;
    R.sig = SGR_NEW_N(tmp, uint32_t, m->n_eps ? m->n_eps : 1);
    blast_node **E = SGR_NEW_N(tmp, blast_node *, m->n_sc ? m->n_sc : 1);
    bool *full = SGR_NEW_N(tmp, bool, m->n_sc ? m->n_sc : 1);
    for (uint32_t k = 0; k < m->n_sc; k++) {
        E[k] = SGR_NEW(tmp, blast_node);
        E[k]->ep = m->eps[m->sc[k].members[0]];
        E[k]->verdict = SGR_REACHABLE;
        full[k] = true;
        R.sig[m->sc[k].members[0]] = k + 1; /* "classed": stands for others */
    }
    pull_state P;
    memset(&P, 0, sizeof P);
    P.R = &R;
    P.a = sgr_arena_new();
    P.epos = SGR_NEW_N(P.a, uint32_t, m->n_eps ? m->n_eps : 1);
    memset(P.epos, 0xff, (m->n_eps ? m->n_eps : 1) * sizeof *P.epos);
    sgr_pull_sources(&P, E, m->n_sc, full);
    sgr_arena *each = sgr_arena_new(), *eval = sgr_arena_new();
    for (uint32_t dg = 0; dg < m->n_dgroups; dg++) {
        sgr_arena_reset(each);
        const sgr_endpoint *rep = m->eps[m->dg_members[m->dg_first[dg]]];
        sgr_inbound in;
        sgr_inbound_of(m->g, rep, &in, each);
        sgr_pull_keep_rules(&in, NULL, 0, false, each);
        pull_cands c;
        sgr_pull_cands_init(&P, &in, false, each, &c);
        for (uint32_t s; (s = sgr_pull_cands_next(&P, &c, false)) != NONE;) {
            sclass *sc = &m->sc[P.src[s].j];
            const sgr_endpoint *from, *to;
            if (!pick_pair(m, sc, dg, &from, &to))
                continue;
            sgr_arena_reset(eval);
            sgr_reach r;
            if (!sgr_reach_pair(m->g, from, to, &r, eval) || r.verdict == SGR_UNREACHABLE)
                continue;
            add_hit(sc, dg, answer_id(m, &r, eval));
        }
    }
    sgr_arena_free(eval);
    sgr_arena_free(each);
    sgr_memo_free(&P.rule_memo);
    sgr_memo_free(&P.sides_shut);
    sgr_arena_free(P.a);
}

/* ------------------------------------------------------------------ the set */

sgr_reach_many *sgr_reach_many_new(sgr_graph *g, const sgr_snapshot *snap, const sgr_endpoint *const *src,
                                   uint32_t n_src)
{
    sgr_reach_many *m = sgr_xcalloc(1, sizeof *m);
    m->g = g;
    m->a = sgr_arena_new();
    m->n_eps = sgr_graph_endpoints(g, &m->eps);
    m->answer_ids = sgr_strmap_new(m->a);
    sgr_arena *tmp = sgr_arena_new();
    uint32_t *cls = pair_classes(m, snap, tmp);
    uint32_t n_cls = 0;
    for (uint32_t i = 0; i < m->n_eps; i++)
        n_cls = cls[i] > n_cls ? cls[i] : n_cls;
    destination_groups(m, cls, n_cls, tmp);
    source_classes(m, cls, n_cls, src, n_src, tmp);
    interface_mates(m, tmp);
    by_destination(m, tmp);
    sgr_arena_free(tmp);
    return m;
}

void sgr_reach_many_free(sgr_reach_many *m)
{
    if (!m)
        return;
    for (uint32_t k = 0; k < m->n_sc; k++)
        free(m->sc[k].hits);
    sgr_arena_free(m->a);
    free(m);
}

static void visit_one(sgr_reach visit_r, const sgr_endpoint *from, const sgr_endpoint *to, sgr_reach_visit visit,
                      void *ctx)
{
    visit_r.from = from;
    visit_r.to = to;
    visit(ctx, &visit_r);
}

/* Source ep asked whole (not one of the set given to _new). */
static void visit_whole(sgr_reach_many *m, const sgr_endpoint *ep, sgr_reach_visit visit, void *ctx,
                        sgr_arena *scratch)
{
    sgr_reach *rs;
    uint32_t n = sgr_reach_from(m->g, ep, &rs, scratch);
    for (uint32_t i = 0; i < n; i++)
        if (rs[i].to && rs[i].verdict != SGR_UNREACHABLE)
            visit(ctx, &rs[i]);
}

void sgr_reach_many_visit(sgr_reach_many *m, const sgr_endpoint *const *set, uint32_t n_set, sgr_reach_visit visit,
                          sgr_reach_group_visit visit_group, void *ctx, sgr_arena *scratch)
{
    /* the set's members per source class, and whether they sit on one interface */
    uint32_t *first = SGR_NEW_N(scratch, uint32_t, n_set ? n_set : 1);
    const sgr_eni **one_eni = SGR_NEW_N(scratch, const sgr_eni *, n_set ? n_set : 1);
    bool *several = SGR_NEW_N(scratch, bool, n_set ? n_set : 1);
    uint32_t n_classes = 0;
    for (uint32_t i = 0; i < n_set; i++) {
        const sgr_endpoint *ep = set[i];
        if (!is_endpoint(m, ep) || !m->sc_of[ep->index]) {
            visit_whole(m, ep, visit, ctx, scratch);
            continue;
        }
        uint32_t k = m->sc_of[ep->index] - 1, j = 0;
        while (j < n_classes && first[j] != k)
            j++;
        if (j == n_classes) {
            first[n_classes] = k;
            one_eni[n_classes] = ep->eni;
            several[n_classes++] = !ep->eni;
        } else if (ep->eni != one_eni[j]) {
            several[j] = true;
        }
        /* the pairs on its own interface, one by one */
        const sgr_endpoint *const *mt = m->mates[ep->index];
        for (uint32_t q = 0; mt && mt[q]; q++) {
            sgr_reach r;
            if (sgr_reach_pair(m->g, ep, mt[q], &r, scratch) && r.verdict != SGR_UNREACHABLE)
                visit(ctx, &r);
        }
    }
    /* the classes' answers, toward every member of each group reached, but
     * for a member on the interface every source of the class sits on */
    for (uint32_t j = 0; j < n_classes; j++) {
        const sclass *c = &m->sc[first[j]];
        const sgr_endpoint *from = NULL;
        for (uint32_t i = 0; i < n_set && !from; i++)
            if (is_endpoint(m, set[i]) && m->sc_of[set[i]->index] == first[j] + 1)
                from = set[i];
        for (uint32_t h = 0; h < c->n_hits; h++) {
            const hit *x = &c->hits[h];
            if (visit_group) {
                sgr_reach r = m->answers[x->answer];
                r.from = from;
                sgr_reach_group grp = {x->dg, x->answer, &r, several[j] ? NULL : one_eni[j],
                                       &m->dg_members[m->dg_first[x->dg]], m->dg_first[x->dg + 1] - m->dg_first[x->dg]};
                visit_group(ctx, &grp);
                continue;
            }
            for (uint32_t k = m->dg_first[x->dg]; k < m->dg_first[x->dg + 1]; k++) {
                const sgr_endpoint *to = m->eps[m->dg_members[k]];
                if (!several[j] && to->eni && to->eni == one_eni[j])
                    continue;
                visit_one(m->answers[x->answer], from, to, visit, ctx);
            }
        }
    }
}
