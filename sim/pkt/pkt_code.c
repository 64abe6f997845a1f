/*
 * pkt_code.c: %{ python }% blocks (placeholder until the tcp_info subset exists).
 */
#include "pkt_run.h"

char *
pkt_code_run(struct pkt_runner *r, const char *text, bool apply, bool *unsupported)
{
    (void)r;
    (void)text;
    (void)apply;
    *unsupported = true;
    return g_strdup("%{ python }% code blocks");
}
