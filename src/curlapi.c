/*
 * curlapi: dlopen() of libcurl at the first probe, its calls looked up
 * once, and curl_global_init.  Owns the library handle, which stays
 * loaded until tend exits (libcurl's global state is never cleaned up
 * while a probe may start again).
 */
#include "curlapi.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

/* The SONAME of libcurl4 (OpenSSL), the library tend is built against. */
#define CURLAPI_LIB "libcurl.so.4"

static struct curlapi curlapi_calls;
static bool curlapi_tried, curlapi_ok;
static char curlapi_error[256];

/* Look up each call; false (and the name in the error) if one is not
 * there. */
static bool
curlapi_resolve(void *lib)
{
	static const struct {
		const char *name;
		size_t offset;
	} calls[] = {
#define CURLAPI_CALL(field) { "curl_" #field, offsetof(struct curlapi, field) }
		CURLAPI_CALL(global_init), CURLAPI_CALL(multi_init),
		CURLAPI_CALL(multi_setopt), CURLAPI_CALL(multi_add_handle),
		CURLAPI_CALL(multi_remove_handle),
		CURLAPI_CALL(multi_socket_action),
		CURLAPI_CALL(multi_info_read), CURLAPI_CALL(multi_cleanup),
		CURLAPI_CALL(easy_init), CURLAPI_CALL(easy_setopt),
		CURLAPI_CALL(easy_getinfo), CURLAPI_CALL(easy_strerror),
		CURLAPI_CALL(easy_cleanup),
#undef CURLAPI_CALL
	};
	size_t i;

	for (i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		void *fn = dlsym(lib, calls[i].name);

		if (fn == NULL) {
			snprintf(curlapi_error, sizeof curlapi_error,
			    "%s has no %s", CURLAPI_LIB, calls[i].name);
			return false;
		}
		/* POSIX: a function's address may be kept as a void *. */
		*(void **)((char *)&curlapi_calls + calls[i].offset) = fn;
	}
	return true;
}

static void
curlapi_load(void)
{
	void *lib = dlopen(CURLAPI_LIB, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		snprintf(curlapi_error, sizeof curlapi_error,
		    "cannot load %s: %s", CURLAPI_LIB, dlerror());
		return;
	}
	if (!curlapi_resolve(lib))
		return;
	if (curlapi_calls.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curlapi_error, sizeof curlapi_error,
		    "curl_global_init failed");
		return;
	}
	curlapi_ok = true;
}

const struct curlapi *
curlapi_get(char *err, size_t errsize)
{
	if (!curlapi_tried) {
		curlapi_tried = true;
		curlapi_load();
	}
	if (curlapi_ok)
		return &curlapi_calls;
	snprintf(err, errsize, "%s", curlapi_error);
	return NULL;
}
