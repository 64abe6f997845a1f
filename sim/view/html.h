/* SPDX-License-Identifier: MIT */
/*
 * html.h: the interactive page (--html FILE): one self-contained HTML file with the
 * ladder, a timeline to step through, the state diagram and the windows, in sync.
 *
 * The ladder's sink feeds every event to an html_notes, which keeps, for each event the
 * sink records, its trace line and its explain sentence; when the run ends html_page()
 * writes the page from the laid-out ladder, the record and those notes. The page needs
 * nothing from the network: its script, style and data are inside it.
 */
#ifndef TCPSIM_VIEW_HTML_H
#define TCPSIM_VIEW_HTML_H

#include <glib.h>
#include <stdbool.h>

#include "ladder.h"

struct html_notes;

struct html_notes *html_notes_new(const char *lang, bool absolute);
void html_notes_free(struct html_notes *h);
void html_notes_header(struct html_notes *h, const struct trace_header *hdr);
/* Every event of the run, in order; `kept` when the ladder's record took it. */
void html_notes_event(struct html_notes *h, const struct trace_event *ev, bool kept);
/* Writes the page. */
void html_page(const struct ladder *L, const struct rec *r, struct html_notes *h, GString *out);

#endif
