// SPDX-License-Identifier: MIT
/*
 * faulter - raises one class of exception per run (the run number is
 * its restart count), announcing each first, so the scenarios can check
 * that every class ends in the configured action with the right cause.
 */
#include <stdio.h>
#include "sk.h"

static void fault(unsigned n)
{
	volatile uint64_t *p;
	uint64_t v = 0;

	switch (n) {
	case 0:
		printf("fault load_unmapped\n");
		v = *(volatile uint64_t *)0x1000;
		break;
	case 1:
		printf("fault store_unmapped\n");
		*(volatile uint64_t *)0x1000 = 1;
		break;
	case 2:
		printf("fault fetch_unmapped\n");
		((void (*)(void))0x40000000UL)();
		break;
	case 3:
		printf("fault illegal\n");
		__asm__ volatile(".word 0");
		break;
	case 4:
		printf("fault virtual\n");
		__asm__ volatile("csrr %0, hstatus" : "=r"(v));
		break;
	case 5:
		printf("fault fp_disabled\n");
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "fmv.d.x f0, zero\n.option pop");
		break;
	case 6:
		printf("fault breakpoint_unhandled\n");	/* its vector is 0 */
		__asm__ volatile("ebreak");
		break;
	case 7:
		printf("fault misaligned_load\n");
		p = (volatile uint64_t *)0x80001001UL;
		v = *p;
		printf("no fault: misaligned access handled (0x%lx)\n",
		       (unsigned long)v);
		sk_reboot();
		break;
	case 8:
		printf("fault misaligned_store\n");
		p = (volatile uint64_t *)0x80001001UL;
		*p = 0;
		printf("no fault: misaligned access handled\n");
		sk_reboot();
		break;
	case 9:
		printf("fault store_own_dtb\n");
		*(volatile uint8_t *)0x7fe00010UL = 0;
		break;
	default:
		printf("all faults done\n");
		sk_exit(0);
	}
	printf("BREACH: fault %u did not trap (0x%lx)\n", n, (unsigned long)v);
	sk_exit(1);
}

int main(void)
{
	fault((unsigned)sk_info(SK_INFO_RESTARTS));
	return 0;
}
