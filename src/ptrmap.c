/*
 * ptrmap: open addressing with linear probing over a power-of-two
 * table, grown past half full; deleted slots become tombstones until
 * the next growth rebuilds the table.
 */
#include "ptrmap.h"

#include <stdint.h>
#include <stdlib.h>

static size_t
ptrmap_hash(const void *key, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)key;

	/* Pointers are aligned: mix the low bits in from above. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static struct ptrmap_slot *
ptrmap_find(const struct ptrmap *m, const void *key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = ptrmap_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct ptrmap_slot *s = &m->slots[i];

		if (s->key == key && !s->tomb)
			return s;
		if (s->key == NULL && !s->tomb)
			return NULL;
	}
}

static int
ptrmap_grow(struct ptrmap *m)
{
	struct ptrmap old = *m;
	size_t i, cap = m->cap ? m->cap * 2 : 16;

	m->slots = calloc(cap, sizeof *m->slots);
	if (m->slots == NULL) {
		*m = old;
		return -1;
	}
	m->cap = cap;
	m->used = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i].key != NULL && !old.slots[i].tomb)
			ptrmap_put(m, old.slots[i].key, old.slots[i].value);
	}
	free(old.slots);
	return 0;
}

int
ptrmap_put(struct ptrmap *m, const void *key, void *value)
{
	struct ptrmap_slot *s = ptrmap_find(m, key);
	size_t i;

	if (s != NULL) {
		s->value = value;
		return 0;
	}
	if ((m->used + 1) * 2 > m->cap && ptrmap_grow(m) == -1)
		return -1;
	for (i = ptrmap_hash(key, m->cap); m->slots[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->slots[i].key = key;
	m->slots[i].value = value;
	m->slots[i].tomb = 0;
	m->used++;
	return 0;
}

void *
ptrmap_get(const struct ptrmap *m, const void *key)
{
	struct ptrmap_slot *s = ptrmap_find(m, key);

	return s != NULL ? s->value : NULL;
}

void *
ptrmap_del(struct ptrmap *m, const void *key)
{
	struct ptrmap_slot *s = ptrmap_find(m, key);
	void *value;

	if (s == NULL)
		return NULL;
	value = s->value;
	s->tomb = 1;
	s->value = NULL;
	return value;
}

void
ptrmap_free(struct ptrmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->used = 0;
}
