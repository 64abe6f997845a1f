/* SPDX-License-Identifier: MIT */
/*
 * libfuzzer_main.c: libFuzzer's entry, forwarding to one harness. Built once per
 * harness with -DFUZZ_ENTRY=fuzz_parse (or fuzz_seg, fuzz_sim) and -fsanitize=fuzzer.
 */
#include <glib.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed precondition (g_return_if_fail()'s critical) means an input got past the
 * checks that should have refused it: a finding, not a message to scroll past. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return FUZZ_ENTRY(data, size);
}
