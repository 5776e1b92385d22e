// SPDX-License-Identifier: MIT
/* idle - does nothing, politely, forever: gives every slot away. */
#include "sk.h"

int main(void)
{
	for (;;)
		sk_yield();
}
