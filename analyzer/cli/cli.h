/*
 * The command line: one option table (cli.c) drives parsing, --help, COMMAND
 * --help, the man page and the shell completions; each option names the
 * commands it applies to, and any other command refuses it.
 * Every command receives the parsed sgr_cli and the output stream (-o or stdout);
 * it returns an exit code from sgreach/exit.h.
 */
#ifndef SGREACH_CLI_H
#define SGREACH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sgr_cli {
    const char *command;
    const char *format;       /* --format; NULL = the command's default (sgr_cli_format) */
    const char *output;       /* -o FILE */
    bool quiet;               /* -q, --quiet */
    const char *from, *to;    /* --from SEL, --to SEL */
    const char *port;         /* --port P */
    const char *proto;        /* --proto tcp|udp|icmp|all */
    const char *batch;        /* --batch FILE */
    const char *max_hops;     /* --max-hops N|all */
    const char *policy;       /* --policy FILE */
    const char *baseline;     /* --baseline FILE */
    bool allow_unknown;       /* --allow-unknown */
    bool debug_reference;     /* --debug-reference */
    bool findings;            /* --findings: check gates on the built-in findings too */
    const char *fail_on;      /* --fail-on SEVERITY */
    const char *source_root;  /* --source-root DIR */
    bool debug_split;         /* --debug-split */
    const char *focus;        /* --focus SEL */
    const char *plan;         /* --plan PLAN */
    const char *tf_dir;       /* --tf-dir DIR */
    const char *ephemeral;    /* --ephemeral-ports FROM-TO */
    const char *title;        /* --title TEXT (report) */
    bool color;               /* text output in colour: set by main for a terminal without NO_COLOR */
    const char **paths;       /* positional SNAPSHOT arguments */
    size_t n_paths;
} sgr_cli;

typedef int (*sgr_command_fn)(const sgr_cli *cli, FILE *out);

/* Parses argv into *cli (argv must outlive cli). Returns 0, or an exit code
 * (2 on a usage error, after printing it; 0 with *done set for --help/--version). */
int sgr_cli_parse(int argc, char **argv, sgr_cli *cli, bool *done);

void sgr_cli_free(sgr_cli *cli);

/* The output format: --format, which sgr_cli_parse has checked against the
 * command's formats, else the command's default (the first it lists). */
const char *sgr_cli_format(const sgr_cli *cli);

#endif
