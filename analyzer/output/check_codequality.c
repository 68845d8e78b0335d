/* `check --format codequality`: GitLab's Code Quality report, which a merge
 * request shows without GitLab Ultimate. A JSON array of issues:
 *   {"description", "check_name", "fingerprint", "severity", "location": {"path", "lines": {"begin"}}}
 * severity one of info, minor, major, critical, blocker; path relative to
 * the repository root (GitLab Docs, "Code Quality", report format). Waived
 * violations and findings are left out: GitLab has no way to show them
 * accepted; known ones stay, since GitLab compares with the target branch. */
#include <jansson.h>
#include <string.h>

#include "output/report_escape.h"
#include "output/writer_lib.h"

static const char *of_fsev(sgr_fsev s)
{
    static const char *const NAMES[] = {"blocker", "critical", "major", "minor", "info"};
    return (unsigned)s < 5 ? NAMES[s] : "info";
}

/* A policy severity as written (critical/high/medium/low or error/warning/note). */
static const char *of_policy_severity(const char *sev)
{
    static const char *const MAP[][2] = {
        {"critical", "blocker"}, {"high", "critical"}, {"error", "critical"}, {"medium", "major"},
        {"warning", "major"},    {"low", "minor"},     {"note", "minor"},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (strcmp(sev, MAP[i][0]) == 0)
            return MAP[i][1];
    return "critical";
}

/* GitLab needs a path in the repository: a file outside the root is named as given. */
static json_t *location(sgr_arena *a, const sgr_check_result *r, const char *file, uint32_t line)
{
    const char *rel = file ? sgr_check_relative_path(a, r, file) : NULL;
    json_t *lines = json_object();
    json_object_set_new(lines, "begin", json_integer(line ? line : 1));
    json_t *loc = json_object();
    json_object_set_new(loc, "path", sgr_json_text(rel ? rel : file ? file : ""));
    json_object_set_new(loc, "lines", lines);
    return loc;
}

static json_t *issue(const char *description, const char *check, const char *fingerprint, const char *severity, json_t *loc)
{
    json_t *o = json_object();
    json_object_set_new(o, "description", sgr_json_text(description));
    json_object_set_new(o, "check_name", sgr_json_text(check));
    json_object_set_new(o, "fingerprint", sgr_json_text(fingerprint));
    json_object_set_new(o, "severity", sgr_json_text(severity));
    json_object_set_new(o, "location", loc);
    return o;
}

void sgr_check_write_codequality(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    json_t *arr = json_array();
    for (uint32_t i = 0; i < r->n; i++) {
        const sgr_violation *v = &r->v[i];
        if (v->waived)
            continue;
        const char *what = sgr_arena_printf(a, "%s: %s %s %s on %s:%s (%s)", v->entry->name, v->from,
                                            v->entry->kind == SGR_POLICY_FORBID ? (v->possible ? "may reach" : "reaches")
                                                                                : (v->possible ? "may not reach" : "does not reach"),
                                            v->to, v->protocol_name, v->ports, sgr_policy_kind_name(v->entry->kind));
        json_t *loc = v->loc_file ? location(a, r, v->loc_file, v->loc_line) : location(a, r, r->policy->file, v->entry->line);
        json_array_append_new(arr, issue(what, v->entry->name, v->fingerprint, of_policy_severity(v->entry->severity), loc));
    }
    for (uint32_t i = 0; i < r->n_findings; i++) {
        const sgr_check_finding *cf = &r->findings[i];
        if (cf->waived)
            continue;
        const sgr_origin *o = sgr_check_finding_origin(cf->f);
        json_t *loc = o ? location(a, r, o->file, o->line) : location(a, r, r->policy->file, 1);
        json_array_append_new(arr, issue(sgr_arena_printf(a, "%s (%s)", cf->f->title, cf->f->id),
                                         sgr_check_finding_rule(a, cf->f->check), cf->fingerprint, of_fsev(cf->f->severity), loc));
    }
    sgr_json_print(out, arr);
}
