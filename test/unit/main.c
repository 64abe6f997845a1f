/* SPDX-License-Identifier: MIT */
/*
 * main.c: the unit-test program. Runs every suite (or those named on the command line)
 * and ends with the counts, both as CUnit prints them and as the line the test summary
 * reads: "CUNIT-SUMMARY passed=N failed=M".
 */
#include <CUnit/Basic.h>
#include <stdbool.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"

static CU_SuiteInfo *const all[] = {
#define LIST_SUITES(name) name,
    SUITES(LIST_SUITES)
#undef LIST_SUITES
};

static bool
wanted(const char *suite, int argc, char **argv)
{
    if (argc < 2) {
        return true;
    }
    for (int i = 1; i < argc; i++) {
        if (strstr(suite, argv[i]) != NULL) {
            return true;
        }
    }
    return false;
}

int
main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 2;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        for (CU_SuiteInfo *s = all[i]; s->pName != NULL; s++) {
            if (!wanted(s->pName, argc, argv)) {
                continue;
            }
            CU_SuiteInfo one[2] = {*s, CU_SUITE_INFO_NULL};
            if (CU_register_suites(one) != CUE_SUCCESS) {
                fprintf(stderr, "cannot register suite %s: %s\n", s->pName, CU_get_error_msg());
                return 2;
            }
        }
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    printf("\nCUNIT-SUMMARY passed=%u failed=%u\n", run - failed, failed);
    printf("%u passed, %u failed\n", run - failed, failed);
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
