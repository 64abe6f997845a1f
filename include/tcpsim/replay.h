/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/replay.h: a real capture becomes a test.
 *
 * tcpsim_replay() reads a capture (pcap, pcapng, or `tcpdump -n` text), takes each
 * connection in it from the side of its endpoint under test, infers that endpoint's
 * application calls from what it sent, writes the whole as a packetdrill script (the
 * other side's segments are the script's, injected relative to what the endpoint sends)
 * and runs the script against a tcpsim host strictly: flags, seq, ack, length, window,
 * options and time of every segment the endpoint sent. docs/replay.md has the rules.
 */
#ifndef TCPSIM_REPLAY_H
#define TCPSIM_REPLAY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

#define TCPSIM_REPLAY_ERROR (tcpsim_replay_error_quark())
GQuark tcpsim_replay_error_quark(void);

enum tcpsim_replay_error {
    TCPSIM_REPLAY_ERROR_INPUT,  /* the capture cannot be read or holds nothing to replay */
    TCPSIM_REPLAY_ERROR_OPTION, /* a bad option */
};

#define TCPSIM_REPLAY_TOLERANCE_USECS 14000

struct tcpsim_replay_options {
    const char *as;            /* NULL (the first SYN's sender), "ADDR" or "ADDR:PORT" */
    const char *personality;   /* NULL or "linux", "rfc" */
    const char *const *sets;   /* "knob=value" for the endpoint, NULL-terminated */
    int64_t tolerance_usecs;   /* 0: TCPSIM_REPLAY_TOLERANCE_USECS */
    unsigned connection;       /* 0: every connection; N: the Nth only */
    const char *emit_script;   /* write each script here (FILE, FILE.2.pkt ...) */
    bool show_script;          /* put each script in the report */
    const char *emit_scenario; /* write each connection as a scenario here (FILE, FILE.2.scn ...) */
};

struct tcpsim_replay_result {
    unsigned connections;
    unsigned replayed;    /* ran to the end with no divergence */
    unsigned diverged;
    unsigned unsupported; /* the script needs what tcpsim does not model */
    unsigned spoofed;     /* not replayed: a SYN from a spoofed source (a flood's) */
};

/* Replays `capture`; the report (human text) is appended to `report`. FALSE with
 * `error` when the capture cannot be read or an option is bad. */
gboolean tcpsim_replay(const char *capture, const struct tcpsim_replay_options *o,
                       GString *report, struct tcpsim_replay_result *result, GError **error);

G_END_DECLS

#endif
