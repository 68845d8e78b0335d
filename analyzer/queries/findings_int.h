/* Shared by the findings checks (findings*.c); not a public interface. */
#ifndef SGREACH_FINDINGS_INT_H
#define SGREACH_FINDINGS_INT_H

#include "queries/findings.h"
#include "graph/strmap.h"

/* Namespaces (tags) in the context's maps. */
enum { FTAG_SG = 1, FTAG_ATTACH = 2, FTAG_REF = 3, FTAG_INSTANCE = 4, FTAG_PUBLIC = 5, FTAG_UNKNOWN = 6, FTAG_ID = 7 };

/* A task placed on an instance (sgr_ftask_instance): its index in snap->tasks. */
typedef struct sgr_fplaced {
    const sgr_instance *in;
    uint32_t task;
} sgr_fplaced;

typedef struct sgr_fctx {
    const sgr_snapshot *snap;
    sgr_arena *a;
    sgr_findings *out;
    sgr_strmap *map;            /* sg id → sgr_sg; attach/ref counts; instance id → instance */
    sgr_fplaced *placed;        /* every placed task, by instance then task order (sgr_ftasks_on) */
    uint32_t n_placed;
} sgr_fctx;

/* A new finding; id is printf-style, prefixed with "CHECK:". */
sgr_finding *sgr_fadd(sgr_fctx *c, const char *check, sgr_fsev sev, const char *fix,
                      const char *id_fmt, ...) __attribute__((format(printf, 5, 6)));
/* The finding with this full id ("check:..."), or NULL. */
sgr_finding *sgr_ffind(sgr_fctx *c, const char *id);
void sgr_ftitle(sgr_fctx *c, sgr_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a resource unless already listed (NULL ignored). */
void sgr_fres(sgr_fctx *c, sgr_finding *f, const char *res);
/* Adds a deciding rule unless the same component+text is listed. */
void sgr_frule_add(sgr_fctx *c, sgr_finding *f, const char *component, const char *text,
                   const sgr_origin *origin);
void sgr_frule_add_sg(sgr_fctx *c, sgr_finding *f, const sgr_sg *g, const sgr_sg_rule *r);

const sgr_sg *sgr_fgroup(const sgr_fctx *c, const char *id);
const sgr_instance *sgr_finstance(const sgr_fctx *c, const char *id);
/* Number of attachments (ENIs, instances, services, LBs, DBs, endpoints) of a group. */
uint32_t sgr_fattached(const sgr_fctx *c, const char *group_id);

/* True when the rule's peer is 0.0.0.0/0 or ::/0. */
bool sgr_frule_world(const sgr_sg_rule *r);
/* The rule's ports for protocol proto (6 or 17) as [lo, hi]; false if it does not apply. */
bool sgr_frule_range(const sgr_sg_rule *r, int32_t proto, int32_t *lo, int32_t *hi);
bool sgr_frule_covers(const sgr_sg_rule *r, int32_t proto, int32_t port);

/* The groups on an instance: its primary ENI's resolved groups, else its group ids. */
uint32_t sgr_finstance_groups(const sgr_fctx *c, const sgr_instance *in, const sgr_sg **out,
                              uint32_t max);
/* True when the instance or ENI carries a public address. */
bool sgr_finstance_public(const sgr_instance *in);
bool sgr_feni_public(const sgr_eni *e);
/* The instance hosting a task (resolved pointer, else via its container instance). */
const sgr_instance *sgr_ftask_instance(const sgr_task *t);
sgr_net_mode sgr_ftask_mode(const sgr_task *t);
/* The tasks placed on `in`, in snapshot order (*n of them): one index for
 * every check that asks per instance, not a pass over every task per instance. */
const sgr_fplaced *sgr_ftasks_on(sgr_fctx *c, const sgr_instance *in, uint32_t *n);

void sgr_findings_sg(sgr_fctx *c);      /* findings_sg.c */
void sgr_findings_nlb(sgr_fctx *c);     /* findings_nlb.c */
void sgr_findings_ecs(sgr_fctx *c);     /* findings_ecs.c */

#endif
