#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "cli/diag_print.h"
#include "graph/arena.h"
#include "sgreach/selector.h"

/* One table drives parsing, `--help`, `COMMAND --help`, the man page and the
 * shell completions, so that none of them can disagree with another. */
typedef struct option_spec {
    const char *name;     /* "--from" */
    const char *alias;    /* "-o" or NULL */
    const char *arg;      /* metavariable, NULL for a flag */
    size_t offset;        /* into sgr_cli */
    const char *commands; /* the commands it applies to, space-separated; NULL = every command */
    const char *help;
} option_spec;

#define OPT(field) offsetof(sgr_cli, field)
#define REACH "can blast exposure check diff report graph"

static const option_spec OPTIONS[] = {
    {"--format", NULL, "FMT", OPT(format), NULL, "output format (the command's --help lists them)"},
    {"--output", "-o", "FILE", OPT(output), NULL, "write the output to FILE"},
    {"--quiet", "-q", NULL, OPT(quiet), NULL, "print no warnings"},
    {"--from", NULL, "SEL", OPT(from), "can blast exposure", "source selector (docs/selectors.md)"},
    {"--to", NULL, "SEL", OPT(to), "can blast", "destination selector"},
    {"--port", NULL, "P", OPT(port), "can", "destination port (the port the destination serves)"},
    {"--proto", NULL, "PROTO", OPT(proto), "can", "tcp|udp|icmp|icmpv6|all or a protocol number (default tcp)"},
    {"--batch", NULL, "FILE", OPT(batch), "can", "one `FROM TO [PROTO [PORT]]` question a line; answers as JSON lines"},
    {"--max-hops", NULL, "N", OPT(max_hops), "blast", "lateral movement depth, a number or `all`"},
    {"--policy", NULL, "FILE", OPT(policy), "check", "the policy file (docs/policy.md)"},
    {"--baseline", NULL, "FILE", OPT(baseline), "check", "an earlier `check --format json`: only new violations fail"},
    {"--allow-unknown", NULL, NULL, OPT(allow_unknown), "check", "an unknown verdict does not fail a forbid entry"},
    {"--findings", NULL, NULL, OPT(findings), "check", "report the built-in findings too (docs/report.md)"},
    {"--fail-on", NULL, "SEV", OPT(fail_on), "check", "findings of SEV (critical|high|medium|low|info) or worse fail"},
    {"--source-root", NULL, "DIR", OPT(source_root), "check", "SARIF/Code Quality paths relative to DIR (default: the git root)"},
    {"--focus", NULL, "SEL", OPT(focus), "graph", "only what SEL reaches or is reached by"},
    {"--plan", NULL, "PLAN", OPT(plan), "diff", "a Terraform plan JSON laid over the snapshot"},
    {"--tf-dir", NULL, "DIR", OPT(tf_dir), NULL, "cite Terraform rules by file:line in DIR's .tf sources"},
    {"--ephemeral-ports", NULL, "A-B", OPT(ephemeral), REACH, "client ephemeral ports for ACL returns (default 1024-65535)"},
    {"--debug-reference", NULL, NULL, OPT(debug_reference), "blast diff report",
     "the plain, slow computation the fast one must equal (for tests)"},
    {"--title", NULL, "TEXT", OPT(title), "report", "the report's title (default \"sgreach report\")"},
    {"--debug-split", NULL, NULL, OPT(debug_split), NULL,
     "load every document that can be split in pieces, however small (for tests)"},
};

#define N_OPTIONS (sizeof OPTIONS / sizeof OPTIONS[0])

typedef struct command_spec {
    const char *name;
    const char *synopsis;       /* after "sgreach NAME " */
    const char *summary;        /* one line, for the command list */
    const char *formats[6];     /* what --format takes, the default first */
    const char *examples[4];
} command_spec;

