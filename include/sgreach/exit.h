/* Exit codes, one append-only list (SPEC section 3). */
#ifndef SGREACH_EXIT_H
#define SGREACH_EXIT_H

enum sgr_exit {
    SGR_EXIT_YES = 0,      /* reachable / clean / no difference */
    SGR_EXIT_NO = 1,       /* unreachable / violations / differences */
    SGR_EXIT_USAGE = 2,    /* usage or input error */
    SGR_EXIT_UNKNOWN = 3,  /* `can`: the verdict depends on missing data */
    SGR_EXIT_INTERNAL = 4  /* internal error or out of memory */
};

#endif
