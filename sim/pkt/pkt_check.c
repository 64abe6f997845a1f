/* SPDX-License-Identifier: MIT */
/*
 * pkt_check.c: before anything runs, the first construct tcpsim cannot run.
 *
 * Entry point: pkt_check(). A script that needs a feature tcpsim does not model is
 * reported "unsupported" at that construct, with its location and name, and not run at
 * all: a partial run could pass while the part that mattered was never checked. The
 * checks ask the same tables the run uses (system calls, socket options, sysctl
 * mapping, the tcp_info subset), so the two cannot disagree. What only the values at
 * run time reveal is refused at run time, the same way.
 */
#include <string.h>

#include "pkt_run.h"

/* Words that name something tcpsim does not model, wherever they appear in a call. */
static const struct {
    const char *word;
    const char *what;
} not_modelled[] = {
    {"MSG_ZEROCOPY", "MSG_ZEROCOPY"},
    {"MSG_PEEK", "MSG_PEEK"},
    {"MSG_OOB", "urgent data (MSG_OOB)"},
    {"MSG_ERRQUEUE", "the socket error queue (MSG_ERRQUEUE)"},
    {"AF_INET6", "IPv6 sockets"},
    {"PF_INET6", "IPv6 sockets"},
    {"SOCK_DGRAM", "UDP sockets"},
    {"IPPROTO_UDP", "UDP sockets"},
};

static const char *
unmodelled_word(const struct pkt_expr *e, struct pkt_loc *loc)
{
    if (e == NULL) {
        return NULL;
    }
    if (e->kind == PKT_E_WORD || e->kind == PKT_E_CALL) {
        for (size_t i = 0; i < G_N_ELEMENTS(not_modelled); i++) {
            if (strcmp(e->str, not_modelled[i].word) == 0) {
                *loc = e->loc;
                return not_modelled[i].what;
            }
        }
    }
    const char *w = unmodelled_word(e->lhs, loc);
    if (w == NULL) {
        w = unmodelled_word(e->rhs, loc);
    }
    for (guint i = 0; w == NULL && e->items && i < e->items->len; i++) {
        w = unmodelled_word(g_ptr_array_index(e->items, i), loc);
    }
    return w;
}

static bool
check_syscall(struct pkt_runner *r, const struct pkt_event *ev)
{
    const struct pkt_syscall *sc = ev->sc;
    if (pkt_sys_find(sc->name) == NULL && pkt_io_find(sc->name) == NULL) {
        pkt_stop_unsupported(r, sc->name_loc, "system call %s", sc->name);
        return false;
    }
    bool set = strcmp(sc->name, "setsockopt") == 0;
    if ((set || strcmp(sc->name, "getsockopt") == 0) && sc->args && sc->args->len >= 3) {
        const struct pkt_expr *lv = g_ptr_array_index(sc->args, 1);
        const struct pkt_expr *nm = g_ptr_array_index(sc->args, 2);
        if (lv->kind == PKT_E_WORD && nm->kind == PKT_E_WORD) {
            const char *why = pkt_sockopt_check(lv->str, nm->str, set);
            if (why != NULL) {
                pkt_stop_unsupported(r, nm->loc, "%s %s (%s)", sc->name, nm->str, why);
                return false;
            }
        }
    }
    for (guint i = 0; sc->args && i < sc->args->len; i++) {
        struct pkt_loc loc = ev->loc;
        const char *w = unmodelled_word(g_ptr_array_index(sc->args, i), &loc);
        if (w != NULL) {
            pkt_stop_unsupported(r, loc, "%s", w);
            return false;
        }
    }
    return true;
}

bool
pkt_check(struct pkt_runner *r)
{
    const GPtrArray *events = r->script->events;
    for (guint i = 0; i < events->len && !r->done; i++) {
        const struct pkt_event *ev = g_ptr_array_index(events, i);
        switch (ev->kind) {
        case PKT_EV_PACKET:
            break;
        case PKT_EV_SYSCALL:
            check_syscall(r, ev);
            break;
        case PKT_EV_COMMAND: {
            g_autofree char *why = pkt_cmd_run(r, ev->text, false);
            if (why != NULL) {
                pkt_stop_unsupported(r, ev->loc, "%s", why);
            }
            break;
        }
        case PKT_EV_CODE: {
            bool unsupported = false;
            g_autofree char *why = pkt_code_run(r, ev->text, false, &unsupported);
            if (why != NULL) {
                pkt_stop_unsupported(r, ev->loc, "%s", why);
            }
            break;
        }
        }
    }
    return !r->done;
}
