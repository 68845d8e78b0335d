/*
 * The TCP ports whose exposure to the world is a finding of its own (SPEC's
 * "admin or database port"): remote administration, databases, caches,
 * search engines, container and cluster daemons. One list for `exposure`'s
 * flags and the `admin-port-open` finding, so that the two never disagree.
 */
#ifndef SGREACH_QUERIES_ADMIN_PORTS_H
#define SGREACH_QUERIES_ADMIN_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgr_admin_port {
    int32_t port;
    const char *name;
} sgr_admin_port;

/* The list, in port order. */
const sgr_admin_port *sgr_admin_ports(size_t *n);

/* Whether proto lo-hi (TCP, or every protocol) holds an admin port; *which
 * is the first it holds. */
bool sgr_is_admin_port(int32_t proto, int32_t lo, int32_t hi, int32_t *which);

#endif
