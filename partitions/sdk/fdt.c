// SPDX-License-Identifier: MIT
/*
 * fdt.c - just enough of a flattened-device-tree reader to find a
 * property by node path, e.g. sk_dt_prop("/sepkernel", "sk,partition-id").
 * The blob is big-endian: a header, a structure block of tokens, and a
 * strings block holding property names.
 */
#include "sk.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Does the path component at *path equal name (up to '@' or end)? */
static int comp_eq(const char *path, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (path[i] != name[i])
			return 0;
	return name[i] == 0 || name[i] == '@';
}

const void *sk_dt_prop(const char *node, const char *prop, int *len)
{
	const uint8_t *fdt = sk_dt();
	const uint8_t *p, *strs;
	int depth = 0, matched = 0;	/* depth of the deepest matching node */
	const char *want = node;

	if (!fdt || be32(fdt) != FDT_MAGIC)
		return NULL;
	p = fdt + be32(fdt + 8);
	strs = (const uint8_t *)fdt + be32(fdt + 12);
	while (*want == '/')
		want++;
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			size_t n = 0;

			while (p[n])
				n++;
			p += (n + 4) & ~3UL;
			depth++;
			if (depth == 1)		/* the root node, name "" */
				matched = 1;
			else if (matched == depth - 1 && *want) {
				const char *end = want;
				size_t cl;

				while (*end && *end != '/')
					end++;
				cl = (size_t)(end - want);
				if (comp_eq(want, cl, name)) {
					matched = depth;
					want = *end ? end + 1 : end;
				}
			}
		} else if (tok == FDT_END_NODE) {
			if (matched == depth)	/* names are unique: not here */
				return NULL;
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t plen = be32(p), noff = be32(p + 4);

			if (matched == depth && !*want &&
			    str_eq((const char *)strs + noff, prop)) {
				if (len)
					*len = (int)plen;
				return p + 8;
			}
			p += 8 + ((plen + 3) & ~3UL);
		} else if (tok != FDT_NOP) {
			return NULL;		/* FDT_END or garbage */
		}
	}
}

/*
 * The name of the i-th child of node, or NULL.  Same walk as above:
 * once node is matched, count the nodes that open one level deeper.
 */
const char *sk_dt_child(const char *node, unsigned i)
{
	const uint8_t *fdt = sk_dt();
	const uint8_t *p;
	int depth = 0, matched = 0;
	const char *want = node;

	if (!fdt || be32(fdt) != FDT_MAGIC)
		return NULL;
	p = fdt + be32(fdt + 8);
	while (*want == '/')
		want++;
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			size_t n = 0;

			while (p[n])
				n++;
			p += (n + 4) & ~3UL;
			depth++;
			if (depth == 1) {
				matched = 1;
			} else if (matched == depth - 1 && !*want) {
				if (i-- == 0)
					return name;
			} else if (matched == depth - 1) {
				const char *end = want;

				while (*end && *end != '/')
					end++;
				if (comp_eq(want, (size_t)(end - want), name)) {
					matched = depth;
					want = *end ? end + 1 : end;
				}
			}
		} else if (tok == FDT_END_NODE) {
			if (matched == depth)
				return NULL;
			depth--;
		} else if (tok == FDT_PROP) {
			p += 8 + ((be32(p) + 3) & ~3UL);
		} else if (tok != FDT_NOP) {
			return NULL;
		}
	}
}

uint64_t sk_dt_u64(const char *node, const char *prop, uint64_t dflt)
{
	int len;
	const uint8_t *v = sk_dt_prop(node, prop, &len);

	if (v && len == 4)
		return be32(v);
	if (v && len == 8)
		return (uint64_t)be32(v) << 32 | be32(v + 4);
	return dflt;
}

const char *sk_dt_str(const char *node, const char *prop)
{
	int len;
	const char *v = sk_dt_prop(node, prop, &len);

	return v && len > 0 && v[len - 1] == 0 ? v : NULL;
}

const char *sk_name(void)
{
	const char *n = sk_dt_str("/sepkernel", "sk,partition-name");

	return n ? n : "?";
}

uint64_t sk_ram_size(void)
{
	int len;
	const uint8_t *reg = sk_dt_prop("/memory", "reg", &len);

	/* reg = <base-hi base-lo size-hi size-lo>: two cells each. */
	if (!reg || len != 16)
		return 0;
	return (uint64_t)be32(reg + 8) << 32 | be32(reg + 12);
}
