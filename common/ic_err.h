/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ic_err.h - the one error vocabulary of ipmi-collector.
 *
 * Functions that can fail return int: 0 on success, a negative IC_E* value on
 * failure. Objects with a lifetime keep a human-readable message next to the
 * code (module_errmsg()); the code is for decisions, the message for people.
 */
#ifndef IC_ERR_H
#define IC_ERR_H

enum ic_err {
    IC_OK = 0,
    IC_ENOMEM = -1,    /* out of memory */
    IC_EIO = -2,       /* local I/O error (socket, file) */
    IC_ETIMEDOUT = -3, /* no answer after all retries */
    IC_EUNREACH = -4,  /* host or port unreachable (ICMP) */
    IC_EAUTH = -5,     /* wrong password or K_g */
    IC_EUSER = -6,     /* unknown or disabled user */
    IC_EPRIV = -7,     /* privilege level refused */
    IC_ECIPHER = -8,   /* no acceptable cipher suite */
    IC_EPROTO = -9,    /* malformed or hostile packet */
    IC_ECC = -10,      /* non-zero completion code: look at cc */
    IC_ESESSION = -11, /* session lost and could not be re-established */
    IC_ETOOBIG = -12,  /* a bounded buffer or queue is full */
    IC_ECONFIG = -13,  /* bad configuration or argument */
    IC_EBUSY = -14,    /* resource busy (BMC out of sessions, queue full) */
    IC_EAGAIN = -15,   /* try again later */
    IC_EINVAL = -16,   /* invalid argument (programmer or user error) */
    IC_ECANCELED = -17 /* request cancelled (session closed or freed) */
};

#define IC_ERR_COUNT 18

/* Short, stable description of an error code ("authentication failed"). */
const char *ic_strerror(int err);

/* Stable snake_case name of an error code, for metrics and JSON ("auth"). */
const char *ic_errname(int err);

#endif
