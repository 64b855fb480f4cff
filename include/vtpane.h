/*
 * vtpane: a pty program's terminal drawn into a pane, cell by cell, as
 * the program drew it: colours reduced to what tend's terminal has,
 * wide characters, the cursor where the program left it.
 */
#ifndef TEND_VTPANE_H
#define TEND_VTPANE_H

#include <stdbool.h>

#include "pane.h"
#include "vt.h"

/* VT into G (its gutter column left blank), on a screen erased for the
 * frame: blank cells past a row's written ones are left as they are.
 * With FOCUS the cursor's place on the screen goes to *CY, *CX (-1 when
 * hidden). */
void vtpane_draw(const struct vt *vt, const struct pane_geom *g, bool focus,
    int *cy, int *cx);

#endif
