/* Parts of the ELB importer that Batfish's wrappers reuse. */
#ifndef SGREACH_IMPORT_ELB_H
#define SGREACH_IMPORT_ELB_H

#include "load/import.h"

/* describe-listeners items; lb_arn (may be NULL) is used when a listener lacks LoadBalancerArn. */
void sgr_import_listeners(sgr_import_ctx *ctx, const json_t *arr, const char *path, const char *lb_arn);
/* describe-target-health items for the target group tg_arn; at = the wrapper object. */
void sgr_import_target_health(sgr_import_ctx *ctx, const json_t *arr, const char *path,
                              const char *tg_arn, const json_t *at);

#endif
