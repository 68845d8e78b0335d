/*
 * Citations in Terraform sources (`--tf-dir DIR`): a resource address
 * ("module.net.aws_security_group.db[0]") maps to the file and line of its
 * `resource "aws_security_group" "db"` block in DIR's .tf files, following
 * `module "net" { source = "./modules/net" }` into local module directories.
 * Registry and remote modules are not followed (their sources are not local).
 */
#ifndef SGREACH_TF_SOURCES_H
#define SGREACH_TF_SOURCES_H

#include <stdint.h>

#include "sgreach/model.h"

typedef struct sgr_tf_sources sgr_tf_sources;

/* Indexes DIR lazily (module directories when first needed). Everything is
 * allocated in `a`. Returns NULL when DIR is not a readable directory. */
sgr_tf_sources *sgr_tf_sources_open(sgr_arena *a, const char *dir);

/* The .tf file (path as DIR/… ) and 1-based line of the resource block of
 * `address` (a rule's "ADDRESS ingress[1]" suffix is ignored); false when not
 * found. */
bool sgr_tf_sources_find(sgr_tf_sources *s, const char *address, const char **file, uint32_t *line);

/* Rewrites the origin (file, line) of every object and rule of the snapshot
 * that came from Terraform to its resource block in DIR, so citations and
 * SARIF results land on the line a reviewer changes. The JSON path stays.
 * Returns how many origins were rewritten; -1 when DIR cannot be read. */
int sgr_tf_sources_apply(sgr_snapshot *snap, const char *dir);

#endif
