/*
 * curlapi: libcurl, loaded when the first HTTP or TCP probe needs it.
 *
 * libcurl brings OpenSSL, GnuTLS, Kerberos, LDAP, SSH and more with it.
 * Linked in, their pages cost about 5 MB of every tend's resident memory
 * (relocated at start-up, faulted in around), though most sessions never
 * probe a URL.  Loaded with dlopen() at the first probe, a session
 * without such probes never maps them.
 */
#ifndef TEND_CURLAPI_H
#define TEND_CURLAPI_H

#include <stddef.h>
#include <curl/curl.h>

/* The libcurl calls tend makes, by the names of the library's own. */
struct curlapi {
	CURLcode (*global_init)(long flags);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *m, CURLMoption option, ...);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *easy);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *easy);
	CURLMcode (*multi_socket_action)(CURLM *m, curl_socket_t fd,
	    int mask, int *running);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	CURLMcode (*multi_cleanup)(CURLM *m);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
	CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode rc);
	void (*easy_cleanup)(CURL *easy);
};

/* libcurl, loaded and initialised (curl_global_init) at the first call;
 * NULL with the reason in ERR if it cannot be ("cannot load
 * libcurl.so.4: ..."), and then at every later call too. */
const struct curlapi *curlapi_get(char *err, size_t errsize);

#endif
