/*
 * Endpoints as `check` and `diff` name them: by a stable identity that survives
 * a redeploy, so that a baseline, a waiver or the other side of a diff finds
 * the same thing again. Task ARNs and task ENIs change on every deployment;
 * a service does not.
 *
 *   internet                  SGR_EP_INTERNET
 *   10.0.0.0/16               SGR_EP_CIDR (the endpoint's id)
 *   eni-…                     SGR_EP_ENI
 *   service:CLUSTER/NAME      SGR_EP_TASK of a service (every task of it is one identity)
 *   family:CLUSTER/FAMILY     SGR_EP_TASK started outside a service (RunTask)
 *   lb:NAME                   SGR_EP_LB
 *   the database id           SGR_EP_DB
 */
#ifndef SGREACH_ENDPOINT_KEY_H
#define SGREACH_ENDPOINT_KEY_H

#include "graph/arena.h"
#include "sgreach/query.h"
#include "sgreach/selector.h"

/* The stable identity (static, graph or arena string). */
const char *sgr_endpoint_key(sgr_arena *a, const sgr_endpoint *e);

/* The endpoints a resolved selection stands for (in the order of the
 * selection's arrays; objects without an endpoint are left out). The array
 * is allocated in `a`; CIDR endpoints are created in the graph. */
uint32_t sgr_policy_endpoints(sgr_graph *g, const sgr_selection *s, sgr_arena *a,
                                 const sgr_endpoint ***out);

#endif
