/*
 * Running Graphviz: fork, exec `dot -Tsvg` (no shell, so nothing in the input
 * is ever interpreted by one), feed the DOT on stdin while reading stdout with
 * poll() so neither side can block the other, kill it at the deadline.
 */
#include "output/report_svg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "graph/arena.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Child side: wire the pipes, exec, report an exec failure through errpipe. */
static _Noreturn void child(int in_rd, int out_wr, int err_wr)
{
    dup2(in_rd, STDIN_FILENO);
    dup2(out_wr, STDOUT_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
        dup2(devnull, STDERR_FILENO);
    const char *prog = getenv("SGREACH_DOT");
    char *argv[] = {(char *)(prog && *prog ? prog : "dot"), "-Tsvg", NULL};
    if (prog && *prog)
        execv(prog, argv);
    else
        execvp("dot", argv);
    int e = errno;
    ssize_t w = write(err_wr, &e, sizeof e);
    (void)w;
    _exit(127);
}

static char *strip_prolog(char *buf, size_t len)
{
    char *svg = strstr(buf, "<svg");
    if (!svg) {
        free(buf);
        return NULL;
    }
    /* Copy from <svg on, dropping comments: Graphviz writes one per node and edge
     * (names only), and an inline SVG needs none. */
    size_t n = 0;
    for (const char *p = svg; p < buf + len;) {
        if (strncmp(p, "<!--", 4) == 0) {
            const char *end = strstr(p + 4, "-->");
            p = end ? end + 3 : buf + len;
            while (p < buf + len && *p == '\n' && n && buf[n - 1] == '\n')
                p++;
            continue;
        }
        buf[n++] = *p++;
    }
    buf[n] = '\0';
    /* Trailing whitespace after </svg> is dropped so the caller controls layout. */
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return buf;
}

char *sgr_svg_render(const char *dot, size_t len, int timeout_ms, const char **err)
{
    int in[2], out[2], ep[2];
    *err = "Graphviz `dot` could not be started";
    if (pipe(in) != 0)
        return NULL;
    if (pipe(out) != 0) {
        close(in[0]), close(in[1]);
        return NULL;
    }
    if (pipe(ep) != 0) {
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        return NULL;
    }
    fcntl(ep[1], F_SETFD, FD_CLOEXEC);
    /* A dot that exits early must not kill us with SIGPIPE. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(in[1]), close(out[0]), close(ep[0]);
        child(in[0], out[1], ep[1]);
    }
    close(in[0]), close(out[1]), close(ep[1]);
    if (pid < 0) {
        close(in[1]), close(out[0]), close(ep[0]);
        sigaction(SIGPIPE, &old, NULL);
        return NULL;
    }
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    size_t sent = 0, cap = 1 << 16, got = 0;
    char *buf = sgr_xmalloc(cap);
    int wfd = in[1];
    bool failed = false, timed_out = false;
    long long deadline = now_ms() + timeout_ms;
    if (len == 0) {
        close(wfd);
        wfd = -1;
    }
    for (;;) {
        struct pollfd p[2] = {{.fd = out[0], .events = POLLIN}, {.fd = wfd, .events = POLLOUT}};
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        int r = poll(p, wfd >= 0 ? 2 : 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            failed = true;
            break;
        }
        if (wfd >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(wfd, dot + sent, len - sent);
            if (w > 0)
                sent += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == len) {
                close(wfd);
                wfd = -1;
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (got + 4096 + 1 > cap) {
                cap *= 2;
                buf = sgr_xrealloc(buf, cap);
            }
            ssize_t n = read(out[0], buf + got, cap - got - 1);
            if (n > 0)
                got += (size_t)n;
            else if (n == 0)
                break;
            else if (errno != EAGAIN && errno != EINTR) {
                failed = true;
                break;
            }
        }
    }
    if (wfd >= 0)
        close(wfd);
    close(out[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int exec_errno = 0;
    ssize_t er = read(ep[0], &exec_errno, sizeof exec_errno);
    close(ep[0]);
    sigaction(SIGPIPE, &old, NULL);
    buf[got] = '\0';
    if (er == (ssize_t)sizeof exec_errno) {
        *err = "Graphviz `dot` was not found (install graphviz: scripts/setup-deps)";
        free(buf);
        return NULL;
    }
    if (timed_out) {
        *err = "Graphviz `dot` timed out";
        free(buf);
        return NULL;
    }
    if (failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *err = "Graphviz `dot` failed";
        free(buf);
        return NULL;
    }
    char *svg = strip_prolog(buf, got);
    if (!svg)
        *err = "Graphviz `dot` printed no SVG";
    return svg;
}

char *sgr_graph_svg(const sgr_rep_graph *g, int timeout_ms, const char **err)
{
    size_t len;
    char *dot = sgr_graph_dot_string(g, &len);
    char *svg = sgr_svg_render(dot, len, timeout_ms, err);
    free(dot);
    return svg;
}
