#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"

typedef struct option_spec {
    const char *name;     /* "--from" */
    const char *alias;    /* "-o" or NULL */
    const char *arg;      /* metavariable, NULL for a flag */
    size_t offset;        /* into sgr_cli */
    const char *help;
} option_spec;

#define OPT(field) offsetof(sgr_cli, field)

static const option_spec OPTIONS[] = {
    {"--format", NULL, "FMT", OPT(format), "text|json (exposure, blast: also csv; check: sarif|junit|codequality, report: html|md, graph: dot|mermaid|svg)"},
    {"--output", "-o", "FILE", OPT(output), "write the output to FILE"},
    {"--quiet", "-q", NULL, OPT(quiet), "print no warnings"},
    {"--from", NULL, "SEL", OPT(from), "source selector"},
    {"--to", NULL, "SEL", OPT(to), "destination selector"},
    {"--port", NULL, "P", OPT(port), "destination port (the port the destination serves)"},
    {"--proto", NULL, "PROTO", OPT(proto), "tcp|udp|icmp|all or a protocol number (default tcp)"},
    {"--batch", NULL, "FILE", OPT(batch), "can: one `FROM TO PROTO PORT` question a line"},
    {"--max-hops", NULL, "N", OPT(max_hops), "blast: lateral movement depth, a number or `all`"},
    {"--policy", NULL, "FILE", OPT(policy), "check: the policy file"},
    {"--baseline", NULL, "FILE", OPT(baseline), "check: an earlier `check --format json` result"},
    {"--allow-unknown", NULL, NULL, OPT(allow_unknown), "check: an unknown verdict does not fail a forbid entry"},
    {"--findings", NULL, NULL, OPT(findings), "check: report the built-in findings too (docs/report.md)"},
    {"--fail-on", NULL, "SEV", OPT(fail_on), "check: findings of SEV (critical|high|medium|low|info) or worse fail"},
    {"--source-root", NULL, "DIR", OPT(source_root), "check: SARIF/Code Quality paths relative to DIR (default: the git root)"},
    {"--focus", NULL, "SEL", OPT(focus), "graph: only what SEL reaches or is reached by"},
    {"--plan", NULL, "PLAN", OPT(plan), "diff: a Terraform plan JSON laid over the snapshot"},
    {"--tf-dir", NULL, "DIR", OPT(tf_dir), "cite Terraform rules by file:line in DIR's .tf sources"},
    {"--ephemeral-ports", NULL, "A-B", OPT(ephemeral), "client ephemeral ports for ACL returns (default 1024-65535)"},
    {"--debug-reference", NULL, NULL, OPT(debug_reference),
     "blast, diff, report: the plain, slow computation the fast one must equal (for tests)"},
    {"--title", NULL, "TEXT", OPT(title), "report: the report's title (default \"sgreach report\")"},
    {"--debug-split", NULL, NULL, OPT(debug_split),
     "load every document that can be split in pieces, however small (for tests)"},
};

#define N_OPTIONS (sizeof OPTIONS / sizeof OPTIONS[0])

static const char *const COMMANDS[][2] = {
    {"summary", "load, validate, print counts per kind and every warning"},
    {"can", "--from SEL --to SEL [--port P] [--proto P] | --batch FILE: can A reach B?"},
    {"blast", "--from SEL [--max-hops N|all] | --to SEL: the blast radius"},
    {"exposure", "[--from SEL]: everything reachable from the internet (or SEL)"},
    {"check", "--policy FILE | --findings [--fail-on SEV] [--baseline FILE]: the CI gate"},
    {"diff", "OLD NEW | --plan PLAN [LIVE...]: paths opened and closed"},
    {"report", "the auditor's report (html|md|json)"},
    {"graph", "[--focus SEL]: the reachability graph (dot|mermaid|svg)"},
};

