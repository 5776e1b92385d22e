// SPDX-License-Identifier: MIT
/*
 * bench_big64 - bench_big with 64 KiB of constant data in its image
 * instead of 256 KiB: the middle point of the verification benchmark
 * (bench_boot, bench_big64, bench_big, all with the same RAM).
 */
#define DATA_KIB	64
#include "../bench_big/main.c"