static const command_spec COMMANDS[] = {
    {"summary", "[OPTIONS] SNAPSHOT...", "load, validate, print counts per kind and every warning", {"text", "json"},
     {"sgreach summary snapshot/", "aws ec2 describe-security-groups | sgreach summary -"}},
    {"can", "--from SEL --to SEL [--port P] [--proto PROTO] SNAPSHOT... | --batch FILE SNAPSHOT...",
     "can A reach B? (exit 0 yes, 1 no, 3 unknown)", {"text", "json"},
     {"sgreach can --from internet --to lb:web --port 443 snapshot/",
      "sgreach can --from service:payment --to 10.0.21.45 --port 5432 --format json snapshot/"}},
    {"blast", "--from SEL [--max-hops N|all] | --to SEL [OPTIONS] SNAPSHOT...", "the blast radius of a compromise", {"text", "json", "csv"},
     {"sgreach blast --from service:web --max-hops all snapshot/", "sgreach blast --to 10.0.21.45 snapshot/"}},
    {"exposure", "[--from SEL] [OPTIONS] SNAPSHOT...", "everything reachable from the internet (or SEL)", {"text", "json", "csv"},
     {"sgreach exposure snapshot/", "sgreach exposure --from 198.51.100.7 --format json snapshot/"}},
    {"check", "--policy FILE | --findings [--fail-on SEV] [--baseline FILE] [OPTIONS] SNAPSHOT...",
     "the CI gate (exit 1 on a violation)", {"text", "json", "sarif", "junit", "codequality"},
     {"sgreach check --policy network-policy.json snapshot/",
      "sgreach check --policy network-policy.json --format sarif -o sgreach.sarif snapshot/",
      "sgreach check --findings --fail-on high snapshot/"}},
    {"diff", "OLD NEW | --plan PLAN [LIVE...] [OPTIONS]", "the paths a change opens and closes", {"text", "json"},
     {"sgreach diff old-snapshot/ snapshot/", "sgreach diff --plan plan.json snapshot/"}},
    {"report", "[OPTIONS] SNAPSHOT...", "the auditor's report", {"md", "html", "json"},
     {"sgreach report --format html -o report.html snapshot/"}},
    {"graph", "[--focus SEL] [OPTIONS] SNAPSHOT...", "the reachability graph", {"dot", "mermaid", "svg"},
     {"sgreach graph --focus service:web --format svg -o web.svg snapshot/"}},
};

#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

/* A command's formats as "text|json". */
static const char *formats_text(const command_spec *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 6 && c->formats[i] && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "|" : "", c->formats[i]);
    return buf;
}

static const command_spec *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, COMMANDS[i].name) == 0)
            return &COMMANDS[i];
    return NULL;
}

/* True when the space-separated `list` holds `word`. */
static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static bool applies(const option_spec *o, const char *command)
{
    return !o->commands || !command || in_list(o->commands, command);
}

static void option_left(const option_spec *o, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
}

static void print_options(FILE *f, const char *command)
{
    fprintf(f, "\noptions:\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (!applies(&OPTIONS[i], command))
            continue;
        char left[64];
        option_left(&OPTIONS[i], left, sizeof left);
        fprintf(f, "  %-26s %s\n", left, OPTIONS[i].help);
    }
    fprintf(f, "  %-26s %s\n", "-h, --help", "this help");
}

static void print_help(FILE *f)
{
    fprintf(f, "usage: sgreach COMMAND [OPTIONS] SNAPSHOT...\n       sgreach COMMAND --help   (or: sgreach help COMMAND)\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-9s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    print_options(f, NULL);
    fprintf(f, "  %-26s %s\n", "--version", "print the version");
    fprintf(f, "\nSNAPSHOT: files and directories of `aws ... describe-*` JSON output, Terraform plan JSON,\n"
               "or - for one dump on standard input.\n"
               "exit: 0 yes/clean, 1 no/violations/differences, 2 usage or input error,\n"
               "      3 unknown (can), 4 internal error.\n"
               "Colour on a terminal; NO_COLOR=1 turns it off.\n");
}

static void print_command_help(FILE *f, const command_spec *c)
{
    char formats[96];
    fprintf(f, "usage: sgreach %s %s\n\n%s.\n\n--format: %s (the first is the default)\n", c->name, c->synopsis, c->summary,
            formats_text(c, formats, sizeof formats));
    print_options(f, c->name);
    fprintf(f, "\nexamples:\n");
    for (size_t i = 0; i < 4 && c->examples[i]; i++)
        fprintf(f, "  %s\n", c->examples[i]);
}

/* ------------------------------------------------------------ did you mean */

/* Edit distance of a and b counting a swap of two neighbours as one edit
 * ("--form" is one from "--from", two from "--format"); short strings only. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return (size_t)-1;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The nearest of `n` names (at stride `stride` bytes from `first`) within a
 * third of the word's length (at least 1, at most 3), or NULL. */
static const char *nearest(const char *word, const char *const *first, size_t n, size_t stride)
{
    size_t limit = strlen(word) / 3;
    limit = limit < 1 ? 1 : limit > 3 ? 3 : limit;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        const char *name = *(const char *const *)((const char *)first + i * stride);
        size_t d = distance(word, name);
        if (d < best_d) {
            best_d = d;
            best = name;
        }
    }
    return best;
}

