/* SPDX-License-Identifier: MIT */
/*
 * words.h: the words the pictures write (ladder, plots, the interactive page's ladder),
 * one table per language, so that a picture is drawn in English or in Chinese alike.
 *
 * Trace lines stay as the trace prints them in every language (they are a format); what
 * a picture says about them (labels, legends, axes, discard reasons) is here. State
 * names stay as RFC 9293 writes them, as Chinese textbooks do too.
 */
#ifndef TCPSIM_VIEW_WORDS_H
#define TCPSIM_VIEW_WORDS_H

#include <stddef.h>

#include "../link/link_why.h"
#include "../wire/seg.h"
#include "../tcp/tcp_why.h"

struct view_words {
    const char *lang;
    const char *timer[TCP_NTIMERS];       /* "(RTO #1)": the word inside */
    const char *tx[TCP_TX_NCAUSES];       /* "(rto #1)" after a retransmission's label */
    const char *byte;                     /* "(1 byte)" */
    const char *bytes;                    /* "(1460 bytes)" */
    const char *discard;                  /* "discard: " before a reason */
    const char *drop[TCP_NDROPS];         /* a discard's reason, short */
    const char *link_drop[LINK_DROP_N];   /* why the link lost a segment, short */
    const char *duplicate, *delayed, *reordered, *corrupted; /* a delivery's note */
    const char *time_wait_again;          /* a FIN answered in TIME_WAIT */
    const char *spoofed;                  /* the spoofed sources' column */
    const char *time_axis;                /* "time (s)" */
    const char *time_col;                 /* "time" (text ladder) */
    const char *seed;                     /* "seed" */
    const char *rel;                      /* "sequence numbers relative to each ISN" */
    const char *abs;                      /* "sequence numbers absolute" */
    const char *legend[4];                /* segment, retransmission, lost, idle left out */
    const char *text_legend[2];           /* the text ladder's two key lines */
    const char *flood;                    /* "grey: flood traffic" */
    const char *more;                     /* "and %u more" */
    const char *conns;                    /* "# %u connections, each named ...:" */
    const char *cwnd_title, *cwnd_axis, *cwnd_empty, *cwnd_sub;
    const char *seq_title, *seq_axis, *seq_empty, *seq_sub;
    const char *plot_time;                /* the plots' time axis */
    const char *rwnd, *acks, *sack, *data, *rexmit, *lost; /* the sequence plot's key */
};

extern const struct view_words view_words_en;
extern const struct view_words view_words_zh;
/* Columns `s` takes on a terminal: wide (CJK) characters take two. */
int view_text_width(const char *s);
/* The bytes of the longest prefix of `s` that fits in `cols` columns (whole characters). */
size_t view_text_cut(const char *s, int cols);
/* The words of `lang` ("en", "zh"; NULL: English). */
const struct view_words *view_words_for(const char *lang);

#endif
