/*
 * Legs through load balancers decided once for many questions. A
 * whole-estate command (blast's closure) asks sgr_can_via_lb for many
 * clients of one load balancer and many targets behind it; without
 * explanations a leg is only its verdict, and two legs repeat across those
 * questions: the client's leg to a listener (the same for every target) and
 * the load balancer's leg to a target when the target sees the load
 * balancer's own address (the same for every client). engine_lb.c keeps
 * both here; a leg that shows the target the client's address (client IP
 * preservation) is decided anew each time.
 */
#ifndef SGREACH_LB_LEGS_H
#define SGREACH_LB_LEGS_H

#include "blast_memo.h"
#include "sgreach/query.h"

typedef struct sgr_lb_legs {
    sgr_memo leads;             /* (client, LB, protocol, listener port, family) -> verdict + 1 */
    sgr_memo tails;             /* (target, LB, its port, protocol, family) -> verdict + 1 (engine_lb.c: relay_key) */
} sgr_lb_legs;

void sgr_lb_legs_free(sgr_lb_legs *legs);

/* sgr_can_via_lb, keeping its legs in legs (NULL: none kept). */
sgr_verdict sgr_can_via_lb_legs(sgr_graph *g, const sgr_endpoint *from, const sgr_endpoint *lb,
                                const sgr_endpoint *to, int32_t protocol, int32_t target_port, sgr_arena *scratch,
                                sgr_lb_legs *legs);

#endif