/* The words outside the tables that a typo may also be near. */
static const char *const EXTRA_OPTIONS[] = {"--help", "--version"};
static const char *const HELP_WORD[] = {"help"};

/* The nearer of two candidates (NULL when neither). */
static const char *nearer(const char *word, const char *a, const char *b)
{
    if (!a || !b)
        return a ? a : b;
    return distance(word, b) < distance(word, a) ? b : a;
}

static void unknown_option(const char *arg, size_t len)
{
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), arg);
    const char *near = nearer(word, nearest(word, &OPTIONS[0].name, N_OPTIONS, sizeof OPTIONS[0]),
                              nearest(word, EXTRA_OPTIONS, 2, sizeof EXTRA_OPTIONS[0]));
    sgr_eprintf("sgreach: unknown option %s%s%s%s", word, near ? "; did you mean " : " (try --help)", near ? near : "",
                near ? "?" : "");
}

static void unknown_command(const char *word)
{
    const char *near = nearer(word, nearest(word, &COMMANDS[0].name, N_COMMANDS, sizeof COMMANDS[0]),
                              nearest(word, HELP_WORD, 1, sizeof HELP_WORD[0]));
    sgr_eprintf("sgreach: unknown command '%s'%s%s%s", word, near ? "; did you mean '" : " (try --help)", near ? near : "",
                near ? "'?" : "");
}

/* ------------------------------------------------------------ generated files */

static void man_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

/* An optional part of a line: nothing when s is NULL, else s between the
 * roff of `before` and `after`. */
static void man_part(FILE *f, const char *before, const char *s, const char *after)
{
    if (!s)
        return;
    fputs(before, f);
    man_text(f, s);
    fputs(after, f);
}

/* sgreach(1), from the same tables as --help. */
static void print_man(FILE *f)
{
    fprintf(f, ".TH SGREACH 1 \"\" \"sgreach %s\" \"User Commands\"\n.SH NAME\nsgreach \\- who can reach what in an AWS estate\n"
               ".SH SYNOPSIS\n.B sgreach\n.I COMMAND\n[\\fIOPTIONS\\fR] \\fISNAPSHOT\\fR...\n.SH DESCRIPTION\n"
               "sgreach answers offline and exactly who can reach what, from the JSON output of\n"
               ".B aws ... describe-*\ncalls or a Terraform plan. SNAPSHOT is a file or directory of dumps, or\n.B \\-\n"
               "for one dump on standard input.\n.SH COMMANDS\n", SGREACH_VERSION);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const command_spec *c = &COMMANDS[i];
        fprintf(f, ".TP\n.B sgreach %s ", c->name);
        man_text(f, c->synopsis);
        fputc('\n', f);
        man_text(f, c->summary);
        char formats[96];
        fprintf(f, ". Formats: ");
        man_text(f, formats_text(c, formats, sizeof formats));
        fputs(".\n", f);
        for (size_t k = 0; k < 4 && c->examples[k]; k++) {
            fputs(".br\n.B \"  ", f);
            man_text(f, c->examples[k]);
            fputs("\"\n", f);
        }
    }
    fputs(".SH OPTIONS\n", f);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const option_spec *o = &OPTIONS[i];
        fputs(".TP\n.B ", f);
        man_part(f, "", o->alias, ", ");
        man_text(f, o->name);
        man_part(f, " \\fI", o->arg, "\\fR");
        fputc('\n', f);
        man_text(f, o->help);
        man_part(f, " (", o->commands, ")");
        fputs(".\n", f);
    }
    fputs(".SH EXIT STATUS\n0 yes or clean; 1 no, violations or differences; 2 usage or input error; 3 unknown\n"
          "(can); 4 internal error.\n.SH ENVIRONMENT\n.TP\n.B NO_COLOR\nwhen set and not empty, no colour even on a terminal.\n"
          ".TP\n.B SGREACH_TODAY\nthe date waivers expire against (YYYY\\-MM\\-DD).\n", f);
}

