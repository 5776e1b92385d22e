// SPDX-License-Identifier: MIT
/* start.c - from crt0 to main(), and a clean stop when main returns. */
#include "sk.h"

static const void *dt;

const void *sk_dt(void)
{
	return dt;
}

void sk_start(unsigned long hartid, const void *dtb) __attribute__((noreturn));
void sk_start(unsigned long hartid, const void *dtb)
{
	(void)hartid;
	dt = dtb;
	sk_exit(main());
}
