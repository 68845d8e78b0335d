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

/* The same set as sgr_proto_ports (the engine's shape), in the arena. */
sgr_proto_ports *sgr_portset_to_proto_ports(sgr_arena *a, const sgr_portset *s, uint32_t *n);

#endif
