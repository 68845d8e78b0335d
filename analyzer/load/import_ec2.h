/* The EC2 importer's parts (import_ec2*.c), one array item at a time. */
#ifndef SGREACH_IMPORT_EC2_H
#define SGREACH_IMPORT_EC2_H

#include "load/import.h"

void sgr_import_nacl(sgr_import_ctx *ctx, const json_t *o, const char *path);
/* describe-managed-prefix-lists, or Batfish's describe-prefix-lists with inline Cidrs. */
void sgr_import_prefix_list(sgr_import_ctx *ctx, const json_t *o, const char *path);
/* get-managed-prefix-list-entries, wrapped with the PrefixListId (ctx->doc). */
void sgr_import_prefix_list_entries(sgr_import_ctx *ctx, const json_t *entries);
void sgr_import_sg(sgr_import_ctx *ctx, const json_t *o, const char *path);
void sgr_import_sg_rules(sgr_import_ctx *ctx, const json_t *rules);
void sgr_import_eni(sgr_import_ctx *ctx, const json_t *o, const char *path);
void sgr_import_reservation(sgr_import_ctx *ctx, const json_t *o, const char *path);

#endif
