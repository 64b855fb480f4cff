/*
 * ptrmap: a hash map from pointers to pointers.
 *
 * How a client keeps its own state per program (a pane's scroll
 * position, a name's padding), keyed by the program's stable handle
 * rather than by its position in a list, which changes on reload.
 */
#ifndef TEND_PTRMAP_H
#define TEND_PTRMAP_H

#include <stddef.h>

struct ptrmap_slot {
	const void *key;	/* NULL: empty */
	void *value;
	int tomb;		/* a deleted slot, for probing past it */
};

struct ptrmap {
	struct ptrmap_slot *slots;
	size_t cap, used;	/* used counts live and tombstone slots */
};

#define PTRMAP_INIT { NULL, 0, 0 }

/* VALUE for KEY (replacing one there); -1 when out of memory. */
int ptrmap_put(struct ptrmap *m, const void *key, void *value);
void *ptrmap_get(const struct ptrmap *m, const void *key);
/* Forget KEY; returns its value, or NULL. */
void *ptrmap_del(struct ptrmap *m, const void *key);
/* Frees the table, not the values. */
void ptrmap_free(struct ptrmap *m);

#endif
