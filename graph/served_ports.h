/*
 * Ports as the destination serves them. The engine's reach lists the ports a
 * packet is sent to; for a task in bridge mode (or Windows default) those are
 * its container instance's host ports, while policies, `can --port` and
 * people speak of the container port (SPEC: "--port is the port the
 * destination serves"). This maps one to the other through the task's
 * networkBindings, else its task definition's static host ports. Ports of a
 * bridge task that no binding publishes belong to the host, not the task, and
 * are left out. Every other destination is returned as is.
 */
#ifndef SGREACH_SERVED_PORTS_H
#define SGREACH_SERVED_PORTS_H

#include "arena.h"
#include "portspace.h"
#include "sgreach/query.h"

/* The ports of r (sgr_reach, as the engine gives them) as r->to serves them.
 * *possible gets container ports whose host port is dynamic and not in the
 * dump while some high host port is open: reached or not, the dump cannot say. */
sgr_portset sgr_reach_served_ports(sgr_arena *a, const sgr_reach *r, sgr_portset *possible);

/* For output (docs/selectors.md#ports): the ports `sent` to `to` by way `via`
 * as `to` serves them, with the host ports beside. True for a bridge task
 * reached on host ports it publishes: *served its container ports, *host
 * those host ports (only the published ones: another port of the host is the
 * host's, not the task's). False (nothing set) otherwise — every other
 * endpoint, over the docker bridge, or when the dump does not record the host
 * ports: then the sent ports are all that can be said. `mixed`: `sent` may
 * merge several ways (blast's union over equally short paths), so ports that
 * are container ports of the task and no host port of it came over the docker
 * bridge and are served as they are. */
bool sgr_served_view(sgr_arena *a, const sgr_endpoint *to, const char *via, bool mixed, const sgr_proto_ports *sent,
                     uint32_t n_sent, sgr_proto_ports **served, uint32_t *n_served, sgr_proto_ports **host,
                     uint32_t *n_host);

/* The same set as sgr_proto_ports (the engine's shape), in the arena. */
sgr_proto_ports *sgr_portset_to_proto_ports(sgr_arena *a, const sgr_portset *s, uint32_t *n);

#endif
