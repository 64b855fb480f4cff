/*
 * ctlproto: the socket's place and the request line's encoding.
 */
#define _GNU_SOURCE
#include "ctlproto.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
ctlproto_socket_dir(char *buf, size_t size)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	int n;

	if (run != NULL && run[0] == '/')
		n = snprintf(buf, size, "%s/tend", run);
	else
		n = snprintf(buf, size, "/tmp/tend-%u", (unsigned)getuid());
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* FNV-1a: a short, stable name for a long path. */
static uint64_t
ctlproto_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int
ctlproto_socket_path(const char *config, char *buf, size_t size, char *err,
    size_t errsize)
{
	char real[PATH_MAX], dir[PATH_MAX];
	const char *base;
	int n;

	if (realpath(config, real) == NULL) {
		snprintf(err, errsize, "%s: %s", config, strerror(errno));
		return -1;
	}
	if (ctlproto_socket_dir(dir, sizeof dir) == -1) {
		snprintf(err, errsize, "the socket's folder name is too long");
		return -1;
	}
	base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	/* sun_path holds 108 bytes: the name keeps at most 40 of the file's. */
	n = snprintf(buf, size, "%s/%.40s-%016llx.sock", dir, base,
	    (unsigned long long)ctlproto_hash(real));
	if (n < 0 || (size_t)n >= size) {
		snprintf(err, errsize, "the socket path is too long");
		return -1;
	}
	return 0;
}

size_t
ctlproto_encode(char *out, size_t size, size_t len, const char *word)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)word;

	if (len > 0) {
		if (len + 1 >= size)
			return size;
		out[len++] = ' ';
	}
	/* An empty word still takes its place: a NUL, which ends it. */
	if (*p == '\0') {
		if (len + 3 >= size)
			return size;
		memcpy(out + len, "%00", 3);
		len += 3;
	}
	for (; *p != '\0'; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '%') {
			if (len + 1 >= size)
				return size;
			out[len++] = (char)*p;
		} else {
			if (len + 3 >= size)
				return size;
			out[len++] = '%';
			out[len++] = hex[*p >> 4];
			out[len++] = hex[*p & 0xf];
		}
	}
	out[len] = '\0';
	return len;
}

static int
ctlproto_hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int
ctlproto_decode(char *line, char **words, int max)
{
	int n = 0;
	char *r = line, *w;

	if (*r == '\0')
		return 0;
	for (;;) {
		if (n == max)
			return -1;
		words[n++] = w = r;
		while (*r != ' ' && *r != '\0') {
			if (*r == '%') {
				int hi = ctlproto_hexval((unsigned char)r[1]);
				int lo = hi < 0 ? -1 :
				    ctlproto_hexval((unsigned char)r[2]);

				if (lo < 0)
					return -1;
				*w++ = (char)(hi << 4 | lo);
				r += 3;
			} else {
				*w++ = *r++;
			}
		}
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		*w = '\0';
		r++;
	}
}
