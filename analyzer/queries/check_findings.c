/* `check --findings`: the built-in findings taken into the gate, with the
 * policy's waivers applied (a waiver names a finding's check or its id). */
#include <string.h>

#include "queries/check.h"

const char *sgr_check_finding_rule(sgr_arena *a, const char *check)
{
    return sgr_arena_printf(a, "finding/%s", check);
}

const sgr_origin *sgr_check_finding_origin(const sgr_finding *f)
{
    for (uint32_t k = 0; k < f->n_rules; k++)
        if (f->rules[k].origin.file)
            return &f->rules[k].origin;
    return NULL;
}

bool sgr_check_finding_fails(const sgr_check_result *r, const sgr_check_finding *cf)
{
    return !cf->waived && cf->baseline != SGR_BASELINE_KNOWN && r->fail_on != SGR_FAIL_ON_NONE &&
           (int)cf->f->severity <= r->fail_on;
}

static bool waiver_names(const sgr_waiver *w, const sgr_finding *f)
{
    return w->finding && (strcmp(w->name, f->check) == 0 || strcmp(w->name, f->id) == 0);
}

void sgr_check_add_findings(sgr_check_result *r, const sgr_findings *fs, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    r->with_findings = true;
    r->n_findings = fs->count;
    r->findings = SGR_NEW_N(a, sgr_check_finding, fs->count ? fs->count : 1);
    for (uint32_t i = 0; i < fs->count; i++) {
        sgr_check_finding *cf = &r->findings[i];
        cf->f = &fs->items[i];
        /* the id is already stable ("check:resource:rule"); the hash keeps
         * the fingerprint the same shape as a violation's */
        cf->fingerprint = sgr_violation_key(a, sgr_check_finding_rule(a, cf->f->check), cf->f->id, "", "");
        for (uint32_t k = 0; k < p->n_waivers && !cf->waived; k++) {
            const sgr_waiver *w = &p->waivers[k];
            if (!waiver_names(w, cf->f))
                continue;
            if (w->expired) {
                if (!cf->waiver_expired || strcmp(w->expires, cf->waiver_expired) > 0)
                    cf->waiver_expired = w->expires;
            } else {
                cf->waived = true;
                cf->waiver_reason = w->reason;
                cf->waiver_expired = NULL;
            }
        }
    }
}
