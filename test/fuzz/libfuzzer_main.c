/* SPDX-License-Identifier: MIT */
/*
 * libfuzzer_main.c: libFuzzer's entry, forwarding to one harness. Built once per
 * harness with -DFUZZ_ENTRY=fuzz_parse (or fuzz_seg, fuzz_sim) and -fsanitize=fuzzer.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return FUZZ_ENTRY(data, size);
}
