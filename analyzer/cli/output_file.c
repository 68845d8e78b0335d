/* -o FILE written safely: see output_file.h. */
#define _GNU_SOURCE
#include "cli/output_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/diag_print.h"
#include "sgreach/exit.h"

/* FILE's directory ("." when it names none), as a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether `dest` (which exists) is `input` or, when input is a directory, a
 * file anywhere under it: a file the command reads. */
static bool reads(const char *input, const struct stat *dest, int depth)
{
    struct stat st;
    if (!input || stat(input, &st) != 0)
        return false;
    if (same_file(&st, dest))
        return true;
    if (!S_ISDIR(st.st_mode) || depth > 16)
        return false;
    DIR *d = opendir(input);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *child;
        if (asprintf(&child, "%s/%s", input, e->d_name) < 0)
            break;
        struct stat cs;
        /* a symlink loop in a snapshot directory ends at the depth bound */
        if (stat(child, &cs) == 0)
            found = same_file(&cs, dest) || (S_ISDIR(cs.st_mode) && reads(child, dest, depth + 1));
        free(child);
    }
    closedir(d);
    return found;
}

int sgr_output_open(const sgr_cli *cli, sgr_output_file *o, FILE **out)
{
    memset(o, 0, sizeof *o);
    *out = stdout;
    if (!cli->output || strcmp(cli->output, "-") == 0)
        return 0;
    o->path = cli->output;
    struct stat st;
    if (lstat(o->path, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            sgr_eprintf("sgreach: %s: is a symbolic link; refusing to write through it (remove it or name its target)",
                    o->path);
            return SGR_EXIT_USAGE;
        }
        if (S_ISDIR(st.st_mode)) {
            sgr_eprintf("sgreach: %s: is a directory", o->path);
            return SGR_EXIT_USAGE;
        }
        const char *inputs[] = {cli->batch, cli->policy, cli->baseline, cli->plan, cli->tf_dir};
        bool input = false;
        for (size_t i = 0; i < sizeof inputs / sizeof inputs[0] && !input; i++)
            input = reads(inputs[i], &st, 0);
        for (size_t i = 0; i < cli->n_paths && !input; i++)
            input = reads(cli->paths[i], &st, 0);
        if (input) {
            sgr_eprintf("sgreach: %s: is one of the files this command reads; refusing to write over it", o->path);
            return SGR_EXIT_USAGE;
        }
    }
    /* the mode the file has, or the one fopen(…, "w") would give a new one */
    mode_t mask = umask(0);
    umask(mask);
    o->mode = 0666 & ~mask;
    if (lstat(o->path, &st) == 0)
        o->mode = st.st_mode & 07777;
    o->mem = open_memstream(&o->buf, &o->len);
    if (!o->mem) {
        sgr_eprintf("sgreach: out of memory");
        return SGR_EXIT_INTERNAL;
    }
    *out = o->mem;
    return 0;
}

/* Writes all of buf to fd; false on any error (a full disk included). */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* A device or FIFO named by -o (/dev/stdout, /dev/null, a pipe): written in
 * place, since it cannot be replaced. */
static bool is_special(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

int sgr_output_close(sgr_output_file *o, int rc)
{
    if (!o->mem)
        return rc;
    bool ok = fclose(o->mem) == 0;
    o->mem = NULL;
    bool result = rc == SGR_EXIT_YES || rc == SGR_EXIT_NO || rc == SGR_EXIT_UNKNOWN;
    if (!ok) {
        sgr_eprintf("sgreach: error writing output; %s left as it was", o->path);
        free(o->buf);
        return SGR_EXIT_INTERNAL;
    }
    if (!result) {
        free(o->buf);
        return rc; /* the command said why; the old file stays */
    }
    if (is_special(o->path)) {
        int fd = open(o->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        bool wrote = fd >= 0 && write_all(fd, o->buf, o->len);
        if (fd >= 0 && close(fd) != 0)
            wrote = false;
        free(o->buf);
        if (!wrote) {
            sgr_eprintf("sgreach: %s: %s", o->path, strerror(errno));
            return SGR_EXIT_INTERNAL;
        }
        return rc;
    }
    char *dir = dir_of(o->path);
    char *tmp = NULL;
    int fd = -1;
    if (asprintf(&tmp, "%s/.sgreach-out-XXXXXX", dir) >= 0)
        fd = mkstemp(tmp);
    int err = errno;
    bool wrote = fd >= 0 && write_all(fd, o->buf, o->len);
    if (!wrote)
        err = errno;
    if (wrote && fsync(fd) != 0)
        wrote = false, err = errno;
    if (fd >= 0 && close(fd) != 0 && wrote)
        wrote = false, err = errno;
    /* rename() replaces a symlink placed at the path meanwhile; it never follows it */
    if (wrote && (chmod(tmp, o->mode) != 0 || rename(tmp, o->path) != 0))
        wrote = false, err = errno;
    if (!wrote) {
        if (fd >= 0)
            unlink(tmp);
        sgr_eprintf("sgreach: %s: %s; the file is left as it was", o->path, strerror(err));
        rc = SGR_EXIT_INTERNAL;
    }
    free(tmp);
    free(dir);
    free(o->buf);
    return rc;
}
