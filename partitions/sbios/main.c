// SPDX-License-Identifier: MIT
/*
 * sbios - the SBI calls an operating system makes on its one vCPU (IPI,
 * RFENCE, HSM), each answered for the caller's own hart only, and the
 * probe answer for every extension.  harness/test_linux.py reads the
 * lines.
 */
#include <stdio.h>
#include "sk.h"

static unsigned long vsip(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, sip" : "=r"(v));
	return v;
}

static void show(const char *what, struct sk_ret r)
{
	printf("%s -> %ld %ld\n", what, r.error, r.value);
}

int main(void)
{
	static const unsigned long exts[] = {
		0x10, 0x54494D45, 0x735049, 0x52464E43, 0x48534D, 0x53525354,
		0x4442434E, 0x01, 0x504D55, 0x08, 0x12345678,
	};

	for (unsigned i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		struct sk_ret r = sk_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT,
					   exts[i], 0, 0, 0);

		printf("probe 0x%lx -> %ld %ld\n", exts[i], r.error, r.value);
	}
	/* An IPI to itself is its own VS software interrupt, pending. */
	printf("ssip before %lu\n", (vsip() >> 1) & 1);
	show("ipi self", sk_ecall(SBI_EXT_IPI, 0, 1, 0, 0, 0));
	printf("ssip after %lu\n", (vsip() >> 1) & 1);
	__asm__ volatile("csrc sip, %0" :: "r"(2UL));
	printf("ssip cleared %lu\n", (vsip() >> 1) & 1);
	show("ipi all", sk_ecall(SBI_EXT_IPI, 0, 0, -1UL, 0, 0));
	__asm__ volatile("csrc sip, %0" :: "r"(2UL));
	show("ipi none", sk_ecall(SBI_EXT_IPI, 0, 0, 0, 0, 0));
	printf("ssip none %lu\n", (vsip() >> 1) & 1);
	show("ipi hart 1", sk_ecall(SBI_EXT_IPI, 0, 2, 0, 0, 0));
	show("ipi base 1", sk_ecall(SBI_EXT_IPI, 0, 1, 1, 0, 0));
	show("fence.i self", sk_ecall(SBI_EXT_RFENCE, 0, 1, 0, 0, 0));
	show("sfence.vma self", sk_ecall(SBI_EXT_RFENCE, 1, 1, 0, 0x80000000, 4096));
	show("sfence.vma.asid all", sk_ecall(SBI_EXT_RFENCE, 2, 0, -1UL, 0, -1UL));
	show("sfence.vma hart 3", sk_ecall(SBI_EXT_RFENCE, 1, 8, 0, 0, 0));
	show("hfence.gvma", sk_ecall(SBI_EXT_RFENCE, 3, 1, 0, 0, 0));
	show("hart 0 status", sk_ecall(SBI_EXT_HSM, 2, 0, 0, 0, 0));
	show("hart 1 status", sk_ecall(SBI_EXT_HSM, 2, 1, 0, 0, 0));
	show("hart 0 start", sk_ecall(SBI_EXT_HSM, 0, 0, 0x80000000, 0, 0));
	show("hart 1 start", sk_ecall(SBI_EXT_HSM, 0, 1, 0x80000000, 0, 0));
	show("hart stop", sk_ecall(SBI_EXT_HSM, 1, 0, 0, 0, 0));
	show("pmu", sk_ecall(0x504D55, 0, 0, 0, 0, 0));
	return 0;
}
