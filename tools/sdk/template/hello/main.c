// A partition program: main() runs in VS-mode in its own guest memory.
#include <stdio.h>
#include "sk.h"

int main(void)
{
	uint64_t lines = sk_arg_u64("lines", 3);

	for (uint64_t i = 1; i <= lines; i++) {
		printf("hello %lu from %s, frame %lu\n", (unsigned long)i,
		       sk_name(), (unsigned long)sk_frame());
		sk_wait_next_frame();
	}
	return 0;
}
