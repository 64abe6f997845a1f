/* SPDX-License-Identifier: MIT */
/*
 * errnames.c: errno names and messages, fixed here rather than taken from the C
 * library, so a trace reads the same under every libc and locale.
 *
 * Entry points: tcpsim_errno_name(), tcpsim_errno_text(), tcpsim_errno_from_name().
 */
#include <errno.h>
#include <string.h>
#include <tcpsim/sim.h>

static const struct {
    int num;
    const char *name;
    const char *text;
} table[] = {
    {EAGAIN, "EAGAIN", "Resource temporarily unavailable"},
    {EADDRINUSE, "EADDRINUSE", "Address already in use"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address"},
    {EALREADY, "EALREADY", "Operation already in progress"},
    {EBADF, "EBADF", "Bad file descriptor"},
    {ECONNABORTED, "ECONNABORTED", "Software caused connection abort"},
    {ECONNREFUSED, "ECONNREFUSED", "Connection refused"},
    {ECONNRESET, "ECONNRESET", "Connection reset by peer"},
    {EHOSTUNREACH, "EHOSTUNREACH", "No route to host"},
    {EINPROGRESS, "EINPROGRESS", "Operation now in progress"},
    {EINVAL, "EINVAL", "Invalid argument"},
    {EISCONN, "EISCONN", "Transport endpoint is already connected"},
    {ENETUNREACH, "ENETUNREACH", "Network is unreachable"},
    {ENOTCONN, "ENOTCONN", "Transport endpoint is not connected"},
    {EPIPE, "EPIPE", "Broken pipe"},
    {ETIMEDOUT, "ETIMEDOUT", "Connection timed out"},
};

const char *
tcpsim_errno_name(int e)
{
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (table[i].num == e) {
            return table[i].name;
        }
    }
    return "EUNKNOWN";
}

const char *
tcpsim_errno_text(int e)
{
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (table[i].num == e) {
            return table[i].text;
        }
    }
    return "Unknown error";
}

int
tcpsim_errno_from_name(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        if (strcmp(table[i].name, name) == 0) {
            return table[i].num;
        }
    }
    return -1;
}

const char *const *
tcpsim_errno_names(void)
{
    static const char *const names[] = {
        "EAGAIN",   "EADDRINUSE", "EADDRNOTAVAIL", "EALREADY",    "EBADF",
        "ECONNABORTED", "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "EINPROGRESS",
        "EINVAL",   "EISCONN",    "ENETUNREACH",  "ENOTCONN",    "EPIPE",
        "ETIMEDOUT", NULL,
    };
    return names;
}
