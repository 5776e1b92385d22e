// SPDX-License-Identifier: MIT
/* bench_huge - bigcrash with 16 MiB of data: a Linux-sized package. */
#define DATA_KIB	16384
#include "../bigcrash/main.c"