static void print_completion(FILE *f, bool zsh)
{
    if (!zsh) {
        fputs("# bash completion for sgreach (generated by sgreach --generate bash-completion)\n_sgreach() {\n"
              "    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}\n"
              "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        COMPREPLY=($(compgen -W \"", f);
        for (size_t i = 0; i < N_COMMANDS; i++)
            fprintf(f, "%s%s", i ? " " : "", COMMANDS[i].name);
        fputs("\" -- \"$cur\"))\n        return\n    fi\n    case $cmd in\n", f);
        for (size_t i = 0; i < N_COMMANDS; i++) {
            fprintf(f, "    %s) opts=\"--help", COMMANDS[i].name);
            for (size_t k = 0; k < N_OPTIONS; k++)
                if (applies(&OPTIONS[k], COMMANDS[i].name))
                    fprintf(f, " %s", OPTIONS[k].name);
            fputs("\" ;;\n", f);
        }
        fputs("    *) opts= ;;\n    esac\n    if [[ $cur == -* ]]; then\n        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
              "    else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n    fi\n}\ncomplete -o filenames -F _sgreach sgreach\n", f);
        return;
    }
    fputs("#compdef sgreach\n# zsh completion for sgreach (generated by sgreach --generate zsh-completion)\n"
          "_sgreach() {\n  local -a commands\n  commands=(\n", f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "    '%s:%s'\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("  )\n  if (( CURRENT == 2 )); then\n    _describe command commands\n    return\n  fi\n  case $words[2] in\n", f);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        fprintf(f, "    %s) _arguments", COMMANDS[i].name);
        for (size_t k = 0; k < N_OPTIONS; k++) {
            const option_spec *o = &OPTIONS[k];
            if (!applies(o, COMMANDS[i].name))
                continue;
            /* the help text in [...]: no quote, bracket or colon from the table reaches zsh unescaped */
            fprintf(f, " '%s[", o->name);
            for (const char *h = o->help; *h; h++)
                if (!strchr("'[]:`\\", *h))
                    fputc(*h, f);
            fprintf(f, "]%s'", o->arg ? ":value:_files" : "");
        }
        fputs(" '*:snapshot:_files' ;;\n", f);
    }
    fputs("  esac\n}\n_sgreach \"$@\"\n", f);
}

static bool generate(const char *what)
{
    if (strcmp(what, "man") == 0)
        print_man(stdout);
    else if (strcmp(what, "bash-completion") == 0)
        print_completion(stdout, false);
    else if (strcmp(what, "zsh-completion") == 0)
        print_completion(stdout, true);
    else
        return false;
    return true;
}

/* ------------------------------------------------------------ parsing */

static const option_spec *find_option(const char *a, size_t nlen)
{
    for (size_t k = 0; k < N_OPTIONS; k++)
        if ((strlen(OPTIONS[k].name) == nlen && strncmp(a, OPTIONS[k].name, nlen) == 0) ||
            (OPTIONS[k].alias && strlen(OPTIONS[k].alias) == nlen && strncmp(a, OPTIONS[k].alias, nlen) == 0))
            return &OPTIONS[k];
    return NULL;
}

/* --format is one of the command's formats; else a usage error that names
 * them (and the nearest, for a typo). */
static bool format_ok(const sgr_cli *cli)
{
    if (!cli->format)
        return true;
    const command_spec *c = find_command(cli->command);
    size_t n = 0;
    for (; n < 6 && c->formats[n]; n++)
        if (strcmp(c->formats[n], cli->format) == 0)
            return true;
    char formats[96];
    const char *near = nearest(cli->format, c->formats, n, sizeof c->formats[0]);
    sgr_eprintf("sgreach: %s: --format must be one of %s, not '%s'%s%s%s", cli->command,
                formats_text(c, formats, sizeof formats), cli->format, near ? "; did you mean " : "", near ? near : "",
                near ? "?" : "");
    return false;
}

