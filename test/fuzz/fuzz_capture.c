/* SPDX-License-Identifier: MIT */
/*
 * fuzz_capture.c: tcpsim replay's capture reader and call inference on arbitrary bytes.
 *
 * Property: reading never reads outside the buffer; a capture that reads is split into
 * connections (or refused with an error), and every connection's inferred script is
 * packetdrill that tcpsim's reader accepts (it may be unsupported or too long, never
 * malformed: a malformed script is a bug of the inference).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tcpsim/pkt.h>

#include "../../sim/replay/replay.h"
#include "fuzz.h"

int
fuzz_capture(const uint8_t *data, size_t size)
{
    if (size > FUZZ_CAPTURE_MAX_INPUT) {
        return 0;
    }
    struct capture *c = rcap_from_bytes("fuzz", data, size, NULL);
    if (c == NULL) {
        return 0;
    }
    GPtrArray *all = rconn_find(c, NULL, NULL);
    for (guint i = 0; all != NULL && i < all->len && i < 8; i++) {
        struct rscript sc = {0};
        rinfer_script(c, g_ptr_array_index(all, i), NULL, &sc);
        GError *e = NULL;
        static const char *const linux_only[] = {"Linux", NULL};
        struct tcpsim_pkt_script *s =
            tcpsim_pkt_parse_defined("inferred.pkt", sc.text->str, sc.text->len, linux_only, &e);
        if (s == NULL && e->code == TCPSIM_PKT_ERROR_SYNTAX) {
            fprintf(stderr, "fuzz_capture: the inferred script does not parse: %s\n%s\n",
                    e->message, sc.text->str);
            abort();
        }
        g_clear_error(&e);
        tcpsim_pkt_script_free(s);
        rscript_clear(&sc);
    }
    if (all != NULL) {
        g_ptr_array_free(all, TRUE);
    }
    rcap_free(c);
    return 0;
}
