// SPDX-License-Identifier: MIT
/* err.c - sk_strerror(): what a hypercall's error code means, in words. */
#include "sk.h"

const char *sk_strerror(long err)
{
	switch (err) {
	case SBI_SUCCESS:
		return "success";
	case SBI_ERR_FAILED:
		return "failed (sampling: the writer kept the value busy; retry)";
	case SBI_ERR_NOT_SUPPORTED:
		return "call not supported";
	case SBI_ERR_INVALID_PARAM:
		return "invalid parameter";
	case SBI_ERR_DENIED:
		return "denied";
	case SBI_ERR_INVALID_ADDRESS:
		return "bad address: the buffer is not inside the partition's own RAM";
	case SK_ERR_FULL:
		return "queue full: message not sent";
	case SK_ERR_EMPTY:
		return "nothing to receive";
	case SK_ERR_POLICY:
		return "refused by the channel's policy";
	case SK_ERR_SIZE:
		return "too long: over the channel's msg_size (or the receive buffer)";
	case SK_ERR_BAD_CHANNEL:
		return "bad channel: the id is not one of this partition's grants";
	case SK_ERR_DIRECTION:
		return "wrong direction: send on a receive channel, or the reverse";
	case SK_ERR_KIND:
		return "wrong kind: a copy call on a shared window";
	case SK_ERR_TYPE:
		return "type tag not allowed by the channel's policy";
	case SK_ERR_RATE:
		return "over the policy's max_per_frame: wait for the next frame";
	case SK_ERR_MAX_SIZE:
		return "over the policy's max_size";
#ifdef SK_ERR_PROTOCOL
	case SK_ERR_PROTOCOL:
		return "refused by the channel's protocol";
#endif
	}
	return "unknown error";
}
