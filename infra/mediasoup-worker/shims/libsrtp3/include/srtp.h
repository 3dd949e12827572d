/*
 * The libsrtp 3 API used by mediasoup, on top of libsrtp 2 (Debian's source or its library).
 *
 * libsrtp 2 declares some of the same names with other signatures (srtp_protect works in
 * place, srtp_policy_t is a struct), so its declarations are renamed while its header is
 * read, and the libsrtp 3 names then point at the adapters in srtp3_compat.c.
 */
#ifndef SUMMIT_BRIDGE_SRTP3_COMPAT_H
#define SUMMIT_BRIDGE_SRTP3_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define srtp_policy_t srtp2_policy_t
#define srtp_create srtp2_create
#define srtp_protect srtp2_protect
#define srtp_unprotect srtp2_unprotect
#define srtp_protect_rtcp srtp2_protect_rtcp
#define srtp_unprotect_rtcp srtp2_unprotect_rtcp
#include <srtp2/srtp.h>
#undef srtp_policy_t
#undef srtp_create
#undef srtp_protect
#undef srtp_unprotect
#undef srtp_protect_rtcp
#undef srtp_unprotect_rtcp

/* Error codes that exist only in libsrtp 3; libsrtp 2 never returns them. */
#define srtp_err_status_buffer_small ((srtp_err_status_t)28)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)29)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct srtp3_policy* srtp_policy_t;

#define srtp_policy_create srtp3_policy_create
#define srtp_policy_destroy srtp3_policy_destroy
#define srtp_policy_set_ssrc srtp3_policy_set_ssrc
#define srtp_policy_set_profile srtp3_policy_set_profile
#define srtp_policy_add_key srtp3_policy_add_key
#define srtp_policy_set_allow_repeat_tx srtp3_policy_set_allow_repeat_tx
#define srtp_policy_set_window_size srtp3_policy_set_window_size
#define srtp_create srtp3_create
#define srtp_protect srtp3_protect
#define srtp_unprotect srtp3_unprotect
#define srtp_protect_rtcp srtp3_protect_rtcp
#define srtp_unprotect_rtcp srtp3_unprotect_rtcp
#define srtp_stream_remove srtp3_stream_remove

srtp_err_status_t srtp3_policy_create(srtp_policy_t* policy);
void srtp3_policy_destroy(srtp_policy_t policy);
srtp_err_status_t srtp3_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc);
srtp_err_status_t srtp3_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile);
srtp_err_status_t srtp3_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t key_len,
  const uint8_t* salt,
  size_t salt_len,
  const uint8_t* mki,
  size_t mki_len);
srtp_err_status_t srtp3_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow);
srtp_err_status_t srtp3_policy_set_window_size(srtp_policy_t policy, size_t window_size);
srtp_err_status_t srtp3_create(srtp_t* session, const srtp_policy_t policy);
srtp_err_status_t srtp3_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t mki_index);
srtp_err_status_t srtp3_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len);
srtp_err_status_t srtp3_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t mki_index);
srtp_err_status_t srtp3_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len);
srtp_err_status_t srtp3_stream_remove(srtp_t session, uint32_t ssrc);

#ifdef __cplusplus
}
#endif

#endif
