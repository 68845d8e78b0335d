/* One entry point per command, each in its own analyzer/cmd_*.c file. */
#ifndef SGREACH_COMMANDS_H
#define SGREACH_COMMANDS_H

#include "cli/cli.h"

int sgr_cmd_summary(const sgr_cli *cli, FILE *out);
int sgr_cmd_can(const sgr_cli *cli, FILE *out);
int sgr_cmd_blast(const sgr_cli *cli, FILE *out);
int sgr_cmd_exposure(const sgr_cli *cli, FILE *out);
int sgr_cmd_check(const sgr_cli *cli, FILE *out);
int sgr_cmd_diff(const sgr_cli *cli, FILE *out);
int sgr_cmd_report(const sgr_cli *cli, FILE *out);
int sgr_cmd_graph(const sgr_cli *cli, FILE *out);

#endif
