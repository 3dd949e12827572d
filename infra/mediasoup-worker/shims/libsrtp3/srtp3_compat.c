/* Adapters from the libsrtp 3 calls declared in include/srtp.h to libsrtp 2. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

typedef srtp_err_status_t status_t;

/* Longest master key + salt: AES-256-GCM, 32 + 12 bytes. */
#define MAX_KEY_AND_SALT 64

struct srtp3_policy
{
	srtp_policy_t v2;
	unsigned char key[MAX_KEY_AND_SALT];
};

status_t srtp3_policy_create(struct srtp3_policy** policy)
{
	*policy = calloc(1, sizeof(struct srtp3_policy));
	if (!*policy)
		return srtp_err_status_alloc_fail;
	(*policy)->v2.key = (*policy)->key;
	(*policy)->v2.next = NULL;
	return srtp_err_status_ok;
}

void srtp3_policy_destroy(struct srtp3_policy* policy)
{
	free(policy);
}

status_t srtp3_policy_set_ssrc(struct srtp3_policy* policy, srtp_ssrc_t ssrc)
{
	policy->v2.ssrc = ssrc;
	return srtp_err_status_ok;
}

status_t srtp3_policy_set_profile(struct srtp3_policy* policy, srtp_profile_t profile)
{
	status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->v2.rtp, profile);
	if (err != srtp_err_status_ok)
		return err;
	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->v2.rtcp, profile);
}

status_t srtp3_policy_add_key(
  struct srtp3_policy* policy,
  const uint8_t* key,
  size_t key_len,
  const uint8_t* salt,
  size_t salt_len,
  const uint8_t* mki,
  size_t mki_len)
{
	(void)mki;
	/* libsrtp 2 reads one buffer holding the key then the salt; MKI is not used by mediasoup. */
	if (mki_len != 0 || key_len + salt_len > MAX_KEY_AND_SALT)
		return srtp_err_status_bad_param;
	memcpy(policy->key, key, key_len);
	memcpy(policy->key + key_len, salt, salt_len);
	return srtp_err_status_ok;
}

status_t srtp3_policy_set_allow_repeat_tx(struct srtp3_policy* policy, bool allow)
{
	policy->v2.allow_repeat_tx = allow ? 1 : 0;
	return srtp_err_status_ok;
}

status_t srtp3_policy_set_window_size(struct srtp3_policy* policy, size_t window_size)
{
	policy->v2.window_size = window_size;
	return srtp_err_status_ok;
}

status_t srtp3_create(srtp_t* session, const struct srtp3_policy* policy)
{
	return srtp_create(session, &policy->v2);
}

/* libsrtp 2 protects in place: copy into the output buffer first, checking its capacity. */
static status_t protect_into(
  status_t (*protect)(srtp_t, void*, int*),
  srtp_t ctx,
  const uint8_t* in,
  size_t in_len,
  uint8_t* out,
  size_t* out_len)
{
	if (*out_len < in_len + SRTP_MAX_TRAILER_LEN)
		return srtp_err_status_bad_param;
	if (out != in)
		memmove(out, in, in_len);
	int len = (int)in_len;
	status_t err = protect(ctx, out, &len);
	if (err == srtp_err_status_ok)
		*out_len = (size_t)len;
	return err;
}

static status_t unprotect_into(
  status_t (*unprotect)(srtp_t, void*, int*),
  srtp_t ctx,
  const uint8_t* in,
  size_t in_len,
  uint8_t* out,
  size_t* out_len)
{
	if (out != in)
		memmove(out, in, in_len);
	int len = (int)in_len;
	status_t err = unprotect(ctx, out, &len);
	if (err == srtp_err_status_ok)
		*out_len = (size_t)len;
	return err;
}

status_t srtp3_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t mki_index)
{
	(void)mki_index;
	return protect_into(srtp_protect, ctx, rtp, rtp_len, srtp, srtp_len);
}

status_t srtp3_unprotect(srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
	return unprotect_into(srtp_unprotect, ctx, srtp, srtp_len, rtp, rtp_len);
}

status_t srtp3_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t mki_index)
{
	(void)mki_index;
	return protect_into(srtp_protect_rtcp, ctx, rtcp, rtcp_len, srtcp, srtcp_len);
}

status_t srtp3_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
	return unprotect_into(srtp_unprotect_rtcp, ctx, srtcp, srtcp_len, rtcp, rtcp_len);
}

status_t srtp3_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}