/* After parsing: every option given applies to the command, and selectors
 * parse (before any snapshot is read: a typo costs no load). */
static int validate(const sgr_cli *cli)
{
    const char *base = (const char *)cli;
    for (size_t k = 0; k < N_OPTIONS; k++) {
        const option_spec *o = &OPTIONS[k];
        bool given = o->arg ? *(const char *const *)(base + o->offset) != NULL : *(const bool *)(base + o->offset);
        if (given && !applies(o, cli->command)) {
            sgr_eprintf("sgreach: %s: option %s does not apply to this command (it is for: %s)", cli->command,
                    o->name, o->commands);
            return 2;
        }
    }
    if (!format_ok(cli))
        return 2;
    const char *sels[][2] = {{"--from", cli->from}, {"--to", cli->to}, {"--focus", cli->focus}};
    for (size_t i = 0; i < sizeof sels / sizeof sels[0]; i++) {
        if (!sels[i][1])
            continue;
        sgr_arena *a = sgr_arena_new();
        const char *err = NULL;
        sgr_selector *s = sgr_selector_parse(a, sels[i][1], &err);
        if (s)
            sgr_selector_free(s);
        else
            sgr_eprintf("sgreach: %s: %s: selector '%s': %s", cli->command, sels[i][0], sels[i][1], err ? err : "invalid");
        sgr_arena_free(a);
        if (!s)
            return 2;
    }
    size_t stdin_paths = 0;
    for (size_t i = 0; i < cli->n_paths; i++)
        stdin_paths += strcmp(cli->paths[i], "-") == 0;
    if (stdin_paths > 1) {
        sgr_eprintf("sgreach: %s: - (standard input) can be given once: it holds one stream", cli->command);
        return 2;
    }
    if (stdin_paths && cli->batch && strcmp(cli->batch, "-") == 0) {
        sgr_eprintf("sgreach: %s: standard input cannot hold both the snapshot and --batch", cli->command);
        return 2;
    }
    return 0;
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
    bool only_paths = false, help = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_paths && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            help = true;
            continue;
        }
        if (!only_paths && strcmp(a, "--version") == 0) {
            printf("sgreach %s\n", SGREACH_VERSION);
            *done = true;
            return 0;
        }
        if (!only_paths && strncmp(a, "--generate=", 11) == 0) { /* the build's man page and completions */
            *done = true;
            if (generate(a + 11))
                return 0;
            sgr_eprintf("sgreach: --generate: man, bash-completion or zsh-completion");
            return 2;
        }
        if (!only_paths && strcmp(a, "--") == 0) {
            only_paths = true;
            continue;
        }
        if (!only_paths && a[0] == '-' && a[1] != '\0') {
            const char *eq = strchr(a, '=');
            size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
            const option_spec *o = find_option(a, nlen);
            if (!o) {
                unknown_option(a, nlen);
                return 2;
            }
            char *base = (char *)cli;
            if (!o->arg) {
                if (eq) {
                    sgr_eprintf("sgreach: option %s takes no value", o->name);
                    return 2;
                }
                *(bool *)(base + o->offset) = true;
                continue;
            }
            const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val) {
                sgr_eprintf("sgreach: option %s needs %s", o->name, o->arg);
                return 2;
            }
            *(const char **)(base + o->offset) = val;
            continue;
        }
        if (!cli->command && !help && strcmp(a, "help") == 0) { /* sgreach help [COMMAND] */
            help = true;
            continue;
        }
        if (!cli->command) {
            if (!find_command(a)) {
                unknown_command(a);
                return 2;
            }
            cli->command = a;
            continue;
        }
        cli->paths[cli->n_paths++] = a;
    }
    if (help) {
        if (cli->command)
            print_command_help(stdout, find_command(cli->command));
        else
            print_help(stdout);
        *done = true;
        return 0;
    }
    if (!cli->command) {
        sgr_eprintf("sgreach: no command given (try --help)");
        return 2;
    }
    return validate(cli);
}

void sgr_cli_free(sgr_cli *cli)
{
    free(cli->paths);
    cli->paths = NULL;
}

const char *sgr_cli_format(const sgr_cli *cli)
{
    if (cli->format)
        return cli->format;
    const command_spec *c = find_command(cli->command);
    return c ? c->formats[0] : "text";
}
