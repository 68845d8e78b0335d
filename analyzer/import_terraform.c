/* Placeholder until the Terraform importer lands (issue 9): says so, once per file. */
#include "import.h"

void sgr_import_terraform(sgr_import_ctx *ctx, json_t *doc)
{
    sgr_import_warn(ctx, doc, "$", "Terraform JSON not supported yet; ignored");
}