static void print_help(FILE *f)
{
    fprintf(f, "usage: sgreach COMMAND [OPTIONS] SNAPSHOT...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-9s %s\n", COMMANDS[i][0], COMMANDS[i][1]);
    fprintf(f, "\noptions:\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s%s%s", OPTIONS[i].alias ? OPTIONS[i].alias : "",
                 OPTIONS[i].alias ? ", " : "", OPTIONS[i].name, OPTIONS[i].arg ? " " : "",
                 OPTIONS[i].arg ? OPTIONS[i].arg : "");
        fprintf(f, "  %-26s %s\n", left, OPTIONS[i].help);
    }
    fprintf(f, "  %-26s %s\n  %-26s %s\n", "-h, --help", "this help", "--version", "print the version");
    fprintf(f, "\nSNAPSHOT: files and directories of `aws ... describe-*` JSON output.\n"
               "exit: 0 yes/clean, 1 no/violations/differences, 2 usage or input error,\n"
               "      3 unknown (can), 4 internal error.\n");
}

static bool known_command(const char *c)
{
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(c, COMMANDS[i][0]) == 0)
            return true;
    return false;
}

int sgr_cli_parse(int argc, char **argv, sgr_cli *cli, bool *done)
{
    memset(cli, 0, sizeof *cli);
    *done = false;
    if (argc < 2) {
        print_help(stderr);
        return 2;
    }
    cli->paths = sgr_xcalloc((size_t)argc, sizeof *cli->paths);
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_paths && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            print_help(stdout);
            *done = true;
            return 0;
        }
        if (!only_paths && strcmp(a, "--version") == 0) {
            printf("sgreach %s\n", SGREACH_VERSION);
            *done = true;
            return 0;
        }
        if (!only_paths && strcmp(a, "--") == 0) {
            only_paths = true;
            continue;
        }
        if (!only_paths && a[0] == '-' && a[1] != '\0') {
            const char *eq = strchr(a, '=');
            size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
            const option_spec *o = NULL;
            for (size_t k = 0; k < N_OPTIONS; k++) {
                if ((strlen(OPTIONS[k].name) == nlen && strncmp(a, OPTIONS[k].name, nlen) == 0) ||
                    (OPTIONS[k].alias && strlen(OPTIONS[k].alias) == nlen && strncmp(a, OPTIONS[k].alias, nlen) == 0)) {
                    o = &OPTIONS[k];
                    break;
                }
            }
            if (!o) {
                fprintf(stderr, "sgreach: unknown option %s (try --help)\n", a);
                return 2;
            }
            char *base = (char *)cli;
            if (!o->arg) {
                if (eq) {
                    fprintf(stderr, "sgreach: option %s takes no value\n", o->name);
                    return 2;
                }
                *(bool *)(base + o->offset) = true;
                continue;
            }
            const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val) {
                fprintf(stderr, "sgreach: option %s needs %s\n", o->name, o->arg);
                return 2;
            }
            *(const char **)(base + o->offset) = val;
            continue;
        }
        if (!cli->command) {
            if (!known_command(a)) {
                fprintf(stderr, "sgreach: unknown command '%s' (try --help)\n", a);
                return 2;
            }
            cli->command = a;
            continue;
        }
        cli->paths[cli->n_paths++] = a;
    }
    if (!cli->command) {
        fprintf(stderr, "sgreach: no command given (try --help)\n");
        return 2;
    }
    return 0;
}

void sgr_cli_free(sgr_cli *cli)
{
    free(cli->paths);
    cli->paths = NULL;
}

const char *sgr_cli_format(const sgr_cli *cli)
{
    return cli->format ? cli->format : "text";
}

bool sgr_cli_format_ok(const sgr_cli *cli, const char *allowed)
{
    const char *f = sgr_cli_format(cli);
    size_t n = strlen(f);
    for (const char *p = allowed; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, f, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    fprintf(stderr, "sgreach: %s: --format must be one of %s\n", cli->command, allowed);
    return false;
}
