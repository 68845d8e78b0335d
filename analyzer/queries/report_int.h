/* Shared by the report builder (report_build*.c); not a public interface. */
#ifndef SGREACH_REPORT_INT_H
#define SGREACH_REPORT_INT_H

#include "queries/report.h"
#include "graph/portspace.h"
#include "sgreach/query.h"

/* The builder's context. Reach results are not kept: each question's answer
 * lives in a scratch arena that is freed once its ports are copied out. */
typedef struct sgr_rctx {
    const sgr_snapshot *snap;
    sgr_graph *g;
    sgr_arena *a;
    const sgr_endpoint *const *eps;
    uint32_t n_eps;
    struct sgr_strmap *split;   /* subnet id → (void *)1 when some rule or route splits it; see report_sig.c */
    bool split_done;
    bool ask_every_task;        /* --debug-reference: no signatures, no shared reach */
    struct sgr_reach_many *many; /* every task's one-hop answers, while the blast section is built */
    uint32_t *target_of;        /* per endpoint: the endpoint standing for its target (an instance's first) */
    uint32_t *slot, *slot_stamp, stamp; /* per target: its place in the service being gathered */
    const sgr_report_options *opts; /* never NULL */
    uint32_t *own_stamp;        /* per endpoint: == stamp when a task of the service being gathered */
} sgr_rctx;

/* Everything ep reaches in one hop, allocated in scratch. */
uint32_t sgr_rctx_reach(sgr_rctx *c, const sgr_endpoint *ep, sgr_arena *scratch, sgr_reach **out);

/* A key that tasks reaching exactly the same endpoints share, prefixed with
 * `group` (the service or node they are grouped in), or NULL when the task must
 * be asked on its own (report_sig.c explains when that is exact). */
const char *sgr_rep_task_sig(sgr_rctx *c, const sgr_endpoint *ep, const char *group);

/* Deep copy of port sets into a (their ranges may live in a scratch arena). */
sgr_proto_ports *sgr_rep_copy_ports(sgr_arena *a, const sgr_proto_ports *pp, uint32_t n);

/* For people: "service api task 1f2e", "lb web-alb", "i-0abc (bastion)". */
const char *sgr_rep_ep_label(sgr_arena *a, const sgr_endpoint *ep);
const char *sgr_rep_ep_kind(const sgr_endpoint *ep);
const char *sgr_rep_ep_vpc(const sgr_endpoint *ep);
/* The LB named in a "lb:NAME" via, or NULL. */
const sgr_lb *sgr_rep_via_lb(const sgr_snapshot *s, const char *via);
/* How the step from → to (first port of r) is opened. */
sgr_rep_how sgr_rep_how_of(const sgr_snapshot *s, const sgr_reach *r);

/* Merges port sets (several entries per protocol) into one text: "tcp:22,80-81 udp:53". */
const char *sgr_rep_merge_ports(sgr_arena *a, const sgr_proto_ports *pp, uint32_t n);

/* sgr_portset_format() into a (it allocates per protocol: done in a scratch arena). */
const char *sgr_rep_portset_text(sgr_arena *a, const sgr_portset *ps);
/* "ALB", "NLB", "GWLB", "classic ELB". */
const char *sgr_rep_lb_type_name(const sgr_lb *lb);
/* A host-mode task's served ports cut to the ports its definition declares. */
sgr_portset sgr_rep_host_declared(sgr_arena *a, const sgr_endpoint *to, const sgr_portset *served);
/* The exposure section (report_exposure.c). */
void sgr_rep_build_exposure(sgr_rctx *c, sgr_report *r);

/* The graph of one VPC (vpc != NULL) or of the whole estate. */
void sgr_rep_build_graph(sgr_rctx *c, const char *vpc, sgr_rep_graph *out);

#endif
