/*
 * Writers for `sgreach can`: the engineer's text answer and the stable JSON
 * (SPEC section 3): {"verdict", "pairs": [{from, to, protocol, port, verdict,
 * path, allowed_by, blocked_by, assumptions, missing}]}.
 */
#ifndef SGREACH_CAN_OUTPUT_H
#define SGREACH_CAN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "sgreach/query.h"

/* The overall verdict of a list of answers: reachable if any pair is, else
 * unknown if any is, else unreachable (also for an empty list). */
sgr_verdict sgr_can_overall(const sgr_answer *answers, uint32_t n);

/* JSON; pretty: indented over several lines, else one line (--batch, which
 * also echoes the selectors asked: from_sel/to_sel, NULL to omit). */
void sgr_can_json(FILE *f, const sgr_answer *answers, uint32_t n, int32_t protocol, int32_t port, bool pretty,
                  const char *from_sel, const char *to_sel);
/* --batch: the answer line for a question that could not be asked:
 * {"line": N, "error": "…"} (one line, valid UTF-8 whatever the input). */
void sgr_can_json_error(FILE *f, uint32_t line, const char *err);
/* color: the verdict in colour (a terminal without NO_COLOR). */
void sgr_can_text(FILE *f, const sgr_answer *answers, uint32_t n, int32_t protocol, int32_t port, bool color);

#endif
